"""Open data endpoints under /api/v1/ (names in the ``api`` namespace). Anyone, read only."""

from django.urls import path

from . import views

urlpatterns = [
    path("releases/", views.ReleaseListView.as_view(), name="release-list"),
    path("releases/<int:number>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("themas/", views.ThemeListView.as_view(), name="theme-list"),
    path("indicatoren/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicatoren/<str:slug>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("gebieden/", views.AreaListView.as_view(), name="area-list"),
    path("gebieden/<str:code>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("gebieden/<str:code>/grens/", views.AreaBoundaryView.as_view(), name="area-boundary"),
    path("grenzen/", views.BoundaryListView.as_view(), name="boundary-list"),
    path("waarden/", views.ValueListView.as_view(), name="value-list"),
    path("zoekgebieden/", views.ZoekgebiedListView.as_view(), name="zoekgebied-list"),
]
