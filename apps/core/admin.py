from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdminMixin:
    """A record kept as it was written (logs, reports, stored files): shown, never added,
    changed or deleted through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "subject", "actor")
    list_filter = ("action",)
    search_fields = ("subject",)
    readonly_fields = ("at", "action", "subject", "actor", "details")
