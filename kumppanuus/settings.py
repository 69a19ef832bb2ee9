"""Kumppanuus settings: one module, read from the environment.

With no DATABASE_URL and no REDIS_URL the app runs on the *embedded default*:
SQLite, Celery tasks executed eagerly, e-mail to the console. With them set it
uses PostgreSQL, Redis and real Celery workers. Every variable is documented in
README.md. A bad value fails loudly at start-up (ImproperlyConfigured).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_bool(name: str, default: bool) -> bool:
    """Like env.bool, but refuses values that are neither true nor false."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def redis_url_for_test_process(url: str, worker: str) -> str:
    """``url`` with its database number moved on by the xdist worker's number (gw0 keeps it, gw1 +1, …)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = (base + int(worker.removeprefix("gw"))) % 16  # Redis has 16 databases unless configured
    return urlunsplit(parts._replace(path=f"/{database}"))


DEBUG = env_bool("DEBUG", default=False)

# The embedded default (make run, DEBUG=true) needs no secret of its own; any run with DEBUG off must
# set one. The embedded key is public (it is in this file): whoever knows it forges RSVP links, e-mail
# confirmation keys and sessions, so it is refused outside debug mode, and a system check flags it
# (kumppanuus/checks.py) if it reaches a non-debug run some other way.
EMBEDDED_SECRET_KEY = "embedded-default-insecure-key-only-for-local-demo-use-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and SECRET_KEY in ("", EMBEDDED_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value of your own when DEBUG is off (the embedded key is "
        "public). For the local demo set DEBUG=true, as make run does."
    )
SECRET_KEY = SECRET_KEY or EMBEDDED_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute links in e-mails (verification, RSVP, invitations) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "kumppanuus.apps.AdminConfig",  # Django's admin, signing in through allauth (kumppanuus/sites.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "kumppanuus",  # the ground floor: project-wide management commands (setup_periodic_tasks)
    "outbox",
    "accounts",
    "organisations",
    "tables",
    "meetings",
    "privacy",  # top floor: personal data (download, deletion) and the composed User admin
    "devdata",  # top floor: made-up data (load_demo, generate_scale_data)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "kumppanuus.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "kumppanuus.urls"
WSGI_APPLICATION = "kumppanuus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetings.context_processors.workspace",  # the waiting count in the navigation
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results ----------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # The test suite runs in parallel processes (pytest-xdist, README "make test"): each process gets
    # its own Redis database, so one's cache.clear() or Celery worker never touches another's work.
    REDIS_URL = redis_url_for_test_process(REDIS_URL, os.environ["PYTEST_XDIST_WORKER"])
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery reads every CELERY_* setting below (see kumppanuus/celery.py).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker the embedded default runs every task in the request that queued it.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task not acknowledged within this many seconds is handed to another worker.
# Every retry wait and ETA must stay below it, or a waiting task is run twice.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Helsinki"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The e-mail outbox (outbox/engine.py, docs/faults.md). A failed send is retried after
# OUTBOX_RETRY_FIRST_WAIT_SECONDS, doubling each time up to OUTBOX_RETRY_LONGEST_WAIT_SECONDS, which
# must stay below the visibility timeout. The periodic sweeper queues again a row left "queued" for
# OUTBOX_REQUEUE_AFTER_SECONDS (the broker lost its task; keep it at least the longest retry wait,
# or the sweeper cuts the backoff short) and a row whose message has been "sending" for
# OUTBOX_STUCK_AFTER_SECONDS (its worker died). A batch renews its claim whenever it is older than a
# quarter of that (at most every 30 s), so it need only exceed the time one message can take (a few
# SMTP timeouts of 30 s); set it shorter and a slow but healthy send may be taken over and sent twice.
OUTBOX_RETRY_FIRST_WAIT_SECONDS = env.int("OUTBOX_RETRY_FIRST_WAIT_SECONDS", default=30)
OUTBOX_RETRY_LONGEST_WAIT_SECONDS = env.int("OUTBOX_RETRY_LONGEST_WAIT_SECONDS", default=600)
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=600)
OUTBOX_STUCK_AFTER_SECONDS = env.int("OUTBOX_STUCK_AFTER_SECONDS", default=900)
if not 1 <= OUTBOX_RETRY_FIRST_WAIT_SECONDS <= OUTBOX_RETRY_LONGEST_WAIT_SECONDS < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Need 1 <= OUTBOX_RETRY_FIRST_WAIT_SECONDS <= OUTBOX_RETRY_LONGEST_WAIT_SECONDS < CELERY_VISIBILITY_TIMEOUT."
    )
if OUTBOX_REQUEUE_AFTER_SECONDS < 1 or OUTBOX_STUCK_AFTER_SECONDS < 1:
    raise ImproperlyConfigured("OUTBOX_REQUEUE_AFTER_SECONDS and OUTBOX_STUCK_AFTER_SECONDS must be positive.")
# Changes to the agenda of a scheduled meeting are told to its invitees in one "agenda updated"
# e-mail per person: the message waits this long after the first change, and every change made
# meanwhile goes into the same message (meetings/services/agenda.py). 0 sends at once.
AGENDA_UPDATE_WINDOW_SECONDS = env.int("AGENDA_UPDATE_WINDOW_SECONDS", default=600)
if not 0 <= AGENDA_UPDATE_WINDOW_SECONDS <= 24 * 3600:
    raise ImproperlyConfigured("AGENDA_UPDATE_WINDOW_SECONDS must be between 0 and 86400.")
# The owner of an open action item is told this many days before its due date (meetings/services/
# reminders.py, run daily by beat).
ACTION_ITEM_DUE_SOON_DAYS = env.int("ACTION_ITEM_DUE_SOON_DAYS", default=3)
if not 1 <= ACTION_ITEM_DUE_SOON_DAYS <= 60:
    raise ImproperlyConfigured("ACTION_ITEM_DUE_SOON_DAYS must be between 1 and 60.")

# --- E-mail -------------------------------------------------------------------
# EMAIL_URL, e.g. smtp://user:pass@mail.example.org:587/?tls=True; the embedded
# default prints e-mail to the console.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kumppanuus <no-reply@kumppanuus.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Kumppanuus] "

# --- Accounts (django-allauth) ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Addresses in our one stored form (kumppanuus/addresses.py); an address another account has
# verified is never kept as a pending one here (accounts/adapter.py).
ACCOUNT_FORMS = {"add_email": "accounts.adapter.AddEmailForm", "login": "accounts.adapter.LoginForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# allauth's rate limits stay on (its defaults); the cache above holds the counters.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
    "change_password": "5/m/user",
}
# Do not reveal whether an account exists for an e-mail address.
ACCOUNT_PREVENT_ENUMERATION = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Finland-Swedish date and time formats (kumppanuus/formats/sv/formats.py); Finnish and English are Django's.
FORMAT_MODULE_PATH = ["kumppanuus.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
LANGUAGE_COOKIE_NAME = "kumppanuus_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv"), "fi": ("sv",), "sv": ("fi",), "en": ("fi", "sv")}
# A text given without a language (Meeting(title=…), a factory, a one-language form) is the default
# language's (title_fi): without this it would be kept in the untranslated column only and read back empty.
MODELTRANSLATION_AUTO_POPULATE = "default"

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production: whitenoise.storage.CompressedManifestStaticFilesStorage after collectstatic.
        "BACKEND": env.str("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
# Without collectstatic (make run, tests) WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_MANIFEST_STRICT = False

FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security -----------------------------------------------------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's rate limits per IP address must count the client, not the proxy (whose address
    # every request would share): take the address the proxy appended to X-Forwarded-For.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Product settings ---------------------------------------------------------
DIRECTORY_PAGE_SIZE = env.int("DIRECTORY_PAGE_SIZE", default=20)
# Long lists inside a page (an organisation's members, a meeting's invitees) are shown this many
# rows at a time, so the page costs the same for an association of 5 and one of 500.
LIST_PAGE_SIZE = env.int("LIST_PAGE_SIZE", default=50)
# Where the accessibility statement (/accessibility/) tells people to send accessibility feedback;
# the Act on the Provision of Digital Services (306/2019) requires a feedback channel.
ACCESSIBILITY_FEEDBACK_EMAIL = env.str("ACCESSIBILITY_FEEDBACK_EMAIL", default="")


def env_month_day(name: str, default: str) -> tuple[int, int]:
    """A day of the year written MM-DD (e.g. 11-01), refused loudly if it is not a real date."""
    import datetime

    raw = env.str(name, default=default)
    try:
        month, day = (int(part) for part in raw.split("-"))
        datetime.date(2001, month, day)  # a year without 29 February: the day must exist every year
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a day of the year written MM-DD, not {raw!r}") from None
    return month, day


# Partnership tables: how many tables the public list shows per page.
TABLES_PAGE_SIZE = env.int("TABLES_PAGE_SIZE", default=20)
# The annual evaluation (seed 000: "toimintaa arvioidaan vuosittain"). The daily reminder
# sweep creates each active table's evaluation for the year and opens it on
# EVALUATION_OPENS (MM-DD, Helsinki date, default 1 November); answers are due
# EVALUATION_DUE_DAYS days later (default 30). Coordinators may schedule other dates.
EVALUATION_OPENS = env_month_day("EVALUATION_OPENS", default="11-01")
EVALUATION_DUE_DAYS = env.int("EVALUATION_DUE_DAYS", default=30)
if not 1 <= EVALUATION_DUE_DAYS <= 365:
    raise ImproperlyConfigured("EVALUATION_DUE_DAYS must be between 1 and 365.")
# Personal data (GDPR). Days a sent e-mail's delivery record is kept: reminders that can no longer
# be due are then deleted and invitations lose their delivery errors, nightly (outbox/retention.py).
# The privacy notice (/privacy/) states the period.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=180)
if not 1 <= OUTBOX_RETENTION_DAYS <= 3650:
    raise ImproperlyConfigured("OUTBOX_RETENTION_DAYS must be between 1 and 3650.")
# How long the unsubscribe link of a notification e-mail (List-Unsubscribe) keeps working.
OUTBOX_UNSUBSCRIBE_DAYS = env.int("OUTBOX_UNSUBSCRIBE_DAYS", default=365)
# The controller the privacy notice names: the wellbeing services county running the service, with
# its postal address; empty gives a generic sentence (the wellbeing services county that runs it).
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="")
# Where the privacy notice tells people to send data protection requests (e.g. the county's data
# protection officer); empty tells them to ask the coordinator of their wellbeing services county.
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
