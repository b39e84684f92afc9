"""The workspace of gemeente staff (login only). Item URLs carry the item's id, not its
organisation: who may read an item is decided by apps.workspaces.selectors, and an item the user
may not read is a 404."""

from django.urls import path

from . import views

app_name = "workspaces"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisatie/<slug:org>/", views.dashboard, name="dashboard"),
    path("organisatie/<slug:org>/nieuws/", views.feed, name="feed"),
    path("notities/", views.note_list, name="notes"),
    path("notities/nieuw/", views.note_create, name="note-create"),
    path("notities/<int:pk>/", views.note_detail, name="note"),
    path("notities/<int:pk>/bewerken/", views.note_edit, name="note-edit"),
    path("notities/<int:pk>/verwijderen/", views.note_delete, name="note-delete"),
    path("vergelijkingen/", views.comparison_list, name="comparisons"),
    path("vergelijkingen/nieuw/", views.comparison_create, name="comparison-create"),
    path("vergelijkingen/<int:pk>/", views.comparison_detail, name="comparison"),
    path("vergelijkingen/<int:pk>/verwijderen/", views.comparison_delete, name="comparison-delete"),
    path("kennis/", views.knowledge_list, name="knowledge"),
    path("kennis/nieuw/", views.knowledge_create, name="knowledge-create"),
    path("kennis/<int:pk>/", views.knowledge_detail, name="knowledge-item"),
    path("kennis/<int:pk>/reageren/", views.knowledge_comment, name="knowledge-comment"),
    path("kennis/<int:pk>/verwijderen/", views.knowledge_delete, name="knowledge-delete"),
]
