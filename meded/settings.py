"""Settings from environment variables.

Defaults give the embedded development shape (SQLite, Celery eager, console email);
production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY, DEBUG=false, ALLOWED_HOSTS
(see README "Configuration").
"""

from pathlib import Path
from tempfile import gettempdir

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SOCIETY_NAME = env.str("MEDED_SOCIETY_NAME", default="Peer Teaching Society")
SITE_URL = env.str("MEDED_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "meded",
    "tutors",
    "sessions_app",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meded.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "meded.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "meded.urls"

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
                "meded.context_processors.society",
            ],
        },
    },
]

WSGI_APPLICATION = "meded.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    # No health-check round trip on every request: a dropped persistent connection fails one
    # request's first query and Django reconnects on the next (CONN_MAX_AGE keeps it short).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=False)
else:  # SQLite: `make run` has the server and the periodic runner writing; wait, don't fail
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "meded.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, verification is mandatory, signup limited to the society's domains.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "meded.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "meded.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SOCIETY_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Failed logins: at most 5 per (email, client address) in 5 minutes (the adapter keys on both, so
# nobody can lock a committee member out from their own machine), and at most 10 a minute and
# 60 an hour per client address whatever the email.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,60/h/ip,5/5m/key"}
MEDED_EMAIL_DOMAINS = [
    d.strip().lower().lstrip("@")
    for d in env.list("MEDED_EMAIL_DOMAINS", default=["demo.meded.test"] if DEBUG else [])
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private files (slides, recordings, CVs) live outside any URL; views serve them after a
# permission check. MEDIA_URL is deliberately unset.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640

# Email: console by default; EMAIL_URL=smtp://user:pass@host:587 (or smtp+tls://) in production.
# With DEBUG off a missing EMAIL_URL is refused: the console would print password-reset links
# into the logs and nobody would receive anything.
if not DEBUG and not env.str("EMAIL_URL", default=""):
    raise ImproperlyConfigured("EMAIL_URL must be set when DEBUG is false (an SMTP server).")
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SOCIETY_NAME} <noreply@meded.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise eager, so the app runs with no broker.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any retry back-off (30 min): Redis must not hand a waiting retry to a 2nd worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Autodiscovery (meded/celery.py) imports each installed app's tasks.py (tutors, sessions_app,
# feedback); the core's tasks live with notifications, where autodiscovery does not look.
CELERY_IMPORTS = ("meded.notifications.tasks",)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(  # beat's own bookkeeping, kept out of the repository
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(Path(gettempdir()) / "meded-celerybeat")
)
# One entry per periodic task: each app's own work has its own clock (the email beat is not the
# waiting list's clock). `manage.py send_due_emails` and the in-process runner of `make run` run
# the same work through `meded.signals.periodic_task`; `retry_stuck` requeues lost mail.
CELERY_BEAT_SCHEDULE = {
    "notifications-retry-stuck": {
        "task": "meded.notifications.tasks.retry_stuck",
        "schedule": crontab(minute="*"),
    },
    "notifications-release-mailings": {  # held mass emails whose undo window has ended
        "task": "meded.notifications.tasks.release_mailings",
        "schedule": crontab(minute="*"),
    },
    "feedback-requests": {  # ask for feedback after a session ends; remind once
        "task": "feedback.tasks.send_feedback_requests",
        "schedule": crontab(minute="*/15"),
    },
    "tutors-ranking-deadline-reminder": {  # tutors who have not ranked, 48 h before closing
        "task": "tutors.tasks.ranking_deadline_reminder",
        "schedule": crontab(minute="*/30"),
    },
    "sessions-reminders": {  # 24 h and 1 h before a booked session
        "task": "sessions_app.tasks.send_session_reminders",
        "schedule": crontab(minute="*/5"),
    },
    "sessions-waitlist-expiry": {  # a run-out offer passes to the next person
        "task": "sessions_app.tasks.expire_waitlist_offers",
        "schedule": crontab(minute="*/5"),
    },
    "sessions-waitlist-promotions": {  # catch-up: free places offered to those waiting
        "task": "sessions_app.tasks.promote_waitlists",
        "schedule": crontab(minute="*/15"),
    },
    "sessions-slides-reminders": {  # tutors with no slides up for a session soon
        "task": "sessions_app.tasks.send_slides_reminders",
        "schedule": crontab(minute=0),
    },
}

# Signed-in requests read the session from the cache (Redis in production), falling back to the
# database only on a miss, so a page view costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Redis as the cache when configured; if it goes away, each process falls back to its own memory
# (rate limits keep working per process) instead of failing every login (meded/cache.py).
CACHES = {
    "default": (
        {
            "BACKEND": "meded.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# `seed_demo` creates committee accounts with a published password: only where DEBUG is on, unless
# the operator passes --allow-production (decided from the environment, not from the test runner).
MEDED_DEMO_ALLOWED = env.bool("MEDED_DEMO_ALLOWED", default=DEBUG)

# Society rules (each can be overridden by an environment variable of the same name).
MEDED_FEEDBACK_MIN_RESPONSES = env.int("MEDED_FEEDBACK_MIN_RESPONSES", default=3)
MEDED_FEEDBACK_WINDOW_DAYS = env.int("MEDED_FEEDBACK_WINDOW_DAYS", default=14)
# Terms (month, day, name) in the society's time zone: its own questions are asked once a term.
MEDED_TERM_STARTS = [(1, 1, "Spring"), (4, 1, "Summer"), (9, 1, "Autumn")]
# "Watched the recording" (for feedback): this share of an in-app recording streamed to the member.
MEDED_RECORDING_WATCHED_SHARE = env.float("MEDED_RECORDING_WATCHED_SHARE", default=0.5)
MEDED_FEEDBACK_TEXT_REVIEW = env.bool("MEDED_FEEDBACK_TEXT_REVIEW", default=True)
MEDED_CERTIFICATE_NAME_HOLD_DAYS = env.int("MEDED_CERTIFICATE_NAME_HOLD_DAYS", default=14)
MEDED_CERTIFICATE_SIGNATORY = env.str(
    "MEDED_CERTIFICATE_SIGNATORY", default="Chair, Education Committee"
)
MEDED_WAITLIST_CLAIM_HOURS = env.int("MEDED_WAITLIST_CLAIM_HOURS", default=12)
MEDED_CANCELLATION_DEADLINE_HOURS = env.int("MEDED_CANCELLATION_DEADLINE_HOURS", default=2)
MEDED_SLIDES_REMINDER_DAYS = env.int("MEDED_SLIDES_REMINDER_DAYS", default=3)
MEDED_MAX_DOCUMENT_BYTES = env.int("MEDED_MAX_DOCUMENT_BYTES", default=50 * 1024 * 1024)
MEDED_MAX_VIDEO_BYTES = env.int("MEDED_MAX_VIDEO_BYTES", default=2 * 1024 * 1024 * 1024)
MEDED_RESOURCES_REVIEW_REQUIRED = env.bool("MEDED_RESOURCES_REVIEW_REQUIRED", default=True)
MEDED_MAX_CV_BYTES = env.int("MEDED_MAX_CV_BYTES", default=5 * 1024 * 1024)
MEDED_EMAIL_STUCK_MINUTES = env.int("MEDED_EMAIL_STUCK_MINUTES", default=15)
MEDED_EMAIL_RETRY_SECONDS = env.int("MEDED_EMAIL_RETRY_SECONDS", default=30)  # first back-off
# A queued email not taken by a worker this long after queueing is queued again by the sweep
# (the broker lost it): with the sweep every minute, lost mail goes within about three minutes.
MEDED_EMAIL_QUEUED_GRACE_SECONDS = env.int("MEDED_EMAIL_QUEUED_GRACE_SECONDS", default=120)
# How many due emails one worker sends over one SMTP connection.
MEDED_EMAIL_BATCH = env.int("MEDED_EMAIL_BATCH", default=50)
# A worker keeps its SMTP connection this long after a batch for the next one (checked with NOOP
# before reuse); 0 closes it after every batch.
MEDED_EMAIL_KEEP_OPEN_SECONDS = env.int("MEDED_EMAIL_KEEP_OPEN_SECONDS", default=60)
# An action that emails many people holds its emails this long, during which it can be undone.
# Kept only for a time (meded/privacy.py; stated on the privacy notice, applied by
# `manage.py apply_retention` and the periodic work).
MEDED_RETENTION_UNSUCCESSFUL_MONTHS = env.int("MEDED_RETENTION_UNSUCCESSFUL_MONTHS", default=6)
MEDED_RETENTION_EMAIL_MONTHS = env.int("MEDED_RETENTION_EMAIL_MONTHS", default=24)
MEDED_UNDO_MINUTES = env.int("MEDED_UNDO_MINUTES", default=10)

# Security: on whenever DEBUG is off (production); `check --deploy` is clean with it.
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
# Forwarded headers are believed only from a proxy we run (deploy/nginx.conf) and only when one is
# declared: otherwise any client could claim HTTPS or another IP. The count is the number of
# proxies in front of gunicorn; rate limits then key on the real client address.
MEDED_TRUSTED_PROXY_COUNT = env.int("MEDED_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = MEDED_TRUSTED_PROXY_COUNT
if MEDED_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Private files handed to the proxy (nginx X-Accel-Redirect internal location) instead of being
# streamed by gunicorn; empty: the app streams them itself.
MEDED_X_ACCEL_REDIRECT_PREFIX = env.str("MEDED_X_ACCEL_REDIRECT_PREFIX", default="")
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
