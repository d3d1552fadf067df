"""Settings, read from the environment (django-environ).

Three modes, chosen by QINGDAN_ENV:

* ``dev`` (default): the embedded single-machine set-up of ``make run`` —
  SQLite under ``var/``, Celery on kombu's ``filesystem://`` broker, a secret
  key generated once into ``var/secret_key`` (never a new one per process).
* ``production``: every required value must be set; a missing or malformed
  one stops the process at start with a message naming it.
* ``test``: used by pytest (see ``config/settings_test.py``).
"""

from pathlib import Path
import secrets

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
QINGDAN_ENV = env.str("QINGDAN_ENV", default="dev")
if QINGDAN_ENV not in {"dev", "production", "test"}:
    raise ImproperlyConfigured(
        f"QINGDAN_ENV={QINGDAN_ENV!r} is not valid: use dev, production or test."
    )
PRODUCTION = QINGDAN_ENV == "production"
VAR_DIR = Path(env.str("QINGDAN_VAR_DIR", default=str(BASE_DIR / "var")))


def _required(name: str, cast=str):
    """Read a value that production cannot run without; fail loudly."""
    raw = env.str(name, default="")
    if not raw.strip():
        raise ImproperlyConfigured(
            f"{name} must be set when QINGDAN_ENV=production (see README, 'Configuration')."
        )
    try:
        return cast(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: {exc}") from exc


def _envbool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw not in {"true", "false", "True", "False", "1", "0"}:
        raise ImproperlyConfigured(f"{name}={raw!r}: use true or false.")
    return raw in {"true", "True", "1"}


def _envnum(name: str, default, cast=int):
    """A number from the environment; a malformed one stops the start naming the variable."""
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: expected a number.") from None


def _dev_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
    ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = False
elif QINGDAN_ENV == "test":
    SECRET_KEY = "test-only-" + "x" * 60
    ALLOWED_HOSTS = ["*"]
    DEBUG = False
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _dev_secret_key()
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DEBUG = _envbool("DJANGO_DEBUG", True)

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "treebeard",
    "simple_history",
    "django_htmx",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "axes",
    "accounts",
    "responsibilities",
    "tasks",
    "inspections",
    "notifications",
    "reports",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
if PRODUCTION:
    _required("DATABASE_URL")
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
except Exception as exc:  # noqa: BLE001 — any parse error is a configuration error
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
if "ENGINE" not in DATABASES["default"]:
    raise ImproperlyConfigured(
        "DATABASE_URL is malformed: use postgres://user:password@host:port/name or sqlite:////path/db.sqlite3"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} is malformed: use redis://host:6379/0")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.CaseInsensitiveModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "mobile", "email")},
    },
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
PASSWORD_MAX_AGE_DAYS = _envnum("QINGDAN_PASSWORD_MAX_AGE_DAYS", 90)

# 等保 8.1.4.1 b: lock the username after 5 consecutive failures for 30 minutes.
AXES_FAILURE_LIMIT = _envnum("QINGDAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _envnum("QINGDAN_LOCKOUT_MINUTES", 30, float) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 30 minutes from the lock, not from the last try
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # lockout is by username on purpose (shared NAT on 政务内网)

# Sessions: 30-minute idle, 12-hour absolute (accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = _envnum("QINGDAN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = _envnum("QINGDAN_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
# The idle window is renewed when the session is saved. Saving it on every request (Django's
# SESSION_SAVE_EVERY_REQUEST) costs a database write — a commit, a WAL flush — per page view;
# accounts.middleware.SessionLimitsMiddleware saves it at most once per SESSION_TOUCH_SECONDS
# instead, so a session ends after between 29 and 30 idle minutes (security.md AUTH-5).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = _envnum("QINGDAN_SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- i18n / time ------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static / media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("QINGDAN_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("QINGDAN_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = None  # evidence is only ever served through an authorising view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
EVIDENCE_MAX_BYTES = _envnum("QINGDAN_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640
IMPORT_MAX_ROWS = _envnum("QINGDAN_IMPORT_MAX_ROWS", 20000)
IMPORT_MAX_BYTES = _envnum("QINGDAN_IMPORT_MAX_MB", 10) * 1024 * 1024

# --- email -----------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="qingdan@localhost")
EMAIL_TIMEOUT = 10

# --- Celery -------------------------------------------------------------------
CELERY_FS_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("out", "processed", "control", "results"):
        (CELERY_FS_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "out"),
        "data_folder_out": str(CELERY_FS_DIR / "out"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    CELERY_RESULT_BACKEND = env.str(
        "CELERY_RESULT_BACKEND", default=f"file://{CELERY_FS_DIR / 'results'}"
    )
else:
    # Visibility timeout far above any task's run time; reminders never use ETA (security.md C1).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # safe: every side-effecting task is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# --- audit / retention ----------------------------------------------------------
AUDIT_RETENTION_DAYS = _envnum("QINGDAN_AUDIT_RETENTION_DAYS", 184)

# --- production hardening ---------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _envnum("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS += ["security.W021"]  # no public preload list on an intranet
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("QINGDAN_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_TITLE = _("Main-responsibility checklist system")
COUNTY_NAME = env.str("QINGDAN_COUNTY_NAME", default="示范县")
