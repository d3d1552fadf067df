"""Settings, read from the environment (django-environ).

Three modes, chosen by QINGDAN_ENV:

* ``dev`` (default): the embedded single-machine set-up of ``make run`` —
  SQLite under ``var/``, Celery on kombu's ``filesystem://`` broker, a secret
  key generated once into ``var/secret_key`` (never a new one per process).
* ``production``: every required value must be set; a missing or malformed
  one stops the process at start with a message naming it.
* ``test``: used by pytest (see ``config/settings_test.py``).
"""

from datetime import date
import math
from pathlib import Path
import ipaddress
import secrets
from urllib.parse import urlsplit

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


REQUIRED = object()  # a default meaning: production cannot run without this variable


def _env(name: str, default, parse=str):
    """``name`` from the environment, trimmed, through ``parse``; unset or blank gives ``default``
    (or stops the start when the default is ``REQUIRED``). ``parse`` raises ValueError saying
    what is wrong ("is malformed: expected …"); the start then stops naming the variable."""
    raw = env.str(name, default="").strip()
    if raw == "":
        if default is REQUIRED:
            raise ImproperlyConfigured(f"{name} must be set when QINGDAN_ENV=production (see README, 'Configuration').")
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} {exc}") from None


def _required(name: str) -> str:
    """A value production cannot run without; fail loudly."""
    return _env(name, REQUIRED)


def _envchoice(name: str, default: str, choices) -> str:
    def parse(raw):
        if raw not in choices:
            raise ValueError(f"is not valid: use one of {', '.join(choices)}.")
        return raw

    return _env(name, default, parse)


def _envbool(name: str, default: bool) -> bool:
    value = _envchoice(name, "", ("true", "false", "True", "False", "1", "0"))
    return default if value == "" else value in {"true", "True", "1"}


def _envnum(name: str, default, cast=int, *, low=None, high=None):
    """A number from the environment, within [low, high]."""
    kind = "a whole number" if cast is int else "a number"

    def parse(raw):
        try:
            value = cast(raw)
        except ValueError:
            raise ValueError(f"is malformed: expected {kind}.") from None
        if cast is float and not math.isfinite(value):
            raise ValueError(f"is malformed: expected {kind}.")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low} to {high}" if low is not None and high is not None else (
                f"at least {low}" if low is not None else f"at most {high}")
            raise ValueError(f"is out of range: expected {bounds}.")
        return value

    return _env(name, default, parse)


def _site_url(raw: str) -> str:
    """The absolute address users reach the site at (links in e-mails and robot messages)."""
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("is malformed: use https://host[:port][/path], e.g. https://qingdan.example.gov.cn")
    return raw.rstrip("/")


def _month_day(raw: str) -> tuple[int, int]:
    """A day of every year as MM-DD (29 February is refused: it is not in every year)."""
    try:
        month, day = (int(x) for x in raw.split("-"))
        date(2025, month, day)
    except ValueError:
        raise ValueError("is malformed: use MM-DD, e.g. 12-20.") from None
    return month, day


def _networks(raw: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks."""
    found = []
    for item in filter(None, (i.strip() for i in raw.split(","))):
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(f"is malformed: {item!r} is not an IP address or network.") from None
    return tuple(found)


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
    "accounts.admin_site.AdminConfig",  # django.contrib.admin, asking the policy who may use it
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
    "accounts.third_party.AxesConfig",  # django-axes, with a Chinese name
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "accounts",
    "responsibilities",
    "tasks",
    "inspections",
    "notifications",
    "reports",
    "assessment",
    "binders",
    "workapp",
    "letters",
    "api",
    # after the project's apps: their translations win over DRF's for shared msgids
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.PageGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "accounts.upload_limit.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.AdministratorConfinementMiddleware",
    "accounts.middleware.BreakGlassMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages ask for a page of rows or a few counts: parallel plans cost their workers' start-up
    # and, on a busy server, wait for cores the other requests hold. Measured on a province
    # (bench/province.py, 10 M tasks): a county's filtered task list took 171 ms with parallel
    # plans and 41 ms without. A ``-c`` option already in DATABASE_URL's ``options`` wins.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c max_parallel_workers_per_gather=0")
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
# template fragments that are the same for many users (the navbar): kept in each process
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "OPTIONS": {"MAX_ENTRIES": 1000}}

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.CaseInsensitiveModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "accounts.backends.AdministratorBackend",
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
QINGDAN_PASSWORD_MAX_AGE_DAYS = _envnum("QINGDAN_PASSWORD_MAX_AGE_DAYS", 90, low=1, high=365)

# 等保 8.1.4.1 b: lock the username after 5 consecutive failures for 30 minutes. These are the
# defaults; the security administrator's sign-in policy (accounts.policy) may set others.
QINGDAN_LOGIN_FAILURE_LIMIT = _envnum("QINGDAN_LOGIN_FAILURE_LIMIT", 5, low=1, high=20)
QINGDAN_LOCKOUT_MINUTES = _envnum("QINGDAN_LOCKOUT_MINUTES", 30, low=1, high=1440)
AXES_FAILURE_LIMIT = "accounts.policy.failure_limit"
AXES_COOLOFF_TIME = "accounts.policy.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = False  # a sign-in clears its failures once its last step passes (accounts.lockout)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 30 minutes from the lock, not from the last try
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # lockout is by username on purpose (shared NAT on 政务内网)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # the task tallies' NULLS NOT DISTINCT keys: SQLite keeps no tallies (tasks.tally), its pages count tasks
    SILENCED_SYSTEM_CHECKS += ["models.W047"]

# Second factor (accounts/twofactor.py): TOTP through django-otp, required for county staff and the
# administrators (accounts.scope.requires_second_factor), recovery codes as django-otp static tokens.
OTP_TOTP_ISSUER = "qingdan"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row the next try waits 2^(n-1) seconds
OTP_STATIC_THROTTLE_FACTOR = 1
# A sign-in through the work app (企业微信 / 钉钉) counts as the second factor only when the county
# turns this on: the default; the security administrator's sign-in policy may decide otherwise
# (accounts.policy.workapp_counts_as_second_factor).
QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = _envbool("QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR", False)

# Sessions: 30-minute idle, 12-hour absolute (accounts.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = _envnum("QINGDAN_SESSION_IDLE_SECONDS", 30 * 60, low=60)
SESSION_ABSOLUTE_SECONDS = _envnum("QINGDAN_SESSION_ABSOLUTE_SECONDS", 12 * 3600, low=SESSION_COOKIE_AGE)
# The idle window is renewed when the session is saved. Saving it on every request (Django's
# SESSION_SAVE_EVERY_REQUEST) costs a database write — a commit, a WAL flush — per page view;
# accounts.middleware.SessionLimitsMiddleware saves it at most once per SESSION_TOUCH_SECONDS
# instead, so a session ends after between 29 and 30 idle minutes (security.md AUTH-5).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = _envnum("QINGDAN_SESSION_TOUCH_SECONDS", 60, low=0, high=SESSION_COOKIE_AGE // 2)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Pages carry the CSRF token themselves (forms, htmx's hx-headers); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
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
            # gzip copies next to each file, which WhiteNoise serves to `make run` (collectstatic + runserver --nostatic)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# WhiteNoise serves STATIC_ROOT only (collectstatic), with its gzip copies, in every mode; plain
# `manage.py runserver` (without --nostatic) still serves static/ as edited.
WHITENOISE_USE_FINDERS = False
# Largest uploaded file: task evidence, inspection files and assessment evidence alike.
EVIDENCE_MAX_BYTES = _envnum("QINGDAN_EVIDENCE_MAX_MB", 20, low=1, high=1024) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# A file past the largest limit is refused while it arrives (accounts/upload_limit.py).
FILE_UPLOAD_HANDLERS = [
    "accounts.upload_limit.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
# Largest .xlsx import (org tree, accounts, duty lists, findings).
IMPORT_MAX_ROWS = _envnum("QINGDAN_IMPORT_MAX_ROWS", 20000, low=1)
IMPORT_MAX_BYTES = _envnum("QINGDAN_IMPORT_MAX_MB", 10, low=1, high=1024) * 1024 * 1024
QINGDAN_IMPORT_MAX_COLUMNS = _envnum("QINGDAN_IMPORT_MAX_COLUMNS", 100, low=1, high=16384)
# Most an import's parts may inflate to (a zip bomb is refused before it is read).
QINGDAN_IMPORT_MAX_UNCOMPRESSED_MB = _envnum("QINGDAN_IMPORT_MAX_UNCOMPRESSED_MB", 50, low=1, high=4096)

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
# Hard time limit of a task (seconds); the soft limit, at four fifths of it, lets the task end cleanly.
# The sender's lease and time budget below are bounded by them.
CELERY_TASK_TIME_LIMIT = _envnum("QINGDAN_TASK_TIME_LIMIT", 300, low=60, high=3000)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# --- the apps' own settings ---------------------------------------------------------
# Each is read here once, from the environment variable of the same name, with its default;
# the apps read settings.QINGDAN_X and keep no default of their own (tests/test_settings_defined.py).

# Absolute address of the site, for links in e-mails and robot messages.
QINGDAN_SITE_URL = _env("QINGDAN_SITE_URL", REQUIRED if PRODUCTION else "", _site_url)
# 制表单位 printed on workbooks; "" → the county commission, or the reader's own top org.
QINGDAN_REPORT_UNIT = env.str("QINGDAN_REPORT_UNIT", default="").strip()

# tasks / responsibilities / assessment
QINGDAN_TASK_NOTE_MAX_CHARS = _envnum("QINGDAN_TASK_NOTE_MAX_CHARS", 5000, low=100, high=100000)
QINGDAN_LIST_MAX_ITEMS = _envnum("QINGDAN_LIST_MAX_ITEMS", 500, low=1, high=10000)
QINGDAN_RISK_REVIEW_DUE = _env("QINGDAN_RISK_REVIEW_DUE", (12, 20), _month_day)  # (month, day) of the yearly risk-point review
# (month, day) by which a 目标责任书's signed scan is due (a letter issued later: 15 days after issue)
QINGDAN_LETTER_DUE = _env("QINGDAN_LETTER_DUE", (3, 31), _month_day)

# inspections: re-check after closing, and the 五书 escalation thresholds
QINGDAN_RECHECK_MONTHS = _envnum("QINGDAN_RECHECK_MONTHS", 6, low=1, high=60)
QINGDAN_ESCALATION_REMIND_DAYS = _envnum("QINGDAN_ESCALATION_REMIND_DAYS", 7, low=0, high=365)
QINGDAN_ESCALATION_LAG_FRACTION = _envnum("QINGDAN_ESCALATION_LAG_FRACTION", 0.5, float, low=0.05, high=1.0)
QINGDAN_ESCALATION_FINAL_DAYS = _envnum("QINGDAN_ESCALATION_FINAL_DAYS", 15, low=1, high=365)
QINGDAN_ESCALATION_ACCOUNTABILITY_DAYS = _envnum("QINGDAN_ESCALATION_ACCOUNTABILITY_DAYS", 30, low=1, high=365)

# notifications: robots, the sweep and the senders
# Robots: the providers' hosts only, over https, on public addresses (checked at send time, so a
# host name resolving to loopback or a private network is refused). Tests allow their loopback robot.
QINGDAN_WEBHOOK_ALLOWED_HOSTS = tuple(
    h.strip().lower()
    for h in env.list("QINGDAN_WEBHOOK_ALLOWED_HOSTS", default=["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
    if h.strip()
)
QINGDAN_WEBHOOK_ALLOW_HTTP = _envbool("QINGDAN_WEBHOOK_ALLOW_HTTP", False)
QINGDAN_WEBHOOK_ALLOW_PRIVATE = _envbool("QINGDAN_WEBHOOK_ALLOW_PRIVATE", False)
QINGDAN_WEBHOOK_TIMEOUT = _envnum("QINGDAN_WEBHOOK_TIMEOUT", 5.0, float, low=0.1, high=60)
# Work apps (企业微信 / 政务微信, 钉钉 / 政务钉钉): sign-in and personal messages. A provider is on
# when its corp id / app key is set. The API hosts are configurable for a county's private
# deployment (reached under the robots' address rules: https, public addresses unless
# QINGDAN_WEBHOOK_ALLOW_PRIVATE). Secrets: here or, kept encrypted, on the administration site.
QINGDAN_WECOM_CORP_ID = env.str("QINGDAN_WECOM_CORP_ID", default="").strip()
QINGDAN_WECOM_AGENT_ID = env.str("QINGDAN_WECOM_AGENT_ID", default="").strip()
QINGDAN_WECOM_SECRET = env.str("QINGDAN_WECOM_SECRET", default="").strip()
QINGDAN_WECOM_API_URL = _env("QINGDAN_WECOM_API_URL", "https://qyapi.weixin.qq.com", _site_url)
QINGDAN_WECOM_AUTHORIZE_URL = _env("QINGDAN_WECOM_AUTHORIZE_URL", "https://open.weixin.qq.com/connect/oauth2/authorize", _site_url)
QINGDAN_DINGTALK_APP_KEY = env.str("QINGDAN_DINGTALK_APP_KEY", default="").strip()
QINGDAN_DINGTALK_AGENT_ID = env.str("QINGDAN_DINGTALK_AGENT_ID", default="").strip()
QINGDAN_DINGTALK_APP_SECRET = env.str("QINGDAN_DINGTALK_APP_SECRET", default="").strip()
# The organisation's CorpId: the workbench page asks the 钉钉 client for a 免登 code with it.
QINGDAN_DINGTALK_CORP_ID = env.str("QINGDAN_DINGTALK_CORP_ID", default="").strip()
QINGDAN_DINGTALK_API_URL = _env("QINGDAN_DINGTALK_API_URL", "https://oapi.dingtalk.com", _site_url)
# The page that hands the browser a 免登 code (a 政务钉钉 deployment's authorisation page; "" → none:
# the workbench opens the sign-in link with the code itself).
QINGDAN_DINGTALK_AUTHORIZE_URL = _env("QINGDAN_DINGTALK_AUTHORIZE_URL", "", _site_url)
QINGDAN_WORKAPP_TIMEOUT = _envnum("QINGDAN_WORKAPP_TIMEOUT", 5.0, float, low=0.1, high=60)
# A row left in "sending" longer than the lease belongs to a dead sender: above Celery's hard
# time limit, so a slow but living sender is never overtaken; below the visibility timeout.
QINGDAN_SEND_LEASE_SECONDS = _envnum("QINGDAN_SEND_LEASE_SECONDS", 360, low=CELERY_TASK_TIME_LIMIT + 1, high=3599)
# A running export or binder renews its lease every quarter of this; one not renewed for this long
# has no living worker and is shown as interrupted (accounts/jobs.py, swept every minute).
QINGDAN_JOB_LEASE_SECONDS = _envnum("QINGDAN_JOB_LEASE_SECONDS", 120, low=8, high=3599)
QINGDAN_SEND_MAX_ATTEMPTS = _envnum("QINGDAN_SEND_MAX_ATTEMPTS", 8, low=1, high=100)
# Retry number n waits BACKOFF × 2^(n-1) seconds, at most BACKOFF_MAX.
QINGDAN_SEND_BACKOFF_SECONDS = _envnum("QINGDAN_SEND_BACKOFF_SECONDS", 60, low=1, high=86400)
QINGDAN_SEND_BACKOFF_MAX_SECONDS = _envnum(
    "QINGDAN_SEND_BACKOFF_MAX_SECONDS", 3600, low=QINGDAN_SEND_BACKOFF_SECONDS, high=7 * 86400
)
QINGDAN_SWEEP_BATCH_SIZE = _envnum("QINGDAN_SWEEP_BATCH_SIZE", 5000, low=1, high=100000)
QINGDAN_SEND_BATCH_SIZE = _envnum("QINGDAN_SEND_BATCH_SIZE", 50, low=1, high=10000)
# A sender stops claiming rows after this many seconds: below Celery's soft time limit.
QINGDAN_SEND_TIME_BUDGET = _envnum("QINGDAN_SEND_TIME_BUDGET", 180.0, float, low=1, high=CELERY_TASK_SOFT_TIME_LIMIT - 1)
QINGDAN_SEND_PARALLELISM = _envnum("QINGDAN_SEND_PARALLELISM", 4, low=1, high=64)
QINGDAN_ESCALATION_CATCHUP_DAYS = _envnum("QINGDAN_ESCALATION_CATCHUP_DAYS", 7, low=0, high=60)
QINGDAN_GROUP_MESSAGE_MAX_ITEMS = _envnum("QINGDAN_GROUP_MESSAGE_MAX_ITEMS", 15, low=1, high=200)

# SMS through the county's (or the province's) HTTP gateway; protocol in notifications/channels/sms.py.
# An empty URL leaves SMS off. The URL is the operator's own configuration: http and private
# (政务内网) addresses are allowed, unlike robots.
def _gateway_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username or parts.password:
        raise ValueError("is malformed: use http(s)://host[:port]/path, without a user name or password.")
    return raw


QINGDAN_SMS_URL = _env("QINGDAN_SMS_URL", "", _gateway_url)
QINGDAN_SMS_API_KEY = env.str("QINGDAN_SMS_API_KEY", default="").strip()
QINGDAN_SMS_SIGN = env.str("QINGDAN_SMS_SIGN", default="").strip()
QINGDAN_SMS_TEMPLATE_ID = env.str("QINGDAN_SMS_TEMPLATE_ID", default="").strip()
QINGDAN_SMS_TIMEOUT = _envnum("QINGDAN_SMS_TIMEOUT", 5.0, float, low=0.1, high=60)
QINGDAN_SMS_DAILY_CAP = _envnum("QINGDAN_SMS_DAILY_CAP", 3, low=1, high=50)
if QINGDAN_SMS_URL:
    for _name in ("QINGDAN_SMS_API_KEY", "QINGDAN_SMS_SIGN", "QINGDAN_SMS_TEMPLATE_ID"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set when QINGDAN_SMS_URL is (see README, 'Configuration').")

# --- Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere ------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# --- audit / retention ----------------------------------------------------------
AUDIT_RETENTION_DAYS = _envnum("QINGDAN_AUDIT_RETENTION_DAYS", 184, low=184)  # 等保: at least six months
# The reverse proxy's addresses or networks: only from them is an X-Request-ID header taken.
QINGDAN_TRUSTED_PROXIES = _env("QINGDAN_TRUSTED_PROXIES", (), _networks)

# --- 商用密码 keys (SM3 / SM4, accounts/crypto.py) --------------------------------------------
# Keyrings are "id=hexkey,id=hexkey": the first key is current, the others still decrypt or verify
# what was written under them (manage.py rotate_keys re-encrypts onto the current key).
# Required in production; dev and tests derive fixed keys from the secret key.
from accounts.crypto import dev_key as _dev_key, parse_keyring as _parse_keyring  # noqa: E402


def _keyring(name: str, purpose: str, **kw):
    """A keyring from the environment. Unlike _env, a malformed value is not repeated in the
    message: it is a secret."""
    raw = env.str(name, default="").strip()
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured(f"{name} must be set when QINGDAN_ENV=production (see README, 'Configuration').")
        raw = f"dev={_dev_key(SECRET_KEY, purpose, kw.get('key_bytes') or 32).hex()}"
    try:
        return _parse_keyring(raw, **kw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} {exc}") from None


# HMAC-SM3 keys of the audit trail's hash chain (manage.py verify_audit).
QINGDAN_AUDIT_KEYS = _keyring("QINGDAN_AUDIT_KEYS", "audit", min_bytes=32)
# SM4-GCM keys of the fields encrypted at rest (talk topics, accountability reasons, mobile numbers).
QINGDAN_FIELD_KEYS = _keyring("QINGDAN_FIELD_KEYS", "field", key_bytes=16)
# HMAC-SM3 key of the lookup digests (equality search on mobile numbers); one key, not rotated.
QINGDAN_LOOKUP_KEY = _keyring("QINGDAN_LOOKUP_KEY", "lookup", min_bytes=32)
# SM4 key of backup archives (manage.py backup / restore).
QINGDAN_BACKUP_KEYS = _keyring("QINGDAN_BACKUP_KEYS", "backup", key_bytes=16)
# Password hashing: pbkdf2_sm3 (PBKDF2-HMAC-SM3) or Django's pbkdf2_sha256; hashes of the
# other kind are upgraded at the user's next sign-in.
QINGDAN_PASSWORD_HASHER = _envchoice("QINGDAN_PASSWORD_HASHER", "pbkdf2_sm3", ("pbkdf2_sm3", "pbkdf2_sha256"))
_HASHERS = {
    "pbkdf2_sm3": "accounts.hashers.PBKDF2SM3PasswordHasher",
    "pbkdf2_sha256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
}
PASSWORD_HASHERS = [_HASHERS[QINGDAN_PASSWORD_HASHER]] + [
    h for h in (*_HASHERS.values(), "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
                "django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
                "django.contrib.auth.hashers.ScryptPasswordHasher")
    if h != _HASHERS[QINGDAN_PASSWORD_HASHER]
]

# --- production hardening ---------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _envnum("DJANGO_HSTS_SECONDS", 31536000, low=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS += ["security.W021"]  # no public preload list on an intranet
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _envchoice("QINGDAN_LOG_LEVEL", "INFO", LOG_LEVELS)},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_TITLE = _("Main-responsibility checklist system")
COUNTY_NAME = env.str("QINGDAN_COUNTY_NAME", default="").strip() or "示范县"

# --- REST API (api/) ---------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # enforces CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenOrUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.str("QINGDAN_API_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "qingdan API",
    "DESCRIPTION": "主体责任清单系统 API：与页面同一授权规则（范围外 404，无权操作 403）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "tasks.models.Task.Status",
        "ChecklistStatusEnum": "responsibilities.models.Checklist.Status",
        "FindingStatusEnum": "inspections.models.Finding.Status",
        "OrgKindEnum": "accounts.models.orgs.OrgKind",
    },
}
