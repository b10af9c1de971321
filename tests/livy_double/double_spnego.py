"""SPNEGO in front of the double, as Livy's `livy.server.auth.type = kerberos` puts Hadoop's
AuthenticationFilter with its KerberosAuthenticationHandler in front of Livy's servlets.

What the filter does, and so this one:

* A valid `hadoop.auth` cookie (signed by the server, not expired) authenticates the request.
  An invalid or expired one is ignored, and the request is authenticated as if it had none.
* Otherwise a request without `Authorization: Negotiate <token>` is answered 401 with
  `WWW-Authenticate: Negotiate` and a cleared cookie; nothing behind the filter runs.
* A token is accepted with the server's keytab (its HTTP/host principal). Accepted: the request goes on
  as the principal's short name (`alice@LIVY.TEST` -> `alice`, the default auth_to_local rule), and the
  answer carries the mutual-authentication token and a new cookie
  `hadoop.auth="u=alice&p=alice@LIVY.TEST&t=kerberos&e=<expiry ms>&s=<signature>"; Path=/; HttpOnly`.
  Refused (a GSS error): 403 with the GSSException's message.

Tokens are verified by MIT Kerberos through Debian's python3-gssapi.
"""
import base64
import hashlib
import hmac
import os
import time

COOKIE = "hadoop.auth"


class AuthRefused(Exception):
    """The filter's final answer: an HTTP status, Jetty's error message and headers."""

    def __init__(self, status, message, headers):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


class SpnegoFilter:
    def __init__(self, keytab, cookie_validity=36000.0):
        try:
            import gssapi   # Debian's python3-gssapi; only Kerberos tests need it
        except ImportError as error:
            raise ValueError("kerberos_keytab needs Debian's python3-gssapi (bin/setup-debian --tests)") from error
        if not os.access(keytab, os.R_OK):
            raise ValueError(f"cannot read the kerberos keytab {keytab}")
        self._gssapi = gssapi
        self._keytab = str(keytab)
        self._validity = cookie_validity          # Hadoop's token.validity (default 36000 s)
        self._secret = os.urandom(32)             # Hadoop's signature.secret: random per server

    def authenticate(self, request):
        """(short user name, headers for the answer); raises AuthRefused."""
        user = self._cookie_user(request.header("Cookie", ""))
        if user is not None:
            return user, []
        scheme, _, token = request.header("Authorization", "").partition(" ")
        if scheme.lower() != "negotiate" or not token.strip():
            raise AuthRefused(401, "Authentication required", [
                ("WWW-Authenticate", "Negotiate"), ("Set-Cookie", f"{COOKIE}=; Path=/; HttpOnly")])
        gssapi = self._gssapi
        try:
            credentials = gssapi.Credentials(usage="accept", store={"keytab": self._keytab})
            context = gssapi.SecurityContext(creds=credentials, usage="accept")
            answer = context.step(base64.b64decode(token.strip()))
            complete = context.complete      # python-gssapi raises a failed step's error here too
            principal = str(context.initiator_name) if complete else None
        except (gssapi.exceptions.GSSError, ValueError) as error:
            raise AuthRefused(403, f"GSSException: {_one_line(error)}",
                              [("Set-Cookie", f"{COOKIE}=; Path=/; HttpOnly")]) from None
        headers = [("WWW-Authenticate", "Negotiate" + (" " + base64.b64encode(answer).decode() if answer else ""))]
        if not complete:      # a multi-leg mechanism: the client must answer the challenge
            raise AuthRefused(401, "Authentication required", headers)
        user = principal.split("@")[0].split("/")[0]
        headers.append(("Set-Cookie", f'{COOKIE}="{self._sign(user, principal)}"; Path=/; HttpOnly'))
        return user, headers

    def _sign(self, user, principal):
        expires = int((time.time() + self._validity) * 1000)
        text = f"u={user}&p={principal}&t=kerberos&e={expires}"
        return f"{text}&s={self._signature(text)}"

    def _signature(self, text):
        return base64.b64encode(hmac.new(self._secret, text.encode(), hashlib.sha256).digest()).decode()

    def _cookie_user(self, header):
        for part in header.split(";"):
            name, _, value = part.strip().partition("=")
            if name != COOKIE:
                continue
            text, _, signature = value.strip('"').rpartition("&s=")
            if not text or not hmac.compare_digest(signature, self._signature(text)):
                continue
            fields = dict(item.partition("=")[::2] for item in text.split("&"))
            if int(fields.get("e", "0")) > time.time() * 1000:
                return fields.get("u")
        return None


def impersonation_refused(user, proxy_user):
    """Livy's answer when `user` asks for another proxyUser without being a superuser (livy.superusers is
    empty here): 403 {"msg": "User 'alice' not allowed to impersonate 'bob'."}; None when allowed."""
    if user is None or proxy_user is None or proxy_user == user:
        return None
    return f"User '{user}' not allowed to impersonate '{proxy_user}'."


def _one_line(error):
    return " ".join(str(error).split())
