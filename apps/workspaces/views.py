"""The workspace pages (login only). Views stay thin: every lookup goes through selectors scoped
to the user (an item or organisation the user may not read is a 404), every write through
services (which check who asks: a reader without the right gets 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.paging import page_of, query_without_page
from apps.dashboards import formatting, pages, themes
from apps.dashboards import selectors as dashboards
from apps.dashboards.links import area_page_url
from apps.dashboards.pages import figure_url
from apps.dashboards.maps import area_map_config
from apps.datalayers import selectors as datalayers
from apps.geography import selectors as geography
from apps.geography.levels import level_of_code
from apps.indicators import registry
from apps.organisations import selectors as organisations
from apps.organisations.models import Organisation, Role
from apps.releases.cache import current_release

from . import feed as workspace_feed
from . import forms, markdown, selectors, services
from .models import KnowledgeItem

PER_PAGE = 25
DASHBOARD_ITEMS = 5


# ---------------------------------------------------------------- helpers


def _organisation_or_404(user, slug: str) -> Organisation:
    organisation = selectors.member_organisation(user, slug)
    if organisation is None:
        raise Http404(_("No organisation of yours with this name."))
    return organisation


def _or_404(item):
    if item is None:
        raise Http404(_("Not found, or not yours to read."))
    return item


def _page(request, items, per_page: int = PER_PAGE):
    return page_of(request, items, per_page)


def _safe_return(request, url: str) -> str:
    """A local address to go back to (the public page a note was written from), else ''."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


def _indicator_name(slug: str) -> str:
    definition = registry.find(slug)
    return pages.name(definition) if definition else slug


def _names(codes) -> dict[str, str]:
    codes = sorted(set(codes))
    return dashboards.names_of(vintage=geography.default_vintage(), codes=codes) if codes else {}


def _describe_notes(notes) -> list[dict]:
    notes = list(notes)
    names = _names(note.area_code for note in notes)
    return [{"note": note, "area_name": names.get(note.area_code, note.area_code),
             "indicator_name": _indicator_name(note.indicator) if note.indicator else ""} for note in notes]


# ---------------------------------------------------------------- home, dashboard, feed


@login_required
def home(request):
    own = list(organisations.organisations_of(request.user))
    if len(own) == 1:
        return redirect("workspaces:dashboard", own[0].slug)
    return render(request, "workspaces/home.html", {"section": "dashboard", "organisations": own})


def _gemeente_part(request, organisation: Organisation) -> dict:
    area = geography.area_detail(code=organisation.area_code, vintage=geography.default_vintage())
    if area is None:
        return {"gemeente_missing": True}
    release = current_release()
    zoekgebieden = []
    if release is not None:
        within = list(geography.within_gemeente(area.code, vintage=area.vintage))
        for row in pages.zoekgebieden(release, area, levels=("gemeente", "wijk", "buurt"), children=within):
            zoekgebieden.append({**row, "area_url": area_page_url(row["code"])})
    return {
        "area": area,
        "area_url": area_page_url(area.code),
        "briefing_url": reverse("dashboards:briefing", args=[area.code]),
        "theme_links": [(themes.label(theme), reverse("dashboards:theme", args=[theme])) for theme in themes.public_themes()],
        "release": release,
        "zoekgebieden": zoekgebieden,
        "map_config": area_map_config(area),
        # The map's areas as a list too (a map is never the only way to reach them).
        "wijken": [(child.name, child.code, area_page_url(child.code)) for child in geography.children(area)],
    }


@login_required
def dashboard(request, org: str):
    organisation = _organisation_or_404(request.user, org)
    context = {
        "section": "dashboard",
        "organisation": organisation,
        "is_gemeente": organisation.kind == Organisation.Kind.GEMEENTE,
        "notes": _describe_notes(selectors.notes(request.user).order_by("-created_at")[:DASHBOARD_ITEMS]),
        "knowledge": selectors.knowledge(request.user).order_by("-created_at")[:DASHBOARD_ITEMS],
        "feed_entries": workspace_feed.with_release_changes(
            workspace_feed.entries(request.user, organisation)[:DASHBOARD_ITEMS], organisation),
        "data_layers": datalayers.workspace_layers(request.user, organisation)[:DASHBOARD_ITEMS],
    }
    if context["is_gemeente"] and organisation.area_code:
        context.update(_gemeente_part(request, organisation))
    return render(request, "workspaces/dashboard.html", context)


@login_required
def feed(request, org: str):
    organisation = _organisation_or_404(request.user, org)
    page = _page(request, workspace_feed.entries(request.user, organisation))
    workspace_feed.with_release_changes(list(page.object_list), organisation)
    return render(request, "workspaces/feed.html", {
        "section": "dashboard", "organisation": organisation, "page_obj": page,
        "query": query_without_page(request),
    })


# ---------------------------------------------------------------- notes


@login_required
def note_list(request):
    filters = forms.NoteFilterForm(request.GET or None)
    found = selectors.notes(request.user).none()
    if filters.is_valid() or not request.GET:
        data = filters.cleaned_data if request.GET else {}
        found = selectors.notes_in_scope(request.user, scope=data.get("van", ""), area_code=data.get("gebied", ""),
                                         indicator=data.get("indicator", "")).order_by("-created_at")
    page = _page(request, found)
    return render(request, "workspaces/note_list.html", {
        "section": "notes", "filters": filters, "page_obj": page, "items": _describe_notes(page.object_list),
        "query": query_without_page(request),
        "can_write": organisations.organisations_of(request.user).exists(),
    })


def _note_initial(request) -> dict:
    year = request.GET.get("jaar", "")
    return {
        "area_code": request.GET.get("gebied", "").strip().upper()[:10],
        "indicator": request.GET.get("indicator", ""),
        "year": int(year) if year.isdigit() else None,
        "terug": _safe_return(request, request.GET.get("terug", "")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request):
    own = list(organisations.organisations_of(request.user))
    if not own:
        raise PermissionDenied(_("Notes are written for an organisation; you are not a member of one."))
    form = forms.NoteForm(request.POST or None, organisations=own, initial=_note_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note = services.write_note(
                user=request.user, organisation=form.chosen_organisation(), area_code=data["area_code"],
                body=data["body"], indicator=data["indicator"], year=data["year"], visibility=data["visibility"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Your note is saved."))
            back = _safe_return(request, data.get("terug", ""))
            return redirect(back or reverse("workspaces:note", args=[note.pk]))
    return render(request, "workspaces/note_form.html", {
        "section": "notes", "form": form, "editing": False,
        "back": _safe_return(request, form["terug"].value() or ""),
    })


@login_required
def note_detail(request, pk: int):
    note = _or_404(selectors.note(request.user, pk))
    described = _describe_notes([note])[0]
    return render(request, "workspaces/note_detail.html", {
        "section": "notes", "organisation": note.organisation if note.organisation in
        organisations.organisations_of(request.user) else None,
        **described, "html": markdown.render(note.body),
        "figure_url": figure_url(note.area_code, note.indicator, note.year),
        "area_url": area_page_url(note.area_code),
        "is_author": note.author_id == request.user.pk,
    })


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk: int):
    note = _or_404(selectors.note(request.user, pk))
    if note.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author can change this note."))
    initial = {"area_code": note.area_code, "indicator": note.indicator, "year": note.year, "body": note.body,
               "visibility": note.visibility}
    # The organisation of a note stays what it was: moving it would change who reads it.
    form = forms.NoteForm(request.POST or None, organisations=[note.organisation], initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_note(user=request.user, note=note, area_code=data["area_code"], body=data["body"],
                               indicator=data["indicator"], year=data["year"], visibility=data["visibility"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Your note is changed."))
            return redirect("workspaces:note", note.pk)
    return render(request, "workspaces/note_form.html", {"section": "notes", "form": form, "editing": True,
                                                         "note": note})


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk: int):
    note = _or_404(selectors.note(request.user, pk))
    return _confirm_delete(
        request, note, section="notes", title=_describe_notes([note])[0]["area_name"],
        not_author=_("Only the author can remove this note."), question=_("Remove this note?"),
        delete=lambda: services.delete_note(user=request.user, note=note), done=_("The note is removed."),
        done_url=reverse("workspaces:notes"), cancel_url=reverse("workspaces:note", args=[note.pk]),
    )


def _confirm_delete(request, item, *, section: str, title: str, not_author: str, question: str, delete,
                    done: str, done_url: str, cancel_url: str):
    """Removal by the author only: a page that asks first (GET), then the removal (POST)."""
    if item.author_id != request.user.pk:
        raise PermissionDenied(not_author)
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(done_url)
    return render(request, "workspaces/confirm_delete.html", {
        "section": section, "question": question, "title": title, "cancel_url": cancel_url,
    })


# ---------------------------------------------------------------- saved comparisons


@login_required
def comparison_list(request):
    page = _page(request, selectors.comparisons(request.user))
    return render(request, "workspaces/comparison_list.html", {
        "section": "comparisons", "page_obj": page, "query": query_without_page(request),
    })


def _available_years(release, codes: list[str]) -> list[int]:
    """The years with published values for these areas (any indicator), oldest first."""
    return sorted({cell.year for cell in dashboards.cells_of_areas(release, codes)})


@login_required
@require_http_methods(["GET", "POST"])
def comparison_create(request):
    own = list(organisations.organisations_of(request.user))
    if not own:
        raise PermissionDenied(_("Comparisons are kept for an organisation; you are not a member of one."))
    release = current_release()
    requested = [code.strip().upper() for code in request.GET.getlist("gebied") if code.strip()]
    requested = list(dict.fromkeys(code for code in requested if level_of_code(code)))[: services.MAX_COMPARED_AREAS]
    names = _names(requested)
    context = {"section": "comparisons", "release": release, "requested": requested,
               "compare_url": reverse("dashboards:compare") + ("?" + request.GET.urlencode() if request.GET else "")}
    if release is None or not requested:
        return render(request, "workspaces/comparison_form.html", context)
    theme = request.GET.get("thema", "")
    chosen = [d.slug for d in registry.of_theme(theme)] if theme in registry.themes() else [
        d.slug for d in registry.all_indicators()]
    years = _available_years(release, requested)
    areas = [(code, f"{names.get(code, code)} ({code})") for code in requested]
    initial = {"area_codes": requested, "indicators": chosen, "years": years[-1:],
               "title": ", ".join(names.get(code, code) for code in requested)[:200]}
    form = forms.ComparisonForm(request.POST or None, organisations=own, areas=areas, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_comparison(
                user=request.user, organisation=form.chosen_organisation(), title=data["title"],
                area_codes=data["area_codes"], indicators=data["indicators"], years=data["years"],
                release=release, visibility=data["visibility"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The comparison is saved."))
            return redirect("workspaces:comparison", saved.pk)
    context["form"] = form
    return render(request, "workspaces/comparison_form.html", context)


def _before_text(definition, before, saved_release: int) -> str:
    if before is None:
        return _("not in release %(number)s") % {"number": saved_release}
    value = formatting.value_text(definition, *before) if definition else str(before[0])
    return _("was %(value)s in release %(number)s") % {"value": value, "number": saved_release}


def comparison_table(saved, release) -> dict:
    """The saved selection on ``release``: rows indicator × year, a column per area; every cell
    with its value in words and, where it changed since saving, what it was."""
    current = services.snapshot(release, area_codes=saved.area_codes, indicators=saved.indicators, years=saved.years)
    changes = selectors.changes_since_saved(saved, current)
    changed = {(c["indicator"], c["area_code"], c["year"]): c for c in changes}
    names = _names(saved.area_codes)
    definitions = pages.definitions()
    rows = []
    for slug in saved.indicators:
        definition = definitions.get(slug)
        for year in saved.years:
            cells = []
            for code in saved.area_codes:
                value, status = current.get(f"{slug}|{code}|{year}", [None, "N"])
                text = formatting.value_text(definition, value, status) if definition else str(
                    formatting.NOT_AVAILABLE if value is None else value)
                change = changed.get((slug, code, year))
                cells.append({
                    "text": text, "status": formatting.status_text(status) if status != "V" else "",
                    "changed": change is not None,
                    "before": _before_text(definition, change["before"], saved.release_number) if change else "",
                })
            rows.append({"name": pages.name(definition) if definition else slug, "unit": pages.text(
                definition, "unit") if definition else "", "year": year, "cells": cells,
                "url": pages.indicator_url(slug) if definition else ""})
    summary = []
    for change in changes:
        definition = definitions.get(change["indicator"])
        after = change["after"]
        now = (formatting.value_text(definition, *after) if definition and after else
               str(formatting.NOT_AVAILABLE))
        summary.append({
            "indicator": pages.name(definition) if definition else change["indicator"],
            "area": names.get(change["area_code"], change["area_code"]), "year": change["year"],
            "before": _before_text(definition, change["before"], saved.release_number), "now": now,
        })
    return {
        "areas": [(code, names.get(code, code), area_page_url(code)) for code in saved.area_codes],
        "rows": rows, "summary": summary,
    }


@login_required
def comparison_detail(request, pk: int):
    saved = _or_404(selectors.comparison(request.user, pk))
    release = current_release()
    return render(request, "workspaces/comparison_detail.html", {
        "section": "comparisons", "saved": saved, "release": release,
        "table": comparison_table(saved, release) if release else None,
        "is_author": saved.author_id == request.user.pk,
        "compare_url": reverse("dashboards:compare") + "?" + "&".join(f"gebied={code}" for code in saved.area_codes),
    })


@login_required
@require_http_methods(["GET", "POST"])
def comparison_delete(request, pk: int):
    saved = _or_404(selectors.comparison(request.user, pk))
    return _confirm_delete(
        request, saved, section="comparisons", title=saved.title,
        not_author=_("Only the author can remove this comparison."), question=_("Remove this comparison?"),
        delete=lambda: services.delete_comparison(user=request.user, comparison=saved),
        done=_("The comparison is removed."), done_url=reverse("workspaces:comparisons"),
        cancel_url=reverse("workspaces:comparison", args=[saved.pk]),
    )


# ---------------------------------------------------------------- knowledge


def _editor_organisations(user) -> list[Organisation]:
    return [o for o in organisations.organisations_of(user) if organisations.has_role(user, o, Role.EDITOR)]


@login_required
def knowledge_list(request):
    filters = forms.KnowledgeFilterForm(request.GET or None)
    data = filters.cleaned_data if request.GET and filters.is_valid() else {}
    found = selectors.knowledge(request.user, theme=data.get("thema", ""))
    if data.get("soort"):
        found = found.filter(kind=data["soort"])
    page = _page(request, found)
    theme_labels = dict(forms.theme_choices())
    return render(request, "workspaces/knowledge_list.html", {
        "section": "knowledge", "filters": filters, "page_obj": page, "query": query_without_page(request),
        "items": [{"item": item, "themes": [theme_labels.get(t, t) for t in item.themes]} for item in page.object_list],
        "can_share": bool(_editor_organisations(request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_create(request):
    editable = _editor_organisations(request.user)
    if not editable:
        raise PermissionDenied(_("Sharing knowledge is for editors of an organisation."))
    form = forms.KnowledgeForm(request.POST or None, organisations=editable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.share_knowledge(
                user=request.user, organisation=form.chosen_organisation(), kind=data["kind"], title=data["title"],
                body=data["body"], themes=data["themes"], visibility=data["visibility"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The knowledge item is shared."))
            return redirect("workspaces:knowledge-item", item.pk)
    return render(request, "workspaces/knowledge_form.html", {"section": "knowledge", "form": form})


def _knowledge_page(request, item: KnowledgeItem, comment_form, status: int = 200):
    theme_labels = dict(forms.theme_choices())
    comments = [{"comment": c, "html": markdown.render(c.body)} for c in selectors.comments_of(item)]
    return render(request, "workspaces/knowledge_detail.html", {
        "section": "knowledge", "item": item, "html": markdown.render(item.body),
        "themes": [theme_labels.get(t, t) for t in item.themes], "comments": comments,
        "comment_form": comment_form, "is_author": item.author_id == request.user.pk,
    }, status=status)


@login_required
def knowledge_detail(request, pk: int):
    item = _or_404(selectors.knowledge_item(request.user, pk))
    own = list(organisations.organisations_of(request.user))
    return _knowledge_page(request, item, forms.CommentForm(organisations=own) if own else None)


@login_required
@require_POST
def knowledge_comment(request, pk: int):
    item = _or_404(selectors.knowledge_item(request.user, pk))
    own = list(organisations.organisations_of(request.user))
    if not own:
        raise PermissionDenied(_("Comments are written for an organisation; you are not a member of one."))
    form = forms.CommentForm(request.POST, organisations=own)
    if form.is_valid():
        try:
            comment = services.comment(user=request.user, organisation=form.chosen_organisation(), item=item,
                                       body=form.cleaned_data["body"])
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(reverse("workspaces:knowledge-item", args=[item.pk]) + f"#comment-{comment.pk}")
    return _knowledge_page(request, item, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_delete(request, pk: int):
    item = _or_404(selectors.knowledge_item(request.user, pk))
    return _confirm_delete(
        request, item, section="knowledge", title=item.title,
        not_author=_("Only the author can remove this knowledge item."),
        question=_("Remove this knowledge item and its comments?"),
        delete=lambda: services.delete_knowledge(user=request.user, item=item),
        done=_("The knowledge item is removed."), done_url=reverse("workspaces:knowledge"),
        cancel_url=reverse("workspaces:knowledge-item", args=[item.pk]),
    )
