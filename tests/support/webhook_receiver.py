#!/usr/bin/python3
"""An HTTP receiver for Huike's webhook and SMS-gateway tests, checking signatures itself.

Listens on a free port of 127.0.0.1 and prints "listening on PORT" once ready. Each POST is
recorded as one JSON line in OUT/received.jsonl with its path, headers of interest, body, and
whether its signature is valid: Python's hmac recomputes HMAC-SHA256 over
"<Huike-Timestamp>.<body>" with the secret read from OUT/secret (when that file exists) and
compares it with the hex after "v1=" in Huike-Signature. While OUT/FAIL exists every POST is
answered 500 (and still recorded); an invalid signature is answered 401.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUT = sys.argv[1]
LOCK = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        ts = self.headers.get("Huike-Timestamp", "")
        sig = self.headers.get("Huike-Signature", "")
        valid = None
        secret_file = os.path.join(OUT, "secret")
        if os.path.exists(secret_file):
            with open(secret_file, "rb") as f:
                secret = f.read().strip()
            expected = hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
            valid = sig.startswith("v1=") and hmac.compare_digest(sig[3:], expected)
        failing = os.path.exists(os.path.join(OUT, "FAIL"))
        record = {
            "path": self.path,
            "event": self.headers.get("Huike-Event", ""),
            "idempotency_key": self.headers.get("Idempotency-Key", ""),
            "authorization": self.headers.get("Authorization", ""),
            "timestamp": ts,
            "valid": valid,
            "answered": 500 if failing else (401 if valid is False else 200),
            "body": body.decode("utf-8", "replace"),
        }
        with LOCK:
            with open(os.path.join(OUT, "received.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.send_response(record["answered"])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    os.makedirs(OUT, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
