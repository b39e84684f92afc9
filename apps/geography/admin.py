from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from .models import Area, BoundaryImport, WebBoundaryFile


class ReadOnlyAdminMixin:
    """Boundaries change only through the import, which validates and records every change."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdminMixin, LeafletGeoAdmin):
    modifiable = False  # the map shows the boundary; it cannot be drawn over
    list_display = ("code", "name", "level", "vintage", "parent", "geometry_source")
    list_filter = ("vintage", "level", "geometry_source")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    readonly_fields = ("vintage", "code", "level", "name", "parent", "geometry_source")
    fields = ("vintage", "code", "level", "name", "parent", "geometry_source", "geometry")
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # The change list never needs the polygons.
        return qs.defer("geometry") if request.resolver_match.url_name.endswith("changelist") else qs

    def has_change_permission(self, request, obj=None):
        # The change view is where the boundary map is shown; nothing can be saved from it.
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(BoundaryImport)
class BoundaryImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("imported_at", "kind", "vintage", "level", "file_name", "created_count", "updated_count", "repaired_count")
    list_filter = ("kind", "vintage", "level")
    readonly_fields = [field.name for field in BoundaryImport._meta.fields]

    @admin.display(description=_("repaired"))
    def repaired_count(self, obj):
        return len(obj.repaired)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebBoundaryFile)
class WebBoundaryFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("file_name", "vintage", "level", "scope", "feature_count", "size_bytes", "gzip_bytes", "built_at")
    list_filter = ("vintage", "level")
    search_fields = ("scope", "file_name")

    def has_change_permission(self, request, obj=None):
        return False
