from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [*BaseUserAdmin.list_display, "site_role"]
    list_filter = [*BaseUserAdmin.list_filter, "site_role"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Site role"), {"fields": ["site_role"]})]
