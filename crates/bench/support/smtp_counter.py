#!/usr/bin/python3
"""The SMTP server the bench sends its outbox load to, on aiosmtpd (Debian's python3-aiosmtpd).

Listens on a free port of 127.0.0.1, prints "listening on PORT" once ready, accepts every
message and keeps only what the bench asks afterwards: how many arrived and how many distinct
Message-IDs they carried (a resend of the same message keeps its id). On SIGTERM it prints
that as one line of JSON and exits. It parses nothing else, so that at the bench's rates the
receiver costs as little as a real relay's accepting end.
"""
import asyncio
import json
import signal
import socket
import sys

from aiosmtpd.smtp import SMTP


class Counter:
    def __init__(self):
        self.received = 0
        self.ids = set()

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if line[:11].lower() == b"message-id:":
                self.ids.add(line[11:].strip())
                break
        return "250 2.0.0 Accepted"


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    loop = asyncio.new_event_loop()
    counter = Counter()
    loop.run_until_complete(
        loop.create_server(lambda: SMTP(counter, hostname="bench.sink"), sock=sock)
    )
    done = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, done.set)
    print(f"listening on {sock.getsockname()[1]}", flush=True)
    loop.run_until_complete(done.wait())
    print(json.dumps({"received": counter.received, "unique": len(counter.ids)}), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
