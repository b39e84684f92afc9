from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Zicht"
admin.site.site_title = "Zicht beheer"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.geography.urls")),
    path("", include("apps.releases.urls")),
    path("", include("apps.about.urls")),
    path("", include("apps.dashboards.urls")),
]
