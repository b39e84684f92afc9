"""Site administrators keep the organisations here; an organisation's own admins manage their
members in the workspace (they never reach another organisation's). Changes made here go to the
audit log like those made through the services."""

from django.contrib import admin

from apps.core.services import record_event

from .models import Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    can_delete = False
    fields = ["email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Invitations carry a secret token that only the invite service hands out.
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area_code", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "area_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, InvitationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            record_event("organisation_changed" if change else "organisation_created", obj.slug,
                         actor=request.user, fields=form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for removed in formset.deleted_objects:
            record_event("member_removed", form.instance.slug, actor=request.user, member=removed.user.get_username())
            removed.delete()
        for membership in memberships:
            new = membership.pk is None
            membership.save()
            record_event("member_added" if new else "member_role_changed", form.instance.slug,
                         actor=request.user, member=membership.user.get_username(), role=membership.role)
        formset.save_m2m()
