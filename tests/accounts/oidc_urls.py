"""The portal's URLs as they are when single sign-on is configured (portal/urls.py includes
these only when the environment enables OIDC, at import time)."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *portal_urlpatterns]
