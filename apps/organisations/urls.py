"""Members, invitations and the export of an organisation's workspace (under /werkruimte/)."""

from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisatie/<slug:org>/leden/", views.members, name="members"),
    path("organisatie/<slug:org>/leden/uitnodigen/", views.invite, name="invite"),
    path("organisatie/<slug:org>/leden/<int:pk>/rol/", views.change_role, name="change-role"),
    path("organisatie/<slug:org>/leden/<int:pk>/verwijderen/", views.remove_member, name="remove-member"),
    path("organisatie/<slug:org>/uitnodigingen/<int:pk>/intrekken/", views.revoke_invitation, name="revoke-invitation"),
    path("organisatie/<slug:org>/export/", views.export, name="export"),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
