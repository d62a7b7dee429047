"""A real SMTP submission server on loopback for Satchel's tests: aiosmtpd (the Python
project's maintained SMTP server) with STARTTLS or implicit TLS, AUTH PLAIN/LOGIN that
requires TLS, and each accepted message written byte for byte (as received, after
dot-unstuffing) to OUT/N.eml with its envelope in OUT/N.json.

Faults a real server does not produce on demand, by MODE:
  normal        accept everything
  stall-final   read the whole message, then never answer the final dot
  refuse-rcpt   answer 550 to any recipient at refused.example.org
"""
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, security, cert, key, user, password, out, mode = sys.argv[1:9]


class Handler:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if mode == "refuse-rcpt" and address.endswith("@refused.example.org"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if mode == "stall-final":
            marker = os.path.join(out, "stalled")
            open(marker, "w").close()
            await asyncio.sleep(3600)
        self.count += 1
        base = os.path.join(out, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Queued as %d" % self.count


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == user
        and auth_data.password.decode() == password
    )
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
common = dict(
    hostname="127.0.0.1",
    port=int(port),
    authenticator=authenticate,
    auth_require_tls=True,
    decode_data=False,
    ready_timeout=10,
)
if security == "tls":
    # aiosmtpd does not count implicit TLS as TLS for auth_require_tls (it would offer no AUTH);
    # the whole connection is TLS here, so the requirement holds anyway.
    common["auth_require_tls"] = False
    controller = Controller(Handler(), ssl_context=context, **common)
else:
    controller = Controller(Handler(), tls_context=context, require_starttls=True, **common)
controller.start()
print("READY", flush=True)
try:
    sys.stdin.read()  # runs until the test closes our stdin (or kills us)
finally:
    controller.stop()
