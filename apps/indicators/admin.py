from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from .models import IndicatorText, RiskBranch


class IndicatorTextResource(resources.ModelResource):
    class Meta:
        model = IndicatorText
        import_id_fields = ("slug",)
        fields = ("slug", "name_nl", "name_en", "definition_nl", "definition_en", "caveat_nl", "caveat_en")
        skip_unchanged = True
        report_skipped = True


class RiskBranchResource(resources.ModelResource):
    class Meta:
        model = RiskBranch
        import_id_fields = ("sbi_code",)
        fields = ("sbi_code", "description", "active")
        skip_unchanged = True


@admin.register(IndicatorText)
class IndicatorTextAdmin(ImportExportModelAdmin):
    resource_classes = [IndicatorTextResource]
    list_display = ("slug", "name_nl", "name_en", "updated_at")
    search_fields = ("slug", "name_nl", "name_en")

    def has_add_permission(self, request):
        return False  # a text belongs to an indicator defined in code

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskBranch)
class RiskBranchAdmin(ImportExportModelAdmin):
    resource_classes = [RiskBranchResource]
    list_display = ("sbi_code", "description", "active")
    list_filter = ("active",)
    search_fields = ("sbi_code", "description")
