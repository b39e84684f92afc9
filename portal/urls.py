from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from two_factor.urls import urlpatterns as two_factor_urls

admin.site.site_header = "Zicht"
admin.site.site_title = "Zicht beheer"


def _admin_login(request, extra_context=None):
    # One login for the whole portal, with its second factor: the admin's own form has none.
    return redirect_to_login(request.GET.get("next", "/admin/"), reverse("two_factor:login"))


admin.site.login = _admin_login


def _favicon(request):
    # Browsers, feed readers and the API's JSON pages ask for /favicon.ico whatever a page links.
    return redirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", _favicon),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(two_factor_urls)),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("django.contrib.auth.urls")),
    path("werkruimte/", include("apps.workspaces.urls")),
    path("werkruimte/", include("apps.organisations.urls")),
    path("werkruimte/", include("apps.datalayers.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("", include("apps.geography.urls")),
    path("", include("apps.releases.urls")),
    path("", include("apps.about.urls")),
    path("", include("apps.dashboards.urls")),
]

if settings.OIDC_ENABLED:
    # Single sign-on with an organisation's own account (portal/settings/authentication.py).
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
