from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from apps.core.admin import ReadOnlyAdminMixin

from . import services
from .models import DisclosureParameter, DisclosureReport, Status


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


STATUS_ORDER = [Status.SAFE, Status.FREQUENCY, Status.DOMINANCE, Status.DENOMINATOR, Status.SECONDARY,
                Status.SECRET_AT_SOURCE, Status.NOT_AVAILABLE]


@admin.register(DisclosureReport)
class DisclosureReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What each run of disclosure control decided: for stewards only (confidential)."""

    list_display = ("created_at", "passed", "cell_count", "suppressed_count", "seconds")
    list_filter = ("passed",)


    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(DisclosureReport, pk=object_id)
        levels = services.level_shares(report)
        by_indicator: dict[str, dict] = {}
        for row in report.summary:
            entry = by_indicator.setdefault(row["indicator"], {code: 0 for code in STATUS_ORDER})
            entry[row["status"]] = entry.get(row["status"], 0) + row["cells"]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(_("Disclosure report")),
            "report": report,
            "levels": levels.to_dict("records"),
            "statuses": STATUS_ORDER,
            "status_names": dict(Status.choices),
            "indicators": [(slug, [counts[c] for c in STATUS_ORDER]) for slug, counts in sorted(by_indicator.items())],
            "tables": report.tables,
            "failures": report.failures,
            "failed_tables": [row for row in report.tables if row["failed"]],
        }
        return TemplateResponse(request, "admin/disclosure/disclosurereport/detail.html", context)
