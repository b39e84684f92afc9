"""The export of one organisation's workspace content, for its admins: JSON (one document) or
CSV (a ZIP with one file per kind).

Each kind is one function ``(organisation, viewer) -> list[dict]`` with a fixed list of columns
(``KINDS``). What the export holds is what the exporting admin may read: items come through
``apps.workspaces.selectors`` (so a colleague's private note or comparison is never exported,
only the admin's own private items), members through ``apps.organisations.selectors``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from apps.datalayers import selectors as datalayers
from apps.organisations import selectors as organisations
from apps.organisations.models import Organisation

from . import selectors
from .models import KnowledgeComment


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _organisation_items(queryset, organisation: Organisation):
    return queryset.filter(organisation=organisation).order_by("created_at", "pk")


def members(organisation: Organisation, viewer) -> list[dict]:
    return [
        {
            "username": membership.user.get_username(),
            "name": membership.user.get_full_name(),
            "email": membership.user.email,
            "role": membership.role,
            "since": membership.created_at,
        }
        for membership in organisations.members(organisation, viewer=viewer)
    ]


def notes(organisation: Organisation, viewer) -> list[dict]:
    return [
        {
            "id": note.pk,
            "author": _username(note.author),
            "area_code": note.area_code,
            "indicator": note.indicator,
            "year": note.year,
            "visibility": note.visibility,
            "body": note.body,
            "created_at": note.created_at,
            "updated_at": note.updated_at,
        }
        for note in _organisation_items(selectors.notes(viewer), organisation)
    ]


def comparisons(organisation: Organisation, viewer) -> list[dict]:
    return [
        {
            "id": saved.pk,
            "author": _username(saved.author),
            "title": saved.title,
            "area_codes": " ".join(saved.area_codes),
            "indicators": " ".join(saved.indicators),
            "years": " ".join(str(year) for year in saved.years),
            "visibility": saved.visibility,
            "release_number": saved.release_number,
            "created_at": saved.created_at,
        }
        for saved in _organisation_items(selectors.comparisons(viewer), organisation)
    ]


def knowledge_items(organisation: Organisation, viewer) -> list[dict]:
    return [
        {
            "id": item.pk,
            "author": _username(item.author),
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "themes": " ".join(item.themes),
            "visibility": item.visibility,
            "created_at": item.created_at,
        }
        for item in _organisation_items(selectors.knowledge(viewer), organisation)
    ]


def knowledge_comments(organisation: Organisation, viewer) -> list[dict]:
    """Every comment on the organisation's items (also those other organisations wrote), and
    the comments the organisation's members wrote on items of others that the viewer reads."""
    readable = selectors.knowledge(viewer)
    own_items = readable.filter(organisation=organisation).values("pk")
    found = (
        KnowledgeComment.objects.filter(Q(item__in=own_items) | Q(organisation=organisation, item__in=readable.values("pk")))
        .select_related("item", "item__organisation", "organisation", "author")
        .order_by("item_id", "created_at", "pk")
    )
    return [
        {
            "id": comment.pk,
            "item_id": comment.item_id,
            "item_title": comment.item.title,
            "item_organisation": comment.item.organisation.slug,
            "organisation": comment.organisation.slug,
            "author": _username(comment.author),
            "body": comment.body,
            "created_at": comment.created_at,
        }
        for comment in found
    ]


def _own_layers(organisation: Organisation, viewer):
    # Confirmed layers of this organisation only (never another's, shared or not), read as the
    # viewer may read them.
    return datalayers.active_layers(viewer).filter(organisation=organisation).order_by("pk")


def data_layers(organisation: Organisation, viewer) -> list[dict]:
    return [
        {
            "id": layer.pk, "title": layer.title, "description": layer.description, "unit": layer.unit,
            "source": layer.source, "level": layer.level, "vintage": layer.vintage, "years": layer.years,
            "visibility": layer.visibility, "file": layer.file_name, "uploaded_by": _username(layer.author),
            "confirmed_at": layer.confirmed_at,
        }
        for layer in _own_layers(organisation, viewer).select_related("author")
    ]


def data_layer_values(organisation: Organisation, viewer) -> list[dict]:
    rows = []
    for layer in _own_layers(organisation, viewer):
        rows += [
            {"layer_id": layer.pk, "area_code": value.area_code, "year": value.year, "value": value.value}
            for value in datalayers.value_rows(layer)
        ]
    return rows


DATA_LAYER_FIELDS = ["id", "title", "description", "unit", "source", "level", "vintage", "years", "visibility",
                     "file", "uploaded_by", "confirmed_at"]


@dataclass(frozen=True)
class Kind:
    name: str
    fields: list[str]
    rows: Callable[[Organisation, object], list[dict]]


KINDS = [
    Kind("members", ["username", "name", "email", "role", "since"], members),
    Kind("notes", ["id", "author", "area_code", "indicator", "year", "visibility", "body", "created_at",
                   "updated_at"], notes),
    Kind("comparisons", ["id", "author", "title", "area_codes", "indicators", "years", "visibility",
                         "release_number", "created_at"], comparisons),
    Kind("knowledge_items", ["id", "author", "kind", "title", "body", "themes", "visibility", "created_at"],
         knowledge_items),
    Kind("knowledge_comments", ["id", "item_id", "item_title", "item_organisation", "organisation", "author",
                                "body", "created_at"], knowledge_comments),
    Kind("data_layers", DATA_LAYER_FIELDS, data_layers),
    Kind("data_layer_values", ["layer_id", "area_code", "year", "value"], data_layer_values),
]


def collect(organisation: Organisation, viewer) -> dict[str, list[dict]]:
    return {kind.name: kind.rows(organisation, viewer) for kind in KINDS}


def _about(organisation: Organisation, viewer) -> dict:
    return {
        "organisation": {"name": organisation.name, "slug": organisation.slug, "kind": organisation.kind,
                         "area_code": organisation.area_code},
        "exported_at": timezone.now(),
        "exported_by": viewer.get_username(),
    }


FORMATS = ("json", "csv")


def _json(about: dict, content: dict) -> bytes:
    return json.dumps({**about, **content}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _csv(fields: list[str], rows: list[dict]) -> bytes:
    # As the public downloads: semicolons and a byte order mark, so Excel opens it as UTF-8.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";", lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _zip(about: dict, content: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(f"{kind.name}.csv", _csv(kind.fields, content[kind.name]))
        archive.writestr("about.json", _json(about, {}))
    return buffer.getvalue()


def export(organisation: Organisation, viewer, fmt: str) -> tuple[bytes, dict[str, int]]:
    """The export file in ``fmt`` ("json" or "csv": a ZIP) and how many rows of each kind it holds."""
    content = collect(organisation, viewer)
    about = _about(organisation, viewer)
    data = _json(about, content) if fmt == "json" else _zip(about, content)
    return data, {name: len(rows) for name, rows in content.items()}
