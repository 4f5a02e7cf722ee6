#!/usr/bin/python3
"""A real SMTP server for Huike's delivery tests, on aiosmtpd (Debian's python3-aiosmtpd).

Listens on a free port of 127.0.0.1, prints "listening on PORT" once ready, and stores each
message it accepts as one JSON file in OUT, with what Python's own e-mail parser reads from
it: envelope, headers (decoded), language, the plain-text body and the client's port (which
tells the sessions apart). An optional second argument is the port to listen on (to stand in
for a server that restarted). With SINK_AUTH=user:password in the environment, the server
requires AUTH (PLAIN or LOGIN) with those credentials before it takes mail. While a file named REFUSE
exists in OUT, every message is refused with a temporary error (451), as a server that is
overloaded or greylisting does.
"""
import asyncio
import json
import os
import socket
import sys
import uuid
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Store:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.out, "REFUSE")):
            return "451 4.3.0 Try again later"
        msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"] or ""),
            "to": str(msg["To"] or ""),
            "subject": str(msg["Subject"] or ""),
            "message_id": str(msg["Message-ID"] or ""),
            "content_language": str(msg["Content-Language"] or ""),
            "body": body.get_content() if body is not None else "",
            "client_port": session.peer[1],
        }
        name = os.path.join(self.out, f"{uuid.uuid4().hex}.json")
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(name + ".tmp", name)
        return "250 2.0.0 Stored"


def authenticator(expected):
    user, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=ok, handled=False)

    return check


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 0))
    sock.listen(128)
    loop = asyncio.new_event_loop()
    handler = Store(out)
    auth = os.environ.get("SINK_AUTH")

    def session():
        if auth is None:
            return SMTP(handler, hostname="sink.test")
        return SMTP(
            handler,
            hostname="sink.test",
            authenticator=authenticator(auth),
            auth_required=True,
            # The test talks to it over loopback without TLS.
            auth_require_tls=False,
        )

    loop.run_until_complete(loop.create_server(session, sock=sock))
    print(f"listening on {sock.getsockname()[1]}", flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
