"""Settings of the CEA Portal: the one place that reads the environment.

Defaults serve development (SQLite, eager Celery tasks, console email). Production
is `DJANGO_DEBUG=off`: it refuses to start without a secret key, allowed hosts and SITE_URL,
and passes `manage.py check --deploy`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789-abcdefghij"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The portal's address in emails' links (core.site_url). Required in production; in development
# links follow the request's host, or outside a request the one `make run HOST=…` serves on.
SITE_URL = env.str("SITE_URL", default="")
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DJANGO_DEBUG is off (e.g. https://portal.example.org)."
    )
_run_host = env.str("RUN_HOST", default="127.0.0.1:8000")  # set by `make run HOST=…`
if _run_host.isdigit():  # a port alone, as runserver takes it
    _run_host = f"127.0.0.1:{_run_host}"
elif _run_host.startswith(("0.0.0.0:", "[::]:")):  # every address: link to this machine
    _run_host = "localhost:" + _run_host.rsplit(":", 1)[1]
DEV_SITE_URL = f"http://{_run_host}"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django_countries",
    # ours
    "core",
    "accounts",
    "organizations",
    "giving",
    "transparency",
    "grants",
    "assistance",
    "academy",
    "volunteering",
    "dialogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.ratelimit.PageRateLimitMiddleware",  # 429 for an address asking too many pages
    "core.i18n.ApiLanguageMiddleware",  # /api/: Accept-Language, else English
    "django.middleware.common.CommonMiddleware",
    "core.site_url.RequestSiteURLMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.control_characters.ControlCharacterMiddleware",  # NUL & co.: a 400 naming the field
    "core.i18n.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: with 0, every request opens a new PostgreSQL connection, which
# took 6-7 ms of a 13-14 ms staff page here (the grants ranking through Django's WSGI handler);
# with 60 s the page took 6-9 ms. The health check (one SELECT 1 when a request first uses
# the connection) replaces a connection the database dropped instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles a query whose cost estimate passes a threshold: 0.3-1.3 s spent
# compiling the volunteering ranking, which then ran in a fraction of that (bench volunteering).
# The portal's queries are short web requests, never long analytic scans, so JIT only costs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A DATABASE_URL may carry its own ?options=...: add to it rather than lose jit=off.
    if "jit=" not in _db_options.get("options", ""):
        _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that logs and carries on when Redis refuses or hangs
            # (core/cache.py): short timeouts, then Redis is left alone for a few seconds.
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cea",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: in the database, read from Redis when there is one (core/sessions.py). Without
# Redis, from the database only: a cache in each process could not forget a signed-out
# session in the other processes.
SESSION_ENGINE = "core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# Public pages kept whole for anonymous visitors (core.page_cache): at most this long (seconds)
# when no change touches them; 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Requests per client address and period for the HTML pages (core.ratelimit), "0" = no limit.
PAGE_RATE_LIMIT = env.str("PAGE_RATE_LIMIT", default="600/60")
# Addresses or networks of the reverse proxies in front of gunicorn (comma-separated, e.g.
# "127.0.0.1,10.0.0.0/8"): only from them is X-Forwarded-For believed (core.ratelimit).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend's permissions of a person kept in the cache (signs nobody in; before ModelBackend).
    "accounts.backends.CachedPermissionsBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CEA] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CEA Portal"
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}
COUNTRIES_FIRST = ["XK", "DE", "CH", "AT", "US", "SE", "IT", "GB", "FR", "BE", "NL"]

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "sq"
LANGUAGES = [
    ("sq", _("Albanian")),
    ("sr-latn", _("Serbian (Latin)")),
    ("en", _("English")),
]
# locale_thirdparty/countries: the Albanian country names django-countries lacks
# (scripts/build_country_names.py).
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale_thirdparty",
    BASE_DIR / "locale_thirdparty" / "countries",
]
USE_I18N = True
# Dates and times as each language writes them (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = "Europe/Belgrade"

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Files that are never served by a public URL (report exports, private documents):
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=2 * 1024 * 1024)
GIVING_IMPORT_MAX_ROWS = env.int("GIVING_IMPORT_MAX_ROWS", default=20_000)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Organisations whose yearly income is below this (EUR) file the short transparency form.
TRANSPARENCY_SMALL_INCOME_THRESHOLD = env.int("TRANSPARENCY_SMALL_INCOME_THRESHOLD", default=30_000)
# Pre-fill of a new transparency report: `fn(organization, year)` of each installed app (transparency.prefill).
TRANSPARENCY_PREFILL_PROVIDERS = [
    "transparency.prefill.from_last_report",
    "giving.selectors.transparency_prefill",
    "grants.selectors.transparency_prefill",
    "volunteering.selectors.transparency_prefill",
]
TRANSPARENCY_DOCUMENT_MAX_BYTES = env.int("TRANSPARENCY_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Grants: attachments of applications and reports, and the 360Giving identifier prefix.
# Dialogue: documents and photos added after an event; the hour (Europe/Belgrade) of the digests.
DIALOGUE_DOCUMENT_MAX_BYTES = env.int("DIALOGUE_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DIALOGUE_PHOTO_MAX_BYTES = env.int("DIALOGUE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
DIALOGUE_DIGEST_HOUR = env.int("DIALOGUE_DIGEST_HOUR", default=7)
GRANTS_ATTACHMENT_MAX_BYTES = env.int("GRANTS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
GRANTS_MAX_ATTACHMENTS = env.int("GRANTS_MAX_ATTACHMENTS", default=30)
GRANTS_360_PREFIX = env.str("GRANTS_360_PREFIX", default="360G-KCSF")
GRANTS_FUNDER_NAME = env.str("GRANTS_FUNDER_NAME", default="Kosovar Civil Society Foundation (KCSF)")
GRANTS_FUNDER_ID = env.str("GRANTS_FUNDER_ID", default="XK-KCSF")

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="core.mail.ConsoleEmailBackend"  # readable on the console, attachments as one line
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if not DEBUG or env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CEA Portal <no-reply@cea-kosovo.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's DatabaseScheduler that survives a database outage (core/beat.py).
CELERY_BEAT_SCHEDULER = "core.beat:ResilientDatabaseScheduler"
# A broker that is down or hung must fail fast, never hang a request (RECIPES.md).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 1
CELERY_BEAT_SCHEDULE = {
    "resend-pending-email": {
        "task": "core.tasks.email_outbox_flush",
        "schedule": 300.0,
    },
    "requeue-background-jobs": {  # every job whose send was lost (core.jobs)
        "task": "core.tasks.jobs_requeue",
        "schedule": 60.0,
    },
    "purge-idempotency-keys": {  # hourly; keys are kept 24 h (core.api.idempotency)
        "task": "core.tasks.idempotency_keys_purge",
        "schedule": 60 * 60.0,
    },
    "recompute-transparency-badges": {  # daily: report deadlines pass without any event
        "task": "transparency.tasks.recompute_all_badges",
        "schedule": 24 * 60 * 60.0,
    },
    "mark-late-strategy-measures": {  # daily: measures past their deadline become "late"
        "task": "transparency.tasks.measures_mark_late",
        "schedule": 24 * 60 * 60.0,
    },
    "dialogue-commitment-reminders": {  # daily; each reminder goes once (core.reminders)
        "task": "dialogue.tasks.commitment_reminders",
        "schedule": 24 * 60 * 60.0,
    },
    "dialogue-daily-digest": {  # what changed in what people follow; once per person and day
        "task": "dialogue.tasks.digests_send",
        "schedule": crontab(minute=0, hour=DIALOGUE_DIGEST_HOUR),
        "args": ("daily",),
    },
    "dialogue-weekly-digest": {  # Mondays; once per person and week
        "task": "dialogue.tasks.digests_send",
        "schedule": crontab(minute=0, hour=DIALOGUE_DIGEST_HOUR, day_of_week=1),
        "args": ("weekly",),
    },
    "mark-late-dialogue-commitments": {  # daily: commitments past their date become "late"
        "task": "dialogue.tasks.commitments_mark_late",
        "schedule": 24 * 60 * 60.0,
    },
    "close-dialogue-consultations": {  # open consultations past their close date-time are closed
        "task": "dialogue.tasks.consultations_close_due",
        "schedule": 15 * 60.0,
    },
    "refresh-giving-aggregates": {"task": "giving.tasks.refresh_aggregates_if_changed", "schedule": 900.0},
    "grants-reminders": {  # hourly; every reminder goes once (core.reminders)
        "task": "grants.tasks.send_reminders",
        "schedule": 60 * 60.0,
    },
    "volunteering-reminders": {  # hourly; saved deadlines, unconfirmed hours, digests (each once)
        "task": "volunteering.tasks.send_reminders",
        "schedule": 60 * 60.0,
    },
    "assistance-reminders": {  # hourly; unassigned requests, overdue answers (each once)
        "task": "assistance.tasks.send_reminders",
        "schedule": 60 * 60.0,
    },
    "academy-lapse-offers": {  # hourly; a place not confirmed in 7 days goes to the waiting list
        "task": "academy.tasks.lapse_expired_offers",
        "schedule": 60 * 60.0,
    },
    "academy-session-reminders": {  # every 15 minutes; a reminder 24 h before each session (once)
        "task": "academy.tasks.send_session_reminders",
        "schedule": 15 * 60.0,
    },
}

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",  # 400, not a 500, for JSON nested too deeply
        "core.api.parsers.FormParser",  # and a 400 for control characters in every body
        "core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.filters.StrictOrderingFilter",  # an unknown field is a 400, not ignored
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonBurstThrottle",
        "core.api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "token": env.str("API_THROTTLE_TOKEN", default="600/min"),
    },
    # How many reverse proxies stand in front of the portal: the anonymous throttle keys on
    # the address the last one appended to X-Forwarded-For; 0 = REMOTE_ADDR (the header,
    # which any client can send, is ignored). README, "Production".
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CEA Portal API",
    "DESCRIPTION": "Public and partner API of the Citizen Engagement Activity portal (Kosovo).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.ordering_needs_a_value",
        "core.api.schema.strings_refuse_control_characters",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Offline: no badge fetched from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "GivingSourceEnum": "giving.choices.Source",
        "FundingSourceEnum": "transparency.choices.FundingSource",
        # dialogue's commitment status is a ChoiceField subclass: its enum is hashed by values only.
        "CommitmentStatusEnum": ["planned", "in_progress", "done", "late", "dropped"],
        "ConsultationStatusEnum": "dialogue.choices.ConsultationStatus",
    },
}

# --- Security -----------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF making logs every step ("Step 1 - Fetching …") and font subsetting at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
