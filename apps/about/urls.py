from django.urls import path

from . import views

app_name = "about"

urlpatterns = [
    path("methode/", views.methodology, name="methodology"),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
]
