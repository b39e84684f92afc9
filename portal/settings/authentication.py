"""Login: e-mail/username and password, TOTP two-factor authentication (django-otp through
django-two-factor-auth), lock-out after repeated failures (django-axes), password reset by
e-mail. Two factors are required for data stewards, administrators and organisation admins
(apps.accounts.middleware); members may choose them."""

from .env import env

LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Per username and per address together: one attacker cannot lock everybody out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

OTP_TOTP_ISSUER = "Zicht"
TWO_FACTOR_PATCH_ADMIN = False  # the admin's own login is replaced (portal/urls.py)
TWO_FACTOR_LOGIN_TIMEOUT = 600

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zicht@zicht.example")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# A session lasts a working day and ends with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
