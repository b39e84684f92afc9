"""Writes of own data layers: upload (read, validate, keep every problem), confirm, share, delete.

A file is read by the stewards' reader (apps.sources.tabular: the same encodings, delimiters,
XLSX and size limit) and checked with their cell checks (apps.sources.validation). Every
problem names file, row and column; a file with any problem is rejected as a whole and none of
its values is stored. Each write checks who asks (an editor or admin of the layer's
organisation) and goes to the audit log.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.problems import FileRejected, RowError
from apps.core.services import record_event
from apps.geography import selectors as geography
from apps.geography.levels import Level
from apps.organisations import selectors as organisations
from apps.organisations.models import Organisation, Role
from apps.sources.tabular import Table, read_table
from apps.sources.validation import check_codes, errors_for, level_from_code, parse_numbers
from apps.workspaces.models import Visibility

from .models import DataLayer, LayerValue

#: The columns a layer file holds, each with the header spellings accepted (compared without
#: case, spaces, '-' or '_'). The first spelling is the one the upload page documents.
COLUMNS = {
    "code": ("gebiedscode", "code", "buurtcode", "wijkcode", "regiocode", "areacode"),
    "year": ("jaar", "peiljaar", "year"),
    "value": ("waarde", "value", "aantal"),
}
FIRST_YEAR = 1900


@dataclass
class ParsedLayer:
    """A layer file read and checked: its values (row, area_code, year, value) and every problem."""

    file_name: str
    rows_read: int = 0
    frame: pd.DataFrame | None = None
    errors: list[RowError] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _require_editor(user, organisation: Organisation) -> None:
    if not organisations.has_role(user, organisation, Role.EDITOR):
        raise PermissionDenied(_("Only editors of %(organisation)s may change its data layers.")
                               % {"organisation": organisation})


def _normalised(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch not in " -_")


def _find_columns(name: str, columns: list[str]) -> tuple[dict[str, str], list[RowError], list[str]]:
    """{role: the file's column} for code, year and value; the header's problems; the columns
    the layer does not use."""
    found, errors, used = {}, [], set()
    for role, spellings in COLUMNS.items():
        matches = [column for column in columns if _normalised(column) in spellings]
        if not matches:
            errors.append(RowError(name, None, spellings[0], _("column missing (accepted names: %(names)s)")
                                   % {"names": ", ".join(spellings)}))
        elif len(matches) > 1:
            errors.append(RowError(name, None, matches[1], _("%(columns)s: several columns for the same thing")
                                   % {"columns": ", ".join(matches)}))
        else:
            found[role] = matches[0]
            used.add(matches[0])
    return found, errors, [column for column in columns if column not in used]


def parse_layer_table(table: Table, *, level: str, gemeente_code: str, vintage: int) -> ParsedLayer:
    """Check every row of a layer file; never writes. Rows are numbered from the first data row."""
    name, frame = table.name, table.frame
    result = ParsedLayer(name, rows_read=len(frame))
    columns, header_errors, result.ignored_columns = _find_columns(name, table.columns)
    if header_errors:
        result.errors = header_errors
        return result
    if frame.empty:
        result.errors = [RowError(name, None, "", _("the file holds no rows below its header"))]
        return result
    code_column, year_column, value_column = columns["code"], columns["year"], columns["value"]
    errors: list[RowError] = []

    codes = frame[code_column].str.upper().str.replace(" ", "", regex=False)
    levels = level_from_code(codes)
    empty_code = codes == ""
    errors += errors_for(name, code_column, empty_code, _("code missing"))
    other_level = ~empty_code & levels.isin([lv.value for lv in Level]) & (levels != level)
    errors += errors_for(
        name, code_column, other_level,
        lambda i: _("%(code)s is a %(found)s code; this layer is by %(level)s")
        % {"code": codes.at[i], "found": Level(levels.at[i]).label, "level": Level(level).label},
    )
    present_levels = sorted(set(levels[~empty_code & (levels != "")]))
    if len(present_levels) > 1:
        errors.append(RowError(name, None, code_column, _("the file mixes levels (%(levels)s); a layer holds one")
                               % {"levels": ", ".join(str(Level(lv).label) for lv in present_levels)}))
    # Format and existence in the indeling: the stewards' check, for the rows of the layer's level
    # and for codes that fit no level at all.
    checked = ~empty_code & ~other_level
    known = geography.area_codes(vintage=vintage)
    errors += check_codes(name, code_column, codes[checked], pd.Series(level, index=codes[checked].index), known)
    if known is not None:
        inside = set(geography.within_gemeente(gemeente_code, vintage=vintage, levels=(level,))
                     .values_list("code", flat=True))
        outside = checked & codes.isin(known) & ~codes.isin(inside) & (levels == level)
    else:  # the indeling is not loaded: the CBS code rule still names the gemeente
        outside = checked & (levels == level) & (codes.str[2:6] != gemeente_code[2:6])
    gemeente = geography.area_detail(code=gemeente_code, vintage=vintage)
    gemeente_name = gemeente.name if gemeente else gemeente_code
    errors += errors_for(name, code_column, outside, lambda i: _("%(code)s lies outside %(gemeente)s")
                         % {"code": codes.at[i], "gemeente": gemeente_name})

    year_text = frame[year_column]
    years, _status, bad_year = parse_numbers(year_text, special_codes=False)
    last_year = timezone.now().year + 1
    implausible = (year_text == "") | bad_year | years.isna() | (years % 1 != 0) | (years < FIRST_YEAR) | (years > last_year)
    errors += errors_for(name, year_column, implausible, lambda i: _("%(text)r is not a year (4 digits, %(first)s to %(last)s)")
                         % {"text": year_text.at[i], "first": FIRST_YEAR, "last": last_year})

    value_text = frame[value_column]
    values, value_status, bad_value = parse_numbers(value_text, decimal_comma=True, special_codes=False)
    errors += errors_for(name, value_column, value_text == "", _("value missing: leave out a row without a value"))
    errors += errors_for(name, value_column, (value_text != "") & (bad_value | values.isna()),
                         lambda i: _("%(text)r is not a number") % {"text": value_text.at[i]})

    year_label = years.where(~implausible).astype("Int64").astype(str)
    duplicated = ~empty_code & ~implausible & (codes + "|" + year_label).duplicated(keep="first")
    first_row = {key: label + 1 for label, key in reversed(list((codes + "|" + year_label).items()))}
    errors += errors_for(
        name, code_column, duplicated,
        lambda i: _("%(code)s appears twice for %(year)s (first in row %(row)s)")
        % {"code": codes.at[i], "year": year_label.at[i], "row": first_row[codes.at[i] + "|" + year_label.at[i]]},
    )

    result.errors = sorted(errors, key=lambda error: -1 if error.row is None else error.row)
    if not result.errors:
        result.frame = pd.DataFrame({"row": frame.index + 1, "area_code": codes, "year": years.astype(int),
                                     "value": values.astype(float)})
        result.years = sorted(int(year) for year in result.frame["year"].unique())
    return result


def _copy_upload(uploaded, folder: Path) -> tuple[Path, str]:
    """Write the upload to a private temporary file and return it with its SHA-256."""
    path = folder / "upload"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest()


def _problem_dicts(errors: list[RowError]) -> list[dict]:
    return [{"file": e.file, "row": e.row, "field": e.field, "message": e.message} for e in errors]


def upload_layer(*, user, organisation: Organisation, uploaded, title: str, level: str, description: str = "",
                 unit: str = "", source: str = "") -> DataLayer:
    """Read and check a file into a new layer: ``preview`` with its values when the file is
    clean, ``rejected`` with every problem (and no values) when it is not."""
    _require_editor(user, organisation)
    if organisation.kind != Organisation.Kind.GEMEENTE or not organisation.area_code:
        # A layer is drawn on its gemeente's map and checked against its gemeente's areas; a RIEC
        # region or partner has no such area of its own.
        raise ValidationError({"organisation": _("Only a gemeente's organisation can upload figures per buurt or wijk.")})
    if level not in (Level.BUURT, Level.WIJK):
        raise ValidationError({"level": _("Choose buurt or wijk.")})
    if not title.strip():
        raise ValidationError({"title": _("A layer needs a title.")})
    vintage = geography.default_vintage()
    file_name = Path(uploaded.name or "upload").name[:255]
    with tempfile.TemporaryDirectory() as folder:
        path, checksum = _copy_upload(uploaded, Path(folder))
        try:
            table = read_table(path, name=file_name, max_bytes=settings.SOURCE_MAX_UPLOAD_BYTES)
        except FileRejected as rejected:
            parsed = ParsedLayer(file_name, errors=rejected.errors)
        else:
            parsed = parse_layer_table(table, level=level, gemeente_code=organisation.area_code, vintage=vintage)
    with transaction.atomic():
        layer = DataLayer.objects.create(
            organisation=organisation, author=user, title=title.strip()[:200], description=description.strip(),
            unit=unit.strip()[:60], source=source.strip()[:300], level=level, vintage=vintage,
            status=DataLayer.Status.REJECTED if parsed.errors else DataLayer.Status.PREVIEW,
            file_name=file_name, checksum=checksum, row_count=parsed.rows_read, years=parsed.years,
            problems=_problem_dicts(parsed.errors), ignored_columns=parsed.ignored_columns,
        )
        if not parsed.errors:
            LayerValue.objects.bulk_create(
                [LayerValue(layer=layer, area_code=row.area_code, year=row.year, value=row.value)
                 for row in parsed.frame.itertuples(index=False)],
                batch_size=2_000,
            )
        record_event("layer_uploaded", f"{organisation.slug}/{layer.pk}", actor=user, title=layer.title,
                     file=file_name, checksum=checksum, status=layer.status, rows=parsed.rows_read,
                     problems=len(parsed.errors))
    return layer


def confirm_layer(*, user, layer: DataLayer) -> DataLayer:
    """A clean preview becomes the organisation's active layer (each upload is a layer of its
    own: an earlier layer with the same title stays until an editor deletes it)."""
    _require_editor(user, layer.organisation)
    if layer.status != DataLayer.Status.PREVIEW:
        raise ValidationError(_("Only a layer waiting for confirmation can be confirmed."))
    layer.status = DataLayer.Status.ACTIVE
    layer.confirmed_at = timezone.now()
    layer.confirmed_by = user
    layer.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    record_event("layer_confirmed", f"{layer.organisation.slug}/{layer.pk}", actor=user, title=layer.title)
    return layer


def set_shared(*, user, layer: DataLayer, shared: bool, figures_may_be_shared: bool = False) -> DataLayer:
    """Share an active layer with all member organisations (only with the editor's explicit
    statement that the figures may be shared and identify no person, address or company), or
    take it back to the organisation."""
    _require_editor(user, layer.organisation)
    if layer.status != DataLayer.Status.ACTIVE:
        raise ValidationError(_("Only an active layer can be shared."))
    if shared and not figures_may_be_shared:
        raise ValidationError({"figures_may_be_shared": _(
            "Confirm that these figures may be shared and contain nothing that identifies a person, address or company."
        )})
    layer.visibility = Visibility.SHARED if shared else Visibility.ORGANISATION
    layer.shared_at = timezone.now() if shared else None
    layer.save(update_fields=["visibility", "shared_at"])
    record_event("layer_shared" if shared else "layer_unshared", f"{layer.organisation.slug}/{layer.pk}",
                 actor=user, title=layer.title)
    return layer


def delete_layer(*, user, layer: DataLayer) -> None:
    _require_editor(user, layer.organisation)
    subject = f"{layer.organisation.slug}/{layer.pk}"
    title, status = layer.title, layer.status
    layer.delete()
    record_event("layer_deleted", subject, actor=user, title=title, status=status)
