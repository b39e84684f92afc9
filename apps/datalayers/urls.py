"""A gemeente's own data layers (under /werkruimte/): upload, preview with row errors, confirm,
show beside the portal's figures, share on purpose, delete."""

from django.urls import path

from . import views

app_name = "datalayers"

urlpatterns = [
    path("lagen/", views.layer_list, name="layers"),
    path("lagen/nieuw/", views.layer_upload, name="layer-upload"),
    path("lagen/<int:pk>/", views.layer_detail, name="layer"),
    path("lagen/<int:pk>/bevestigen/", views.layer_confirm, name="layer-confirm"),
    path("lagen/<int:pk>/delen/", views.layer_share, name="layer-share"),
    path("lagen/<int:pk>/verwijderen/", views.layer_delete, name="layer-delete"),
    path("lagen/<int:pk>/waarden.json", views.layer_values, name="layer-values"),
]
