from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiKey, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [*BaseUserAdmin.list_display, "site_role"]
    list_filter = [*BaseUserAdmin.list_filter, "site_role"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Site role"), {"fields": ["site_role"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"site_role", "is_superuser"} & set(form.changed_data):
            # A steward or administrator needs two factors; a key issued before would skip them.
            services.revoke_api_key_if_two_factors_needed(obj, actor=request.user)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Who has a key and since when (never the key: only its digest is stored). An administrator
    may revoke one, e.g. when it was leaked; the revocation goes to the audit log."""

    list_display = ("user", "prefix", "created_at")
    search_fields = ("user__username", "prefix")
    readonly_fields = ("user", "prefix", "created_at")
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.revoke_api_key(obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for stored in queryset.select_related("user"):
            services.revoke_api_key(stored.user, actor=request.user)
