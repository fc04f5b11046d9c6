"""Django settings for C2 Hub.

Everything that differs between a laptop demo and production comes from the environment:
DATABASE_URL (default: SQLite at $C2HUB_DATA_DIR/c2hub.sqlite3), C2HUB_SECRET_KEY, C2HUB_DEBUG,
C2HUB_ALLOWED_HOSTS, C2HUB_DATA_DIR (uploads, area statistics), C2HUB_SMTP_* (e-mail).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("C2HUB_DATA_DIR", BASE_DIR / "var")).resolve()
PATHWAYS_DIR = Path(os.environ.get("C2HUB_PATHWAYS_DIR", BASE_DIR / "pathways"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("C2HUB_DEBUG", False)
# The demo key is only ever used when no key is configured; `c2hub check --deploy` flags it.
SECRET_KEY = os.environ.get("C2HUB_SECRET_KEY", "c2hub-insecure-demo-key-change-me-in-production")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("C2HUB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("C2HUB_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from our own static files (the CSP blocks CDNs)
    "c2hub.accounts",
    "c2hub.programmes",
    "c2hub.people",
    "c2hub.events",
    "c2hub.listening",
    "c2hub.areas",
    "c2hub.evaluation",
    "c2hub.outcomes",
    "c2hub.actions",
    "c2hub.wins",
    "c2hub.community",
    "c2hub.casestudies",
    "c2hub.commissioning",
    "c2hub.newsletters",
    "c2hub.value",
    "c2hub.reports",
    "c2hub.api",
    "c2hub.operations",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "c2hub.accounts.middleware.RequireTwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must be last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "c2hub.urls"
WSGI_APPLICATION = "c2hub.wsgi.application"

TEMPLATES = [
    {
        # Our pages (and our overrides of allauth's pages) are Jinja2 with GOV.UK Frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "c2hub" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "c2hub.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "c2hub.accounts.context_processors.navigation",
            ],
        },
    },
    {
        # Django admin and any allauth page we have not restyled.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'c2hub.sqlite3'}",
        conn_max_age=int(os.environ.get("C2HUB_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the worker and the web server use the embedded database at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "c2hub.accounts.hashers.C2Argon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail login, no self sign-up (accounts are created by a programme admin).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "c2hub.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = False  # lock-outs are django-axes' job: one mechanism, not two
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "C2 Hub"
MFA_RECOVERY_CODE_COUNT = 10

# django-axes: five failed sign-ins for an account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("C2HUB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("C2HUB_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with {"email": …}, not the form field: see c2hub/accounts/lockouts.py.
AXES_USERNAME_CALLABLE = "c2hub.accounts.lockouts.username_for_lockout"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "c2hub.accounts.views.locked_out"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = _env_bool("C2HUB_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#: Counts from 1 to this minus one are shown to commissioners as "<5" (see c2hub/outcomes/suppression.py).
C2HUB_SUPPRESSION_THRESHOLD = int(os.environ.get("C2HUB_SUPPRESSION_THRESHOLD", "5"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # filled by `c2hub serve` (collectstatic)
STATICFILES_DIRS = [BASE_DIR / "c2hub" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads/"  # never served publicly: evidence files go through a permission-checked view
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
C2HUB_EVIDENCE_MAX_BYTES = int(os.environ.get("C2HUB_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))

# E-mail goes through Django's MAILERS. Without C2HUB_SMTP_HOST (a laptop demo) messages are
# printed on the console; with it they are sent by SMTP. C2HUB_EMAIL_BACKEND picks another backend.
if os.environ.get("C2HUB_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["C2HUB_SMTP_HOST"],
                # No port: 587 with STARTTLS, 465 with SSL, else 25.
                "port": int(os.environ.get("C2HUB_SMTP_PORT") or 0) or None,
                "username": os.environ.get("C2HUB_SMTP_USER", ""),
                "password": os.environ.get("C2HUB_SMTP_PASSWORD", ""),
                "use_tls": _env_bool("C2HUB_SMTP_STARTTLS", True),
                "use_ssl": _env_bool("C2HUB_SMTP_SSL", False),
                "timeout": int(os.environ.get("C2HUB_SMTP_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "C2HUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            )
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("C2HUB_FROM_EMAIL", "C2 Hub <no-reply@localhost>")
#: The address C2 Hub is reached at, for links in e-mails sent without a request (newsletters,
#: their unsubscribe links). No trailing slash.
C2HUB_BASE_URL = os.environ.get("C2HUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

NINJA_PAGINATION_PER_PAGE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("C2HUB_LOG_LEVEL", "WARNING")},
}
