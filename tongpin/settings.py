"""Settings in three layers, as Zulip does.

1. Defaults in this file: a working embedded setup (SQLite, no Redis).
2. The site's own values: a TOML file named by ``TONGPIN_CONFIG`` (default ``var/tongpin.toml``)
   and environment variables (``DATABASE_URL``, ``TONGPIN_SECRET_KEY`` …); the environment wins.
3. Computed values derived from the above (database options, security flags).
"""

import os
import sys
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("TONGPIN_VAR_DIR", PROJECT_DIR / "var"))

# ---- layer 2: the site's own values -------------------------------------------------
_config_path = Path(os.environ.get("TONGPIN_CONFIG", VAR_DIR / "tongpin.toml"))
SITE_CONFIG: dict = {}
if _config_path.is_file():
    SITE_CONFIG = tomllib.loads(_config_path.read_text(encoding="utf-8"))


def site_value(name: str, default=None):
    """Environment ``TONGPIN_<NAME>`` first, then the config file's ``name``, then the default."""
    env = os.environ.get(f"TONGPIN_{name.upper()}")
    if env is not None:
        return env
    return SITE_CONFIG.get(name, default)


def _flag(value) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


DEBUG = _flag(site_value("debug", False))
SECRET_KEY = site_value("secret_key") or ""
ALLOWED_HOSTS = [h for h in str(site_value("allowed_hosts", "127.0.0.1,localhost")).split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in str(site_value("csrf_trusted_origins", "")).split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "huey.contrib.djhuey",
    "treebeard",
    "simple_history",
    "tongpin.core",
    "tongpin.orgs",
    "tongpin.accounts",
    "tongpin.members",
    "tongpin.work",
    "tongpin.life",
    "tongpin.directives",
    "tongpin.study",
    "tongpin.assess",
    "tongpin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tongpin.core.middleware.RequestContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tongpin.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "tongpin.urls"
WSGI_APPLICATION = "tongpin.wsgi.application"

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
                "tongpin.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
# lockout after repeated failures (security.md 8.1.4.1)
AUTHENTICATION_BACKENDS = ["tongpin.accounts.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "tongpin.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tongpin.accounts.validators.CharacterClassValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Every page is in Chinese whatever the browser asks for (an English browser must not
# switch the site to the English msgids).
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = str(site_value("time_zone", "Asia/Shanghai"))
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# idle timeout (security.md: 30 minutes, a setting); logout flushes the server-side session
SESSION_COOKIE_AGE = int(site_value("session_idle_seconds", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only; DRF's browsable pages (which link to its website) only when DEBUG is on
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tongpin.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongpin API",
    "DESCRIPTION": "同频: party work and business work as one. Every endpoint is scoped to the "
    "caller's part of the organization tree.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "tongpin.core.log_filters.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": str(site_value("log_level", "WARNING"))},
}

# ---- domain settings (local practice: settings, not constants; see rules.md) ----------
TONGPIN = {
    "TERM_WARNING_DAYS": int(site_value("term_warning_days", 90)),  # rule ORG-05
    "BRANCH_MIN_FULL_MEMBERS": 3,  # rule ORG-01
    "BRANCH_MAX_MEMBERS": int(site_value("branch_max_members", 50)),  # rule ORG-01
    "BRANCH_COMMITTEE_THRESHOLD": 7,  # rule ORG-04
    "SECRETARY_MIN_STANDING_YEARS": 1,  # rule ORG-07
    "AUDIT_RETENTION_DAYS": int(site_value("audit_retention_days", 190)),  # security.md
    "LOGIN_MAX_FAILURES": int(site_value("login_max_failures", 5)),  # security.md
    "LOCKOUT_MINUTES": int(site_value("lockout_minutes", 30)),  # security.md
    "PASSWORD_MAX_AGE_DAYS": int(site_value("password_max_age_days", 90)),  # security.md, 0: off
    "IMPORT_MAX_BYTES": int(site_value("import_max_bytes", 5 * 1024 * 1024)),
    "IMPORT_MAX_ROWS": int(site_value("import_max_rows", 20000)),
    "ATTACHMENT_MAX_BYTES": int(site_value("attachment_max_bytes", 20 * 1024 * 1024)),
    # work: an open item this many days before its deadline shows as "due soon" and is reminded
    "WORK_DUE_SOON_DAYS": int(site_value("work_due_soon_days", 14)),
    # closed loop: a completion report waiting this many days for verification reminds the
    # verifying level (once per report)
    "LOOP_VERIFY_REMIND_DAYS": int(site_value("loop_verify_remind_days", 3)),
    # work: reminders also go by e-mail (Django's EMAIL_* settings) to accounts with an address
    "REMINDER_EMAIL": _flag(site_value("reminder_email", False)),
    # assess: a grassroots survey's results (and each breakdown) show from this many responses
    "SURVEY_MIN_RESPONSES": int(site_value("survey_min_responses", 5)),
}

# ---- layer 3: computed -------------------------------------------------------------
import dj_database_url  # noqa: E402

_database_url = os.environ.get("DATABASE_URL") or SITE_CONFIG.get("database_url")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TONGPIN_TEST_DB_NAME", "test_tongpin"
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "tongpin.sqlite3",
            # WAL so readers never wait for the writer; busy timeout in seconds
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

if not SECRET_KEY:
    # An embedded install keeps a generated key beside its data, never in the repository.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.is_file():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _key_file.write_text(SECRET_KEY)
        _key_file.chmod(0o600)

# Background jobs (huey): SQLite beside the data by default, Redis when a URL is given; tests
# run jobs immediately in memory. The consumer is ``tongpin run-huey``.
_redis_url = site_value("redis_url") or os.environ.get("REDIS_URL")
_testing = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
if _redis_url:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "tongpin", "url": _redis_url}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tongpin",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY["immediate"] = _testing or _flag(site_value("huey_immediate", False))
HUEY["consumer"] = {"workers": int(site_value("huey_workers", 2)), "worker_type": "thread"}

# SM4 field key (security.md: the key lives outside the database)
FIELD_KEY_FILE = Path(site_value("field_key_file", VAR_DIR / "keys" / "field.key"))

if _flag(site_value("https", False)):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
