"""An SMTP relay as a provider runs one: TLS (STARTTLS or implicit) with a certificate, and
AUTH required before mail is accepted. Writes what it accepts into a maildir.

Usage: relay.py <starttls|implicit> <port> <cert.pem> <key.pem> <user> <password> <maildir>
Prints "ready" once it listens; stops when its standard input closes.
"""

import ssl
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    mode, port, cert, key, user, password, maildir = sys.argv[1:8]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
        # "handled=False": the relay answers 535 itself.
        return AuthResult(success=ok, handled=False)

    options = dict(auth_required=True, authenticator=authenticate)
    if mode == "starttls":
        controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port),
                                tls_context=context, require_starttls=True, **options)
    else:
        # Implicit TLS: the whole session is encrypted, so AUTH needs no STARTTLS first
        # (aiosmtpd cannot tell, and warns).
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port),
                                ssl_context=context, auth_require_tls=False, **options)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
