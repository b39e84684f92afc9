"""The stewards' admin: upload, preview with every row error, confirm or cancel, follow the run."""

import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin

from . import selectors, services
from .forms import UploadForm
from .kinds import all_kinds
from .models import ImportRun, SourceFile

PROBLEMS_PER_PAGE = 50


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "step", "rows_total", "error_count", "created_by", "created_at", "release")
    list_filter = ("status", "kind")
    list_select_related = ("created_by", "release")
    change_list_template = "admin/sources/importrun/change_list.html"

    def has_add_permission(self, request):
        return False  # runs start from the upload page

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="sources_importrun_upload"),
            path("<int:run_id>/confirm/", self.admin_site.admin_view(self.confirm_view), name="sources_importrun_confirm"),
            path("<int:run_id>/cancel/", self.admin_site.admin_view(self.cancel_view), name="sources_importrun_cancel"),
            path("<int:run_id>/progress/", self.admin_site.admin_view(self.progress_view), name="sources_importrun_progress"),
        ]
        return urls + super().get_urls()

    def _can_upload(self, request) -> bool:
        return request.user.has_perm("sources.add_importrun")

    def upload_view(self, request):
        if not self._can_upload(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with tempfile.TemporaryDirectory() as folder:
                files = []
                for number, upload in enumerate(form.cleaned_data["files"]):
                    target = Path(folder) / f"{number}-{Path(upload.name).name}"
                    with open(target, "wb") as handle:
                        for chunk in upload.chunks():
                            handle.write(chunk)
                    files.append((target, upload.name))
                run = services.prepare_run(
                    files,
                    kind=form.cleaned_data["kind"],
                    vintage=form.cleaned_data["vintage"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                )
            return HttpResponseRedirect(reverse("admin:sources_importrun_change", args=[run.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Upload source files"), "kinds": all_kinds()}
        return TemplateResponse(request, "admin/sources/importrun/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun.objects.select_related("created_by", "confirmed_by", "release"), pk=object_id)
        page = Paginator(selectors.problem_list(run), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "run": run,
            "title": _("Import run #%(id)s") % {"id": run.pk},
            "files": run.summary.get("files", []),
            "problems": page,
            "progress": selectors.progress(run),
            "can_confirm": run.status == ImportRun.Status.PREVIEW and self._can_upload(request),
            "can_cancel": run.status in (ImportRun.Status.PREVIEW, ImportRun.Status.REJECTED) and self._can_upload(request),
        }
        return TemplateResponse(request, "admin/sources/importrun/detail.html", context)

    def confirm_view(self, request, run_id):
        return self._act(request, run_id, services.confirm_run, _("Confirmed: the import and recalculation run now."))

    def cancel_view(self, request, run_id):
        return self._act(request, run_id, services.cancel_run, _("Cancelled: nothing was changed."))

    def _act(self, request, run_id, action, message):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._can_upload(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=run_id)
        try:
            action(run, user=request.user)
            messages.success(request, message)
        except ValueError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("admin:sources_importrun_change", args=[run_id]))

    def progress_view(self, request, run_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun.objects.select_related("release"), pk=run_id)
        response = JsonResponse(selectors.progress(run))
        response["Cache-Control"] = "no-store"
        return response


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "sha256", "size_bytes", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "sha256")
    readonly_fields = ("original_name", "sha256", "size_bytes", "stored_path", "uploaded_by", "uploaded_at")

