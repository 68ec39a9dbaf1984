"""Hecha's settings, read from the environment.

Every variable read here is listed, with its default, in the README's Configuration table;
the README also gives the production values for running behind TLS and without it.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Return the environment variable `name` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalized = value.strip().lower()
    if normalized in {"1", "true", "yes", "on"}:
        return True
    if normalized in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    """Return the environment variable `name` read as a whole number of at least 0."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated environment variable `name` as a list."""
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY to a long random string (or DJANGO_DEBUG=true for local "
            "development): Hecha will not run in production without a secret key."
        )
    # Local development only: sessions signed with it are worthless outside this machine.
    SECRET_KEY = "django-insecure-hecha-local-development-only"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.HechaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "csp",
    "core.apps.LoginAttemptsConfig",
    "core",
    "sources",
    "claims",
    "compare",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "django_tasks",
    "core.apps.TaskResultsConfig",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page but the login page needs a signed-in user; views opt out with
    # django.contrib.auth.decorators.login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in is not enough: reading needs the Viewer role or one above it, on every URL.
    "claims.middleware.ViewerRoleRequiredMiddleware",
    "core.middleware.ReadingParamMiddleware",
    # A view's BadRequest answered with Hecha's 400 page, an address naming nothing with its
    # 404 page, never Django's debug pages; a form's address opened goes to the form's page.
    "core.middleware.BadRequestPageMiddleware",
    "core.middleware.NotFoundPageMiddleware",
    "core.middleware.FormAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "claims.context_processors.user_role",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Each worker keeps its connection for the next requests, for this many seconds...
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        # ...and checks it before a request uses it, so that after the database restarts
        # (or drops the connection) the next request opens a new one instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code when its estimated cost is high, which a
    # LIMIT over a selective filter at a million claims often is: 30-40 ms spent to save
    # nothing on a query that reads a few hundred rows, as every one of Hecha's does. For
    # the same reason it starts parallel workers: a count that stops at 1,001 pairs took
    # 40-100 ms with two of them, 24-27 ms without.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )
# `make run` serves pages beside a worker running jobs: two processes writing one SQLite
# file. A transaction that reads and then writes (most services) would take the write lock
# only at its first write, and SQLite refuses at once ("database is locked") a transaction
# whose lock another writer took meanwhile, however long the timeout: transactions take
# the lock when they begin, and wait up to 20 s for it. WAL lets pages read while a job
# writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes counts failed logins and refuses further ones, even with the right password,
# for an account or from an address that failed too often, until the lockout ends.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading each signed-in user's preferences with them, and
    # their own and their groups' permissions, and their groups' names, by one query.
    "core.backends.UserBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
# Either suffices: guessing one account's password from many addresses, or many accounts'
# from one address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful login does not wipe the failures: django-axes would forget every failure from
# the same address too, so anyone with an account of their own could reset the count between
# guesses at someone else's. Failures expire with the lockout time instead.
AXES_RESET_ON_SUCCESS = False
# Tries during a lockout do not extend it, so the time the lockout page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "config.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.logins.client_address"
# Reverse proxies in front of Hecha that append the client's address to X-Forwarded-For and
# set X-Forwarded-Proto; 0 when browsers connect to gunicorn directly.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Each language is named in itself, so a reader finds theirs whatever the page is in. A first
# visit follows the browser's Accept-Language: Django reads zh-TW, zh-HK and zh-MO as
# Traditional and zh-CN and zh-SG as Simplified; the switcher's choice is kept in a cookie.
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English keeps the unambiguous 2024-05-02; Chinese uses Django's own 2024年5月2日.
FORMAT_MODULE_PATH = ["config.formats"]
# A year, as the choice of script is a lasting one.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files that WhiteNoise serves, hashed and compressed.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded import files and finished exports: a folder on this machine by default, or an
# S3-compatible bucket that every app server and worker reads and writes alike.
MEDIA_ROOT = Path(os.environ.get("HECHA_MEDIA_ROOT") or BASE_DIR / "var" / "media")
HECHA_STORAGE = os.environ.get("HECHA_STORAGE", "").strip().lower() or "local"
if HECHA_STORAGE == "local":
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
elif HECHA_STORAGE == "s3":
    if not os.environ.get("HECHA_S3_BUCKET", "").strip():
        raise ImproperlyConfigured("HECHA_STORAGE=s3 needs HECHA_S3_BUCKET, the bucket's name.")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HECHA_S3_BUCKET"].strip(),
            # Unset, boto3 reads AWS_ACCESS_KEY_ID and friends, or the machine's role.
            "access_key": os.environ.get("HECHA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("HECHA_S3_SECRET_ACCESS_KEY") or None,
            "endpoint_url": os.environ.get("HECHA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HECHA_S3_REGION") or None,
            "location": os.environ.get("HECHA_S3_PREFIX", "").strip("/"),
            # Files are handed out only through Hecha's own views, which check the role.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"HECHA_STORAGE must be local or s3, not {HECHA_STORAGE!r}.")

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
# Off only for a deployment without TLS: browsers send Secure cookies over HTTPS alone.
SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language cookie carries no secret, but travels like the others; no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Behind TLS: send plain-HTTP visitors to HTTPS, and tell browsers to use nothing else.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("DJANGO_SECURE_HSTS_PRELOAD")
# A proxy that terminates TLS says so in X-Forwarded-Proto; trusted only when proxies are
# declared, since a client could send the header itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
SILENCED_SYSTEM_CHECKS = [
    # Asking browsers to preload HSTS binds the whole domain for months and is the domain
    # owner's decision, offered by DJANGO_SECURE_HSTS_PRELOAD; its absence is no fault.
    "security.W021",
    # SQLite keeps an index's key columns and drops its covering (INCLUDE) ones, which only
    # PostgreSQL uses to answer from the index alone; the index still serves its lookups.
    "models.W040",
]

# Pages run only the scripts and styles Hecha serves itself; inline script, inline style and
# event-handler attributes are refused, so text that slipped through escaping could not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        # The admin's pages need nothing inline but for one style attribute on the history
        # pages of django-simple-history, allowed by its hash alone: "border-top: 0". (A
        # ModelAdmin hiding both action bars would add an inline <style>; none does.) The
        # browsable API's filters button has another: "float: right; margin-right: 10px".
        "style-src": [SELF],
        "style-src-attr": [
            UNSAFE_HASHES,
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
            "'sha256-OfgyIBrd+/vP79JdFMYP+re4T+fIenvkrHPD2HZ8/cs='",
        ],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Features no page of Hecha uses; refusing them keeps injected content from asking for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

SEEDS_DIR = BASE_DIR / "seeds"

# Where this Hecha's public fact-check pages are read, e.g. https://hecha.example.org: the
# addresses in ClaimReview exports start with it. Unset, a web export uses the address it
# was asked at, and the export command needs --base-url.
HECHA_PUBLIC_BASE_URL = os.environ.get("HECHA_PUBLIC_BASE_URL", "").strip().rstrip("/")
# The organisation that stands behind the published reviews, named as their author.
HECHA_PUBLISHER = os.environ.get("HECHA_PUBLISHER", "").strip() or "Hecha"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Restoring an old version from the history page would bypass the services that
# anchor quotes and check versions; edits go through the change form instead.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The API under /api/v1/: tokens or the session, the Viewer role to read, cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        # For a signed-in user browsing the API; it checks the CSRF token on writes.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadsHecha"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNICODE_JSON": True,
    "VIEW_NAME_FUNCTION": "api.views.names.view_name",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hecha API",
    "DESCRIPTION": (
        "Read claims, sources, cross-references and verdicts, follow changed claims, and "
        "record verdicts. Authenticate with `Authorization: Bearer <token>`, a token made on "
        "the API tokens page (/account/tokens/)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ReadsHecha"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's scripts and styles come from this server, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# An import file larger than this is refused before a byte of it is read (1 GiB: about
# 400,000 claims with their articles).
HECHA_IMPORT_MAX_BYTES = env_int("HECHA_IMPORT_MAX_BYTES", 1024**3)

# Background jobs (exports, imports and runs over every claim started from the web) go
# through Django's tasks framework; the database backend needs no server beside the
# database, and `manage.py run_worker` runs them. Another backend can be named here.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("HECHA_TASKS_BACKEND", "").strip()
        or "django_tasks_db.DatabaseBackend",
    }
}
# Django's cache holds the drawn parts of the busiest pages (core/fragments.py), under keys
# made of everything they show, so no setting here can make one stale. The default keeps
# them in each worker's memory; a cache that all workers share (e.g.
# django.core.cache.backends.memcached.PyMemcacheCache at LOCATION 127.0.0.1:11211, with
# pymemcache installed) draws each once for all of them.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("HECHA_CACHE_BACKEND", "").strip()
        or "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": os.environ.get("HECHA_CACHE_LOCATION", "").strip(),
    }
}
# How long a drawn part, or an origin's traced lineage, is kept (neither goes stale, so this
# only bounds the memory they hold); 0 draws every page and traces every lineage afresh.
HECHA_FRAGMENT_CACHE_SECONDS = env_int("HECHA_FRAGMENT_CACHE_SECONDS", 24 * 60 * 60)
# How long the best candidates found for a claim are kept for the suggestion queue
# (compare.SuggestionShortlist): claims added or changed since may then join them. A claim
# changed since its list was made gets a new one whatever this says; 0 keeps none.
HECHA_SUGGESTION_SHORTLIST_SECONDS = env_int("HECHA_SUGGESTION_SHORTLIST_SECONDS", 60 * 60)
# A web export of more reviewed claims than this runs as a job; a smaller one is streamed.
HECHA_EXPORT_INLINE_LIMIT = env_int("HECHA_EXPORT_INLINE_LIMIT", 5000)
# A running job's worker writes its progress and a heartbeat this often; a job whose
# heartbeat is older than HECHA_JOB_STALE_SECONDS has lost its worker and is marked failed.
HECHA_JOB_HEARTBEAT_SECONDS = env_int("HECHA_JOB_HEARTBEAT_SECONDS", 5)
HECHA_JOB_STALE_SECONDS = env_int("HECHA_JOB_STALE_SECONDS", 120)
