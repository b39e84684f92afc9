"""Settings shared by every environment. Each concern lives in its own module below."""

from .env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="privacy@zicht.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "import_export",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.organisations",
    "apps.workspaces",
    "apps.datalayers",
    "apps.api",
    "apps.geography",
    "apps.dashboards",
    "apps.about",
    "apps.synthetic",
    "apps.sources",
    "apps.indicators",
    # Theme apps: each registers its indicator definitions in AppConfig.ready().
    "apps.context",
    "apps.vastgoed",
    "apps.drugs",
    "apps.transacties",
    "apps.branches",
    "apps.disclosure",
    "apps.releases",
    "apps.comparisons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages with tables and the map files are text; compressed they are a fifth of the size.
    # CSRF tokens are masked per response, which is Django's answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                # No CSP nonce in templates: pages are cached per release, so nothing per request
                # may be in them (docs/architecture.md); scripts come from files only.
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from .database import *  # noqa: E402,F401,F403
from .i18n import *  # noqa: E402,F401,F403
from .celery import *  # noqa: E402,F401,F403
from .cache import *  # noqa: E402,F401,F403
from .geo import *  # noqa: E402,F401,F403
from .pipeline import *  # noqa: E402,F401,F403
from .security import *  # noqa: E402,F401,F403
from .authentication import *  # noqa: E402,F401,F403
from .logging import *  # noqa: E402,F401,F403
from .api import *  # noqa: E402,F401,F403
