"""Who may read which data layer: the one place it is decided.

An active layer is read by the members of its organisation and, when shared on purpose, by the
members of any organisation. A preview or a rejected upload is read only by the organisation's
editors (and admins). Anonymous visitors and users of no organisation read nothing shared. A
lookup by id the user may not read returns None, so views answer 404 and a guessed id tells
nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.organisations import selectors as organisations
from apps.organisations.models import ROLE_RANK, Organisation, Role
from apps.workspaces.models import Visibility

from .models import DataLayer, LayerValue

EDITING_ROLES = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.EDITOR]]


def _readable(user) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return None
    own = Organisation.objects.filter(memberships__user=user)
    edited = Organisation.objects.filter(memberships__user=user, memberships__role__in=EDITING_ROLES)
    condition = Q(organisation__in=own, status=DataLayer.Status.ACTIVE) | Q(organisation__in=edited)
    if own.exists():
        condition |= Q(status=DataLayer.Status.ACTIVE, visibility=Visibility.SHARED)
    return condition


def layers(user) -> QuerySet[DataLayer]:
    """Every layer the user may read, newest first."""
    condition = _readable(user)
    if condition is None:
        return DataLayer.objects.none()
    return DataLayer.objects.filter(condition).select_related("organisation", "author")


def layer(user, pk: int) -> DataLayer | None:
    return layers(user).filter(pk=pk).first()


def active_layers(user) -> QuerySet[DataLayer]:
    return layers(user).filter(status=DataLayer.Status.ACTIVE)


def workspace_layers(user, organisation: Organisation) -> QuerySet[DataLayer]:
    """For an organisation's workspace dashboard: its own active layers, then the layers other
    organisations shared on purpose (what the user may read, nothing else)."""
    return active_layers(user).filter(
        Q(organisation=organisation) | Q(visibility=Visibility.SHARED)
    ).order_by("-confirmed_at")


def can_edit(user, layer: DataLayer) -> bool:
    """Confirm, share and delete: the editors and admins of the layer's organisation."""
    return organisations.has_role(user, layer.organisation, Role.EDITOR)


def upload_organisations(user) -> QuerySet[Organisation]:
    """The gemeenten the user may upload a layer for (editor or admin there)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=EDITING_ROLES, kind=Organisation.Kind.GEMEENTE,
    ).exclude(area_code="").order_by("name")


def values(layer: DataLayer, *, year: int) -> dict[str, float]:
    """``{area code: value}`` of one year of a layer (the caller has read it through ``layer``)."""
    return dict(layer.values.filter(year=year).order_by("area_code").values_list("area_code", "value"))


def value_rows(layer: DataLayer) -> QuerySet[LayerValue]:
    return layer.values.order_by("year", "area_code")
