"""A real deployment behind a TLS-terminating proxy. Secrets have no defaults here: a missing
one stops the process at start rather than running insecurely."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
PUPIL_KEY_SECRET = env("PUPIL_KEY_SECRET")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
for database in DATABASES.values():  # noqa: F405
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SESSION_COOKIE_SAMESITE = "Lax"
# Behind the TLS proxy (the one that sets X-Forwarded-Proto, trusted above), the sign-in
# lockout and the password-reset limit count the client's address, not the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
