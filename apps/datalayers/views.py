"""Own data layers in the workspace. Thin: every lookup goes through selectors (a layer the user
may not read is a 404), every write through services (which check the role: 403)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import apply_errors
from apps.core.paging import page_of, query_without_page
from apps.geography import selectors as geography
from apps.organisations import selectors as organisations
from apps.releases.cache import current_release

from . import pages, selectors, services
from .forms import DeleteForm, ShareForm, UploadForm
from .models import DataLayer

PROBLEMS_PER_PAGE = 50
VALUES_PER_PAGE = 100


def _readable_layer(request, pk: int) -> DataLayer:
    layer = selectors.layer(request.user, pk)
    if layer is None:
        raise Http404
    return layer


def _editable_layer(request, pk: int) -> DataLayer:
    layer = _readable_layer(request, pk)
    if not selectors.can_edit(request.user, layer):
        raise PermissionDenied
    return layer


def _context(request, **extra) -> dict:
    own = list(organisations.organisations_of(request.user))
    organisation = extra.get("organisation") or (own[0] if own else None)
    if organisation is not None and organisation not in own:
        organisation = own[0] if own else None  # a shared layer: the nav stays on the user's own
    return {"section": "layers", **extra, "organisation": organisation}


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def layer_list(request):
    readable = selectors.layers(request.user)
    own = organisations.organisations_of(request.user)
    return render(request, "datalayers/layer_list.html", _context(
        request,
        own_layers=readable.filter(organisation__in=own).order_by("organisation__name", "-created_at"),
        shared_layers=readable.exclude(organisation__in=own).order_by("organisation__name", "-confirmed_at"),
        can_upload=selectors.upload_organisations(request.user).exists(),
    ))


@login_required
def layer_upload(request):
    allowed = selectors.upload_organisations(request.user)
    if not allowed.exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, organisations=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            layer = services.upload_layer(
                user=request.user, organisation=data["organisation"], uploaded=data["file"], title=data["title"],
                level=data["level"], description=data["description"], unit=data["unit"], source=data["source"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if layer.status == DataLayer.Status.REJECTED:
                messages.error(request, _("The file has errors, so nothing was stored. Every error is listed below."))
            else:
                messages.success(request, _("The file was read without errors. Check the figures, then confirm."))
            return redirect("datalayers:layer", pk=layer.pk)
    first = allowed.first()
    return render(request, "datalayers/layer_upload.html", _context(
        request, form=form, organisation=first, single_organisation=allowed.count() == 1,
        example_code="BU" + first.area_code[2:] + "0000" if first else "BU03080000",
        vintage=geography.default_vintage(),
    ))


@login_required
def layer_detail(request, pk: int):
    layer = _readable_layer(request, pk)
    context = _context(request, layer=layer, organisation=layer.organisation,
                       can_edit=selectors.can_edit(request.user, layer))
    if layer.status == DataLayer.Status.REJECTED:
        context["problems"] = page_of(request, layer.problems, PROBLEMS_PER_PAGE)
        context["query"] = query_without_page(request)
    elif layer.status == DataLayer.Status.PREVIEW:
        context["value_page"] = page_of(request, selectors.value_rows(layer), VALUES_PER_PAGE)
        context["query"] = query_without_page(request)
    else:
        context.update(_active_context(request, layer))
        context["share_form"] = ShareForm()
        context["delete_form"] = DeleteForm()
    return render(request, "datalayers/layer_detail.html", context)


def _active_context(request, layer: DataLayer) -> dict:
    year = pages.default_year(layer, request.GET.get("jaar"))
    if year is None:
        return {}
    values = pages.layer_values(layer, year)
    digits = pages.digits_of(values.values())
    map_classes = pages.classes(values)
    release = current_release()
    choices = pages.indicator_choices(layer, release)
    indicator = request.GET.get("indicator", "")
    if indicator not in {slug for slug, _name in choices}:
        # By default the indicator with the most published values beside the layer's areas that
        # year, so the table compares rather than says "secret" in every row.
        with_year = [slug for slug, _name in choices if year in pages.indicator_years(release, slug)]
        indicator = (pages.most_published_indicator(layer, release, year=year, slugs=with_year)
                     or (with_year[0] if with_year else (choices[0][0] if choices else "")))
    rows = pages.area_rows(layer, year=year, layer_values=values, map_classes=map_classes, digits=digits,
                           release=release, indicator=indicator)
    return {
        "year": year,
        "digits": digits,
        "rows": rows,
        "map_config": pages.map_config(layer, year=year, map_classes=map_classes),
        "legend": pages.legend(map_classes, values, [row.code for row in rows], digits),
        "release": release,
        "indicator_choices": choices,
        "indicator": indicator,
        "indicator_name": dict(choices).get(indicator, ""),
        "indicator_years": pages.indicator_years(release, indicator),
        "areas_with_value": len(values),
    }


@login_required
@require_POST
def layer_confirm(request, pk: int):
    layer = _editable_layer(request, pk)
    try:
        services.confirm_layer(user=request.user, layer=layer)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The layer is active: your organisation sees it in the workspace."))
    return redirect("datalayers:layer", pk=layer.pk)


@login_required
@require_POST
def layer_share(request, pk: int):
    layer = _editable_layer(request, pk)
    share = not layer.is_shared
    form = ShareForm(request.POST)
    try:
        services.set_shared(user=request.user, layer=layer, shared=share,
                            figures_may_be_shared=share and form.is_valid())
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The layer is shared with all member organisations.") if share
                         else _("The layer is visible to your organisation only."))
    return redirect("datalayers:layer", pk=layer.pk)


@login_required
@require_POST
def layer_delete(request, pk: int):
    layer = _editable_layer(request, pk)
    if not DeleteForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that the layer may be deleted."))
        return redirect("datalayers:layer", pk=layer.pk)
    services.delete_layer(user=request.user, layer=layer)
    messages.success(request, _("The layer and its values were deleted."))
    return redirect("datalayers:layers")


def _json_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _private(JsonResponse({"detail": "authentication required"}, status=401))
        return view(request, *args, **kwargs)

    return wrapped


def _private(response):
    # A layer is the organisation's own: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@_json_login_required
def layer_values(request, pk: int):
    layer = selectors.layer(request.user, pk)
    if layer is None or layer.status != DataLayer.Status.ACTIVE:
        return _private(JsonResponse({"detail": "not found"}, status=404))
    year = request.GET.get("jaar", "")
    if not year.isdigit():
        return _private(JsonResponse({"detail": "give the year as ?jaar=YYYY"}, status=400))
    return _private(JsonResponse({"values": selectors.values(layer, year=int(year))}))
