from django.urls import path, re_path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    re_path(
        r"^(?P<level_slug>provincie|gemeente|wijk|buurt)/(?P<code>[A-Za-z0-9]{4,10})/$",
        views.area_page,
        name="area",
    ),
]
