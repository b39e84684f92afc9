from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("number", "is_current", "status", "created_at", "published_at", "cell_count",
                    "suppressed_count", "changes_summary", "contains_synthetic")
    list_filter = ("status", "is_current", "contains_synthetic")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def changes_summary(self, obj):
        c = obj.changes or {}
        return f"+{c.get('added', 0)} ~{c.get('changed', 0)} -{c.get('removed', 0)} ⊘{c.get('newly_suppressed', 0)}"

    def get_urls(self):
        return [
            path("<int:release_id>/publish/", self.admin_site.admin_view(self.publish_view), name="releases_release_publish"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=object_id)
        current = Release.objects.filter(is_current=True).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(release),
            "release": release,
            "current": current,
            "can_publish": not release.is_current and request.user.has_perm("releases.change_release"),
            "is_rollback": bool(current and release.number < current.number),
            "runs": release.importrun_set.select_related("created_by").order_by("pk"),
        }
        return TemplateResponse(request, "admin/releases/release/detail.html", context)

    def publish_view(self, request, release_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("releases.change_release"):
            raise PermissionDenied
        release = get_object_or_404(Release, pk=release_id)
        current = Release.objects.filter(is_current=True).first()
        if current and release.number < current.number:
            services.rollback(release.number, actor=request.user)
            messages.success(request, _("Rolled back: %(release)s is current again.") % {"release": release})
        else:
            services.publish(release, actor=request.user)
            messages.success(request, _("Published: %(release)s is now current.") % {"release": release})
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))
