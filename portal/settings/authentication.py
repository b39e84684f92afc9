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

# Single sign-on through OpenID Connect (mozilla-django-oidc), only when the environment names
# a client and the provider's endpoints. Users are matched by their verified e-mail address
# (apps.accounts.oidc); an unknown address gets an account only with OIDC_CREATE_USERS=true.
# A user whose role needs two factors still needs the portal's TOTP: the middleware
# (apps.accounts.middleware) sends an unverified session to set one up or to log in with it.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USERS", default=False)
OIDC_ENABLED = all([OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT,
                    OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT])
LOGIN_REDIRECT_URL_FAILURE = "/account/login/?sso=mislukt"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "apps.accounts.oidc.OrganisationAccountBackend"]
