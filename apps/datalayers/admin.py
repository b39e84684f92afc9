"""Site administrators see the layers (who uploaded what, its status and size) but change nothing:
a layer's figures are its organisation's, and only its editors upload, share or delete them."""

from django.contrib import admin

from apps.core.admin import ReadOnlyAdminMixin

from .models import DataLayer


@admin.register(DataLayer)
class DataLayerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organisation", "level", "status", "visibility", "row_count", "created_at")
    list_filter = ("status", "visibility", "level", "organisation")
    search_fields = ("title", "organisation__name", "file_name")
    readonly_fields = [
        "organisation", "author", "title", "description", "unit", "source", "level", "vintage", "visibility",
        "status", "file_name", "checksum", "row_count", "years", "problems", "ignored_columns", "created_at",
        "confirmed_at", "confirmed_by", "shared_at",
    ]
    fields = readonly_fields

    def has_module_permission(self, request):
        return bool(getattr(request.user, "is_site_administrator", False))

    def has_view_permission(self, request, obj=None):
        return bool(getattr(request.user, "is_site_administrator", False))
