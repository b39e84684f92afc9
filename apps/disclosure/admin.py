from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from .models import DisclosureParameter


class DisclosureParameterResource(resources.ModelResource):
    class Meta:
        model = DisclosureParameter
        import_id_fields = ("key",)
        fields = ("key", "value", "description")
        skip_unchanged = True


@admin.register(DisclosureParameter)
class DisclosureParameterAdmin(ImportExportModelAdmin):
    """Confidential parameters: visible to stewards with the permission, never on public pages."""

    resource_classes = [DisclosureParameterResource]
    list_display = ("key", "value", "description")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
