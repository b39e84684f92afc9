"""Two factors where the role requires them.

A user who must use two factors and has not verified one in this session is sent to set one up
(no device yet) or to log in again with it (a device, but a session that skipped it). Only the
pages needed to do so stay open."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .selectors import needs_two_factor

API_PREFIX = "/api/"
OPEN_PREFIXES = ("/static/", "/i18n/", "/account/two_factor/setup/", "/account/two_factor/qrcode/",
                 "/account/logout/", "/account/login/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, nobody logged in. Not touching request.user keeps the session unread,
            # so public files are not marked "Vary: Cookie" and stay cacheable by anyone.
            return self.get_response(request)
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_two_factor(user)
        ):
            if request.path.startswith(API_PREFIX):
                # A program gets an answer it can read, not a login page.
                return JsonResponse(
                    {"detail": _("Log in with your second factor first."), "code": "two_factor_required"}, status=403
                )
            if user_has_device(user, confirmed=True):
                logout(request)
                return redirect_to_login(request.get_full_path(), reverse("two_factor:login"))
            return redirect(f"{reverse('two_factor:setup')}?next={request.get_full_path()}")
        return self.get_response(request)
