from django.urls import path, re_path

from . import views

app_name = "dashboards"

AREA_CODE = r"(?P<code>[A-Za-z0-9]{4,10})"

urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("thema/<slug:theme>/", views.theme_page, name="theme"),
    path("indicator/<slug:slug>/", views.indicator_page, name="indicator"),
    re_path(rf"^indicator/(?P<slug>[-a-zA-Z0-9_]+)/{AREA_CODE}/$", views.indicator_page, name="indicator-area"),
    path("vergelijk/", views.compare_page, name="compare"),
    re_path(rf"^gemeente/{AREA_CODE}/briefing/$", views.briefing, name="briefing"),
    re_path(rf"^(?P<level_slug>provincie|gemeente|wijk|buurt)/{AREA_CODE}/$", views.area_page, name="area"),
]
