"""Terrain settings: one module, driven by environment variables.

Every variable is listed in README.md. A value that cannot be parsed stops the
start-up with ImproperlyConfigured naming the variable, rather than guessing.
"""

import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_env = environ.Env()


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable: `true` or `false` (also 1/0, yes/no), anything else is an error."""
    raw = _env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"true", "1", "yes", "on"}:
        return True
    if raw in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number variable, at least `minimum`."""
    raw = _env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_str(name: str, default: str = "") -> str:
    return _env.str(name, default=default).strip()


# A checkout's own variables: `make run` writes .env at the project root once (DEBUG=true and
# a random SECRET_KEY), so that manage.py commands work as they do under make run. Variables
# set in the environment win over the file's. Without the file (production, Docker, CI: it is
# git- and docker-ignored) nothing is read. ENV_FILE names another file; empty, none.
ENV_FILE = env_str("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)
elif ENV_FILE and "ENV_FILE" in os.environ:
    raise ImproperlyConfigured(f"ENV_FILE names no file: {ENV_FILE!r}")

# Off unless DEBUG=true; `make run` sets it for the local development server (and its .env).
DEBUG = env_bool("DEBUG", False)

# Required in production; a fixed insecure key only when DEBUG is on.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "django-insecure-terrain-development-key-do-not-use-in-production"  # noqa: S105

# Local names only by default; a comma-separated list in production.
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
if not all(ALLOWED_HOSTS):
    raise ImproperlyConfigured("ALLOWED_HOSTS has an empty entry")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, from PyPI: no CDN
    "axes",
    # Two-factor authentication: authenticator apps (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "campaign",
    "contacts",
    "actions.petitions",
    "actions.sms",
    "actions.canvassing",
    "actions.donations",
    "actions.emails",
    # Email providers' APIs and their tracking webhooks (EMAIL_PROVIDER below).
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "campaign.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaign.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Knows whether this session passed the second factor; the next one acts on it.
    "django_otp.middleware.OTPMiddleware",
    "campaign.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campaign.urls"
WSGI_APPLICATION = "campaign.wsgi.application"
AUTH_USER_MODEL = "campaign.User"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite file unless DATABASE_URL is set, so `make run` works on a fresh machine.
try:
    DATABASES = {
        "default": _env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:/// URL")
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: 5 failed logins for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address as rate limits read it (behind a proxy, the one the proxy saw), not the proxy's.
AXES_CLIENT_IP_CALLABLE = "campaign.http.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication: admins and organizers must enter a code from an authenticator
# app after their password (true unless DEBUG, so the demo logs in with a password alone).
# Anyone who set up an authenticator is asked for its code whatever this says.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Terrain")
# After each wrong code, the next try waits 1, 2, 4, 8… seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The Django admin lists authenticators (to remove a lost one) without showing their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password reset emails asked for from one address, and sent to one account, per hour;
# beyond, the page answers the same and sends nothing.
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 5, minimum=1)
PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = env_int("PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3, minimum=1)

# French first; English when the person picks it with the switcher.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", "Français"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be fr or en, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE is not a known time zone: {TIME_ZONE!r}") from None
USE_I18N = True
USE_TZ = True

# Uploaded files (import files). A volume in production: workers read what web stored.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# An XLSX file is a zip: above this many MB unpacked (as its zip directory declares them)
# it is refused before anything opens it (a few KB of zip can unpack to gigabytes).
# 200 MB is about 400,000 rows of eight columns; a larger list comes as CSV.
IMPORT_XLSX_MAX_UNCOMPRESSED_MB = env_int("IMPORT_XLSX_MAX_UNCOMPRESSED_MB", 200, minimum=1)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet (the canvassing map) comes from the django-leaflet package. Only its static files
# are used: as an installed app its admin widgets would need GDAL.
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet is None or not _leaflet.submodule_search_locations:
    raise ImproperlyConfigured("The django-leaflet package is missing: run make install")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    Path(_leaflet.submodule_search_locations[0]) / "static",
]
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
# Without collectstatic (tests, a first run) WhiteNoise still finds files in the apps.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Email: where it goes is EMAIL_PROVIDER's choice. Empty (the embedded default): nothing
# leaves the machine, each message is printed on the console and kept for a week in
# MEDIA_ROOT/outbox/, which staff read at /emails/outbox/. "smtp": the server EMAIL_URL names
# (smtp://user:pass@host:587, or smtp+tls://…); an EMAIL_URL alone means smtp, as it always
# has. Any other name is a provider's API through django-anymail, with its keys below.
EMAIL_PROVIDERS: dict[str, dict] = {
    # Each provider (its anymail backend's name): the variables it cannot send without, and
    # the optional ones; each lands in ANYMAIL under its own name, which is anymail's key.
    "brevo": {"required": ["BREVO_API_KEY"], "optional": []},
    "mailjet": {
        "required": ["MAILJET_API_KEY", "MAILJET_SECRET_KEY"],
        "optional": [],
    },
    "amazon_ses": {
        # Credentials come the way boto3 finds them (AWS_ACCESS_KEY_ID and
        # AWS_SECRET_ACCESS_KEY, or the machine's role); the region is said here.
        "required": ["AMAZON_SES_REGION"],
        "optional": ["AMAZON_SES_CONFIGURATION_SET_NAME"],
    },
    "mailgun": {
        "required": ["MAILGUN_API_KEY"],
        # MAILGUN_API_URL: https://api.eu.mailgun.net/v3 for a domain in Mailgun's EU region.
        "optional": ["MAILGUN_SENDER_DOMAIN", "MAILGUN_API_URL", "MAILGUN_WEBHOOK_SIGNING_KEY"],
    },
    "postmark": {
        "required": ["POSTMARK_SERVER_TOKEN"],
        "optional": ["POSTMARK_MESSAGE_STREAM"],
    },
    "sendgrid": {
        "required": ["SENDGRID_API_KEY"],
        "optional": ["SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY"],
    },
}
EMAIL_PROVIDER = env_str("EMAIL_PROVIDER").lower()
_email_url = env_str("EMAIL_URL")
# consolemail:// was the default before the outbox (docker-compose still passes it): the same.
if _email_url == "consolemail://":
    _email_url = ""
if not EMAIL_PROVIDER and _email_url:
    EMAIL_PROVIDER = "smtp"
if _email_url and EMAIL_PROVIDER != "smtp":
    raise ImproperlyConfigured(
        f"EMAIL_URL is for EMAIL_PROVIDER=smtp, not {EMAIL_PROVIDER}: unset one of them"
    )
ANYMAIL: dict = {}
if EMAIL_PROVIDER == "":
    EMAIL_BACKEND = "actions.emails.backends.OutboxBackend"
elif EMAIL_PROVIDER == "smtp":
    if not _email_url:
        raise ImproperlyConfigured(
            "EMAIL_PROVIDER=smtp needs EMAIL_URL (smtp://user:pass@host:587)"
        )
    try:
        vars().update(_env.email_url("EMAIL_URL"))
    except (ImproperlyConfigured, KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"EMAIL_URL cannot be read: {exc}") from None
elif EMAIL_PROVIDER in EMAIL_PROVIDERS:
    _provider = EMAIL_PROVIDERS[EMAIL_PROVIDER]
    _missing = [name for name in _provider["required"] if not env_str(name)]
    if _missing:
        raise ImproperlyConfigured(
            f"EMAIL_PROVIDER={EMAIL_PROVIDER} needs {' and '.join(_missing)}"
        )
    for _name in _provider["required"] + _provider["optional"]:
        if env_str(_name):
            ANYMAIL[_name] = env_str(_name)
    if EMAIL_PROVIDER == "amazon_ses":
        if importlib.util.find_spec("boto3") is None:
            raise ImproperlyConfigured(
                "EMAIL_PROVIDER=amazon_ses needs boto3, not installed by default: "
                "run .venv/bin/pip install -e '.[amazon-ses]'"
            )
        # boto3 takes the region among its client's parameters, not as a setting of its own.
        ANYMAIL["AMAZON_SES_CLIENT_PARAMS"] = {"region_name": ANYMAIL.pop("AMAZON_SES_REGION")}
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
else:
    raise ImproperlyConfigured(
        f"EMAIL_PROVIDER must be empty, smtp or one of {', '.join(EMAIL_PROVIDERS)}, "
        f"not {EMAIL_PROVIDER!r}"
    )
# The providers' tracking webhooks (bounces, complaints) come with this "user:password" as
# HTTP basic authentication, set in the provider's webhook URL (https://user:password@…).
ANYMAIL_WEBHOOK_SECRET = env_str("ANYMAIL_WEBHOOK_SECRET")
if ANYMAIL_WEBHOOK_SECRET:
    if ":" not in ANYMAIL_WEBHOOK_SECRET or len(ANYMAIL_WEBHOOK_SECRET) < 20:
        raise ImproperlyConfigured(
            "ANYMAIL_WEBHOOK_SECRET must read user:password, at least 20 characters long"
        )
    ANYMAIL["WEBHOOK_SECRET"] = ANYMAIL_WEBHOOK_SECRET
# A mail server that stops answering must not hold a worker for ever (seconds).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 30, minimum=1)
# The embedded outbox keeps each message this many days (older ones go at the next write).
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 7, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Terrain <no-reply@localhost>")
# The public address of the site, for links in emails (petition confirmations).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://")
# The mailbox of List-Unsubscribe's mailto (RFC 2369), for mail apps that only write; empty:
# the blast's sender (its reply-to address if it has one).
EMAIL_UNSUBSCRIBE_MAILTO = env_str("EMAIL_UNSUBSCRIBE_MAILTO")
# Blasts: messages a second per sender, shared by every worker (the provider's limit);
# tries of a message when the server cannot be reached; seconds after which a message a
# worker claimed and never finished is given up (never sent again: nobody gets it twice).
EMAIL_MESSAGES_PER_SECOND = env_int("EMAIL_MESSAGES_PER_SECOND", 50, minimum=1)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 5, minimum=1)
EMAIL_CLAIM_STALE_SECONDS = env_int("EMAIL_CLAIM_STALE_SECONDS", 600, minimum=30)
# Every email's template (templates/mail/): the name in its banner, the banner's colour
# (#rrggbb), and the sender's postal address in its footer (the law asks it of a
# campaign's mailings; empty until set).
MAIL_BRAND_NAME = env_str("MAIL_BRAND_NAME", "Terrain")
MAIL_BRAND_COLOUR = env_str("MAIL_BRAND_COLOUR", "#b3262e")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", MAIL_BRAND_COLOUR):
    raise ImproperlyConfigured(f"MAIL_BRAND_COLOUR must read #rrggbb, not {MAIL_BRAND_COLOUR!r}")
MAIL_POSTAL_ADDRESS = env_str("MAIL_POSTAL_ADDRESS")

# Celery: tasks run eagerly in-process unless REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
# The cache is Redis too (shared by web and workers: import progress), else in-process.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# In each process's memory, for what may be a few seconds stale and is read on every public
# page view (a petition and its rendered page): no network round trip.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# Run by `celery beat` (docker-compose's beat service).
CELERY_BEAT_SCHEDULE = {
    "retention": {"task": "contacts.retention_apply", "schedule": crontab(hour=3, minute=30)},
    "duplicates": {"task": "contacts.duplicates_refresh", "schedule": crontab(hour=4, minute=15)},
    # Petition signatures are merged as they come; this only catches a lost task.
    "petition-signatures": {"task": "petitions.merge_signatures", "schedule": 60.0},
    # Texts whose worker died, and blasts whose tasks were lost, are picked up again.
    "sms-recover": {"task": "sms.recover", "schedule": 60.0},
    # Email blasts whose send tasks were lost, and messages a dead worker left claimed.
    "emails-recover": {"task": "emails.recover", "schedule": 60.0},
    # Each monthly gift taken on its day of the month (and any day missed, the next day).
    "donations-monthly": {"task": "donations.monthly", "schedule": crontab(hour=8, minute=0)},
    # The dashboard's summary tables: the people whose stages changed (and once a day, all).
    "funnel-refresh": {"task": "contacts.funnel_refresh", "schedule": 60.0},
    # Webhook deliveries whose next attempt has come (backoff), or left by a dead worker.
    "webhooks-retry": {"task": "webhooks.retry", "schedule": 60.0},
}
# Off: `make run` turns it on. With no REDIS_URL (no worker, no beat), runserver runs the
# schedule above itself, in a thread of its serving process (campaign/scheduler.py).
EMBEDDED_BEAT = env_bool("EMBEDDED_BEAT", False)

# SMS: Twilio when its credentials are set, else a backend that only logs.
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_FROM = env_str("TWILIO_FROM")
# Tests and benchmarks only: a local server that speaks Twilio's REST API.
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL")
if TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN:
    if not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN):
        raise ImproperlyConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together")
    if not (TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM):
        raise ImproperlyConfigured(
            "Twilio needs a sender: TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM"
        )
    SMS_BACKEND = "actions.sms.backends.TwilioBackend"
else:
    SMS_BACKEND = "actions.sms.backends.LogBackend"
# The sender's throughput, in message segments per second, shared by every worker
# (an alphanumeric sender ID in France: 10).
SMS_SEGMENTS_PER_SECOND = env_int("SMS_SEGMENTS_PER_SECOND", 10, minimum=1)
# Calls to the provider in flight per worker process: a provider answering in 200 ms must
# not cap a worker at 5 texts a second.
SMS_CONCURRENCY = env_int("SMS_CONCURRENCY", 64, minimum=1)
# No bulk text in this window, Europe/Paris time ("" for none); each blast can change it.
SMS_QUIET_HOURS = env_str("SMS_QUIET_HOURS", "21:00-09:00")
if SMS_QUIET_HOURS and not re.fullmatch(
    r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", SMS_QUIET_HOURS
):
    raise ImproperlyConfigured(
        f"SMS_QUIET_HOURS must look like 21:00-09:00, not {SMS_QUIET_HOURS!r}"
    )
# Appended to every bulk text (CNIL: each message says how to stop).
SMS_OPT_OUT_LINE = env_str("SMS_OPT_OUT_LINE", "STOP au 36180")
# For the estimate shown before sending, in euros per segment.
SMS_PRICE_PER_SEGMENT = env_str("SMS_PRICE_PER_SEGMENT", "0.0700")
# A text claimed this long ago and still not recorded as sent belonged to a worker that
# died: it is checked against the provider, then sent only if the provider never got it.
SMS_CLAIM_STALE_SECONDS = env_int("SMS_CLAIM_STALE_SECONDS", 120, minimum=1)
# How long a call to the provider may take before it counts as lost. A text whose answer was
# lost is looked up at the provider before it is sent again.
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 15, minimum=1)
# A text the provider keeps refusing as busy or broken (429, 5xx, no answer) is tried this
# many times, a minute apart (each time with a few quick retries), then marked failed.
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 10, minimum=1)

# Donations: which provider takes cards on the public pages ("" for none: cheques and
# transfers only). "fake_card" plays a card provider locally, for tests and demos only.
DONATION_CARD_PROVIDER = env_str("DONATION_CARD_PROVIDER", "fake_card" if DEBUG else "")
if DONATION_CARD_PROVIDER not in ("", "fake_card"):
    raise ImproperlyConfigured(
        f"DONATION_CARD_PROVIDER must be empty or fake_card, not {DONATION_CARD_PROVIDER!r}"
    )
# The fake provider marks a gift paid for anyone typing 4242 4242 4242 4242: in production it
# would record money never received (and receipts). Tests set it in settings, not the env.
if DONATION_CARD_PROVIDER == "fake_card" and not DEBUG:
    raise ImproperlyConfigured(
        "DONATION_CARD_PROVIDER=fake_card is for tests and demos: it needs DEBUG=true"
    )
# Said on the thank-you page of a pledge: who to make the cheque out to, where to transfer.
DONATION_CHEQUE_ORDER = env_str("DONATION_CHEQUE_ORDER", "")
DONATION_IBAN = env_str("DONATION_IBAN", "")
# A cheque or transfer pledged on a fundraising page and not marked paid after this many days
# stops counting toward the donor's cap (anyone may pledge under any email; a pledge never
# paid must not block the person's real gifts for good).
DONATION_PLEDGE_EXPIRY_DAYS = env_int("DONATION_PLEDGE_EXPIRY_DAYS", 30, minimum=1)

# Signatures accepted from one IP address per minute (offices and phones behind one
# address sign together; a bot's flood is throttled with a message, not lost silently).
DONATION_ATTEMPTS_PER_IP_PER_MINUTE = env_int("DONATION_ATTEMPTS_PER_IP_PER_MINUTE", 10, minimum=1)
PETITION_SIGNATURES_PER_IP_PER_MINUTE = env_int(
    "PETITION_SIGNATURES_PER_IP_PER_MINUTE", 20, minimum=1
)

# Behind a reverse proxy, the request header holding the visitor's address as the proxy
# sets it (e.g. HTTP_X_REAL_IP); empty: the connection's address (REMOTE_ADDR).
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
# How many proxies in front of Terrain append to that header: the visitor's address is read
# that many entries from the right (entries further left are the visitor's own words).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1, minimum=1)

# Outgoing webhooks reach only public internet addresses: never loopback, private networks,
# link-local (a cloud's metadata service) and the like, checked when saved and at each
# delivery. True only for a receiver inside your own network (and in tests).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)

# The region used to read phone numbers written without a country code.
PHONE_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "FR").upper()

# Behind a TLS proxy in production: secure cookies and HSTS unless DEBUG.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Believe X-Forwarded-Proto only when a proxy sets it (and drops any the visitor sent):
# otherwise a visitor on plain HTTP could claim HTTPS. Off unless TRUST_X_FORWARDED_PROTO.
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_X_FORWARDED_PROTO else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The preload flag only matters once the domain is submitted to browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# /healthz answers anyone "ok" or "unavailable"; the state of each service needs a staff
# login or this token in the X-Healthz-Token header (for monitoring). Empty: staff only.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")
if HEALTHZ_TOKEN and len(HEALTHZ_TOKEN) < 20:
    raise ImproperlyConfigured("HEALTHZ_TOKEN must be at least 20 characters long")
# /healthz is probed by load balancers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Staff only unless a view opts in (campaign.api.permissions: Public, OnMission).
    "DEFAULT_PERMISSION_CLASSES": ["campaign.api.permissions.StaffOnly"],
    "DEFAULT_SCHEMA_CLASS": "campaign.api.schema.OsdiAutoSchema",
    "EXCEPTION_HANDLER": "campaign.api.errors.api_exception_handler",
}
# The public API (/api/v1/): calls per token, as "N/sec", "N/min", "N/hour" or "N/day".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT must read like 600/min, not {API_RATE_LIMIT!r}")
SPECTACULAR_SETTINGS = {
    "TITLE": "Terrain API (OSDI 1.2)",
    "DESCRIPTION": "People and actions of a campaign, in the Open Supporter Data Interface's "
    "shapes (HAL+JSON). Send your token in the OSDI-API-Token header.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
