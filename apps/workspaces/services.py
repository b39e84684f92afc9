"""Writes to workspaces. The writer must belong to the organisation the item is for; knowledge
items need an editor. Saved comparisons keep the published values they were saved with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from apps.geography.levels import level_of_code
from apps.indicators import registry
from apps.organisations import selectors as organisations
from apps.organisations.models import Organisation, Role
from apps.releases import selectors as reader
from apps.releases.models import Release

from .models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility

MAX_COMPARED_AREAS = 6


def _require(user, organisation: Organisation, role: Role = Role.MEMBER) -> None:
    if not organisations.has_role(user, organisation, role):
        raise PermissionDenied(_("You are not allowed to write for %(organisation)s.") % {"organisation": organisation})


def _check_area(code: str) -> str:
    code = code.strip().upper()
    if level_of_code(code) is None:
        raise ValidationError({"area_code": _("%(code)s is not a CBS area code.") % {"code": code}})
    return code


def _check_indicator(slug: str) -> str:
    if slug and slug not in {d.slug for d in registry.all_indicators()}:
        raise ValidationError({"indicator": _("Unknown indicator %(slug)s.") % {"slug": slug}})
    return slug


def write_note(*, user, organisation: Organisation, area_code: str, body: str, indicator: str = "",
               year: int | None = None, visibility: str = Visibility.ORGANISATION) -> Note:
    _require(user, organisation)
    if not body.strip():
        raise ValidationError({"body": _("A note needs text.")})
    return Note.objects.create(
        organisation=organisation, author=user, area_code=_check_area(area_code),
        indicator=_check_indicator(indicator), year=year, body=body, visibility=Visibility(visibility),
    )


def snapshot(release: Release, *, area_codes: list[str], indicators: list[str], years: list[int]) -> dict:
    """The published values (all branches) of a selection in one release."""
    return reader.snapshot(release, area_codes=area_codes, indicators=indicators, years=years)


def save_comparison(*, user, organisation: Organisation, title: str, area_codes: list[str], indicators: list[str],
                    years: list[int], release: Release, visibility: str = Visibility.ORGANISATION) -> SavedComparison:
    _require(user, organisation)
    areas = list(dict.fromkeys(_check_area(code) for code in area_codes))
    if not areas or len(areas) > MAX_COMPARED_AREAS:
        raise ValidationError({"area_codes": _("Choose one to six areas.")})
    if not indicators:
        raise ValidationError({"indicators": _("Choose at least one indicator.")})
    for slug in indicators:
        _check_indicator(slug)
    if visibility == Visibility.SHARED:
        raise ValidationError({"visibility": _("A comparison is kept for yourself or your organisation.")})
    return SavedComparison.objects.create(
        organisation=organisation, author=user, title=title.strip() or _("Comparison"), area_codes=areas,
        indicators=list(indicators), years=sorted(set(years)), visibility=Visibility(visibility),
        release_number=release.number,
        snapshot=snapshot(release, area_codes=areas, indicators=list(indicators), years=list(years)),
    )


def share_knowledge(*, user, organisation: Organisation, kind: str, title: str, body: str, themes: list[str],
                    visibility: str = Visibility.SHARED) -> KnowledgeItem:
    _require(user, organisation, Role.EDITOR)
    if not title.strip() or not body.strip():
        raise ValidationError({"body": _("A knowledge item needs a title and text.")})
    return KnowledgeItem.objects.create(
        organisation=organisation, author=user, kind=KnowledgeItem.Kind(kind), title=title.strip(), body=body,
        themes=[theme for theme in themes if theme in registry.themes()], visibility=Visibility(visibility),
    )


def comment(*, user, organisation: Organisation, item: KnowledgeItem, body: str) -> KnowledgeComment:
    """A comment by a member of any organisation that may read the item."""
    from . import selectors

    _require(user, organisation)
    if selectors.knowledge_item(user, item.pk) is None:
        raise PermissionDenied(_("You cannot read this item."))
    if not body.strip():
        raise ValidationError({"body": _("A comment needs text.")})
    return KnowledgeComment.objects.create(item=item, organisation=organisation, author=user, body=body)


def _require_author(user, item) -> None:
    """Only the author changes or removes an item; readers who are not the author get 403."""
    if not getattr(user, "is_authenticated", False) or item.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change or remove this."))


def edit_note(*, user, note: Note, area_code: str, body: str, indicator: str = "", year: int | None = None,
              visibility: str = Visibility.ORGANISATION) -> Note:
    """The author changes a note; the author must still belong to the note's organisation."""
    _require_author(user, note)
    _require(user, note.organisation)
    if not body.strip():
        raise ValidationError({"body": _("A note needs text.")})
    note.area_code = _check_area(area_code)
    note.indicator = _check_indicator(indicator)
    note.year = year
    note.body = body
    note.visibility = Visibility(visibility)
    note.save()
    return note


def delete_note(*, user, note: Note) -> None:
    _require_author(user, note)
    note.delete()


def delete_comparison(*, user, comparison: SavedComparison) -> None:
    _require_author(user, comparison)
    comparison.delete()


def delete_knowledge(*, user, item: KnowledgeItem) -> None:
    """The author removes a knowledge item, and with it the comments on it."""
    _require_author(user, item)
    item.delete()
