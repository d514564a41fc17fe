"""Settings shared by every deployment; only what differs per deployment is read from the
environment (see README, "Configuration")."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Pupil numbers are stored only as an HMAC keyed with this secret; losing it orphans the data.
PUPIL_KEY_SECRET = env("PUPIL_KEY_SECRET", default="local-development-pupil-key")

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A second connection to the same database, for progress reports: a long import holds its
# own connection in one transaction (and in a COPY), which nobody else can see into. SQLite,
# the one-machine default, allows one writer at a time, so there progress shares the default.
if "sqlite" not in DATABASES["default"]["ENGINE"]:
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "schools",
    "programmes",
    "workgroups",
    "evaluation",
    "dashboards",
    "visits",
    "reminders",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads which two-factor device, if any, verified this session (request.user.is_verified).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # With no broker, the tasks a request queues run after it, on a thread (TASKS_IN_BACKGROUND).
    "mathsprog.queueing.TasksAfterResponse",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: five wrong passwords for one account from one client lock that client
# out of that account for 15 minutes (others can still sign in to it); a correct sign-in
# resets the count. The account is its e-mail address in one spelling, whatever the case it
# is typed in, and the client is its own address, not the proxy's (accounts.signin).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.signin.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
AXES_VERBOSE = False
# Two-factor sign-in (see README, "Two-factor sign-in"): site admins and hub leads must use it,
# everyone else may; with TWO_FACTOR_REQUIRED_FOR_ALL, everyone must.
TWO_FACTOR_REQUIRED_FOR_ALL = env.bool("TWO_FACTOR_REQUIRED_FOR_ALL", default=False)
TWO_FACTOR_RECOVERY_CODES = 10
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "mathsprog"
# The data admin lists devices but never shows their secret keys or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How many proxies stand between clients and gunicorn, each appending the address it was
# reached from to X-Forwarded-For. 0: the portal is reached directly and the header is
# ignored (anyone can send one). Production, behind its TLS proxy, has 1.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Password-reset e-mails: at most this many an hour to one address (whether or not an account
# uses it), and from one client whatever the addresses.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)

# Content Security Policy: every script, style, image and font comes from the portal itself;
# no inline script or style attribute is allowed, and pages keep to that.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

ROOT_URLCONF = "mathsprog.urls"
WSGI_APPLICATION = "mathsprog.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboards.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A school day, not a week: portals are used on shared staffroom machines.
SESSION_COOKIE_AGE = 8 * 60 * 60

# The cache holds figures derived from stored reports (see evaluation.selectors). By default
# each process has its own; CACHE_URL (redis://host:6379/1) shares one between every web
# process and machine. Sessions stay in the database: pages keep working while Redis is down.
CACHES = {"default": env.cache_url_config(env("CACHE_URL", default="") or "locmemcache://")}

LANGUAGE_CODE = "en-gb"
# Date fields render ISO dates, the only ones <input type="date"> shows (see the module).
FORMAT_MODULE_PATH = ["mathsprog.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files. Web and workers must share this storage: a shared disk, or an S3-compatible
# store when they run on separate machines (see README, "Several machines").
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Web and workers on separate machines: keep uploads in an S3-compatible store (AWS S3, MinIO,
# Ceph...) that every machine reaches, by setting S3_BUCKET (and S3_ENDPOINT_URL for a store
# that is not AWS). Credentials come from the usual AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
if env("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "location": env("S3_PREFIX", default="mathsprog"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Largest upload accepted (a full GIAS register is about 60 MB).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)
# An XLSX file is a ZIP: refuse one that would unpack to more than this (a "ZIP bomb").
XLSX_MAX_UNPACKED_BYTES = env.int("XLSX_MAX_UNPACKED_BYTES", default=1024 * 1024 * 1024)
# What one results file may cost to read, whatever its shape (see evaluation.upload_limits):
# far beyond any school's export, and low enough that a worker checking a file made to be
# costly stays under 500 MB. A row (of CSV) or a cell longer, more columns, or (in a workbook)
# more shared text is refused with a message saying which.
UPLOAD_MAX_ROW_CHARS = env.int("UPLOAD_MAX_ROW_CHARS", default=64 * 1024)
UPLOAD_MAX_CELL_CHARS = env.int("UPLOAD_MAX_CELL_CHARS", default=32_767)  # Excel's own limit
UPLOAD_MAX_COLUMNS = env.int("UPLOAD_MAX_COLUMNS", default=500)
XLSX_MAX_SHARED_STRINGS = env.int("XLSX_MAX_SHARED_STRINGS", default=4_000_000)
XLSX_MAX_SHARED_STRING_BYTES = env.int("XLSX_MAX_SHARED_STRING_BYTES", default=128 * 1024 * 1024)
# A check that takes longer than this ends with a message (see evaluation.services); the
# worker kills it a minute later if it does not. A million rows take well under a minute.
UPLOAD_CHECK_SECONDS = env.int("UPLOAD_CHECK_SECONDS", default=10 * 60)
# A photo of more pixels is refused by its header (a tiny PNG can claim 169 million). 60 MP
# takes a phone's full-resolution 48 or 50 MP photo, and keeps the worker's decode of a PNG
# under about 240 MB (4 bytes a pixel); a JPEG is decoded already shrunk.
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=60_000_000)
# Hours an uploaded results file (and its staged rows, unless imported) is kept at most: an
# upload not imported by then expires and must be sent again (see evaluation.upload_files).
UPLOAD_FILE_HOURS = env.int("UPLOAD_FILE_HOURS", default=24)

# Figures about fewer pupils than this are withheld wherever they are shown or exported.
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# EMAIL_URL (smtp://user:password@host:587/?tls=True) sets EMAIL_BACKEND, EMAIL_HOST and the rest.
# With neither, e-mails are written to the console (as `make run` shows them).
globals().update(env.email("EMAIL_URL", default="consolemail://"))
if env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# Only for a test that reads what a real worker sent: the filebased backend writes here.
if env("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mathsprog <noreply@localhost>")
# E-mails link to pages at this address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery. With no broker configured, tasks run in-process so the portal works with no servers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# With no broker, tasks run on a thread of the web process, after the request that queued them
# (see mathsprog.queueing), so that an upload's page answers at once and shows its progress.
TASKS_IN_BACKGROUND = CELERY_TASK_ALWAYS_EAGER
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
# Tasks write their outcome to the database; nobody reads Celery's own result store.
CELERY_TASK_IGNORE_RESULT = True
# Imports and reports must survive a worker dying mid-task: acknowledge only once done,
# hand one task at a time to each process, and keep Redis from redelivering a task that
# is still running (its visibility timeout must exceed the hard time limit).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 35 * 60
CELERY_TASK_ANNOTATIONS = {
    "evaluation.tasks.validate_upload": {
        "soft_time_limit": UPLOAD_CHECK_SECONDS,
        "time_limit": UPLOAD_CHECK_SECONDS + 60,
    }
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60),
    "socket_connect_timeout": 2,
}
# A broker that does not answer must not hold up a web request: two quick tries, then what
# asked for the task records that it could not be queued (see mathsprog.queueing).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A worker killed whole leaves its task unacknowledged until the visibility timeout: an upload
# step whose worker has not beaten its heartbeat for this long is queued again by the sweep.
UPLOAD_STALL_SECONDS = env.int("UPLOAD_STALL_SECONDS", default=5 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue tasks are sent to (and workers read): one per deployment sharing a Redis.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
# `celery -A mathsprog beat` sends these; workers also sweep uploads as they start.
CELERY_BEAT_SCHEDULE = {
    # Every reminder, overdue alert and weekly digest: the ledger sends each once, however
    # often this runs, and a run after a worker was down catches up.
    "send-due-reminders": {
        "task": "reminders.tasks.send_due_reminders",
        "schedule": env.float("REMINDER_SWEEP_SECONDS", default=15 * 60),
    },
    "expire-uploads": {"task": "evaluation.tasks.expire_uploads", "schedule": 60 * 60},
    "requeue-stalled-uploads": {
        "task": "evaluation.tasks.requeue_stalled_uploads",
        "schedule": 5 * 60,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every Bootstrap rule it does not draw; only its errors matter here.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
