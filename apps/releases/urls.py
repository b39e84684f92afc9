from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("waarden/<int:number>/<slug:indicator>/<slug:level>/<int:year>.json", views.map_values, name="map_values"),
]
