"""Open data endpoints: published figures for anyone, read only (GET, HEAD, OPTIONS).

Thin views: parameters are validated by the serializers of ``filters.py``, reads are in
``selectors.py``, rows are built in ``serializers.py``, HTTP caching is ``caching.py``. A page of
values is built once per release and normalised query and then served from the cache; a client
that sends the page's ETag back gets 304 before the database is asked anything.
"""

from __future__ import annotations

import json
import math

from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from apps.api.errors import exception_handler
from apps.api.throttling import AnonWindowThrottle
from apps.dashboards import themes as dashboard_themes
from apps.geography import selectors as geography
from apps.geography.levels import level_of_code
from apps.indicators import registry
from apps.releases import selectors as release_selectors
from apps.releases.cache import current_release, per_release

from . import boundaries, caching, filters, selectors
from . import serializers as out
from .renderers import FormatParameterNegotiation, GeoJSONRenderer, UTF8CSVRenderer

PAGE_SIZE = 50
_VALIDATED: dict = {}
_VALIDATED_MAX = 2048
CSV_MAX_ROWS = 20_000
LANGUAGE_PARAMETER = "taal"


class ErrorSerializer(drf_serializers.Serializer):
    detail = drf_serializers.CharField()
    code = drf_serializers.CharField()
    fields = drf_serializers.DictField(child=drf_serializers.ListField(child=drf_serializers.CharField()),
                                       required=False)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A bad parameter: the field and what is wrong with it."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such item.")}
NOT_MODIFIED = {304: OpenApiResponse(description="Not modified (If-None-Match).")}


def request_language(request) -> str:
    """``?taal=`` if given, else the first of nl/en in Accept-Language, else Dutch."""
    wanted = request.query_params.get(LANGUAGE_PARAMETER, "").strip().lower()
    if wanted in filters.LANGUAGES:
        return wanted
    for language, _quality in translation.trans_real.parse_accept_lang_header(
            request.headers.get("Accept-Language", "")):
        primary = language.split("-")[0].lower()
        if primary in filters.LANGUAGES:
            return primary
    return "nl"


class PublicView(APIView):
    """Anyone, read only; anonymous throttling (the ``anon`` rate) applies to all.

    No authentication: a session or token changes nothing here, so every caller is served the
    same (cacheable) answer and no CSRF check applies."""

    permission_classes = [AllowAny]
    authentication_classes = []
    # Every caller is anonymous here, so the user-rate throttle (which counts an anonymous caller
    # by address too) would only be a second, looser anonymous limit.
    throttle_classes = [AnonWindowThrottle]
    http_method_names = ["get", "head", "options"]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatParameterNegotiation

    def get_exception_handler(self):
        return exception_handler

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # Errors are JSON whatever format was asked for (a CSV or GeoJSON error would be unreadable).
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return caching.mark_error(response)

    def dispatch(self, request, *args, **kwargs):
        self.language = "nl"
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.language = request_language(request)
        translation.activate(self.language)

    def params(self, serializer_class) -> dict:
        """The validated query. Validation reads only the registries, never the database, so a
        query that passed is remembered (per process, a bounded number): building a serializer
        costs more than serving a cached page."""
        key = (serializer_class, self.request.META.get("QUERY_STRING", ""))
        validated = _VALIDATED.get(key)
        if validated is None:
            serializer = serializer_class(data=request_data(self.request))
            serializer.is_valid(raise_exception=True)
            validated = dict(serializer.validated_data)
            if len(_VALIDATED) >= _VALIDATED_MAX:
                _VALIDATED.pop(next(iter(_VALIDATED)))
            _VALIDATED[key] = validated
        return dict(validated)

    @property
    def wants_csv(self) -> bool:
        return getattr(self.request, "accepted_renderer", None) is not None and self.request.accepted_renderer.format == "csv"


def request_data(request) -> dict:
    """The query as a plain dict (a repeated parameter as a list). Not the QueryDict: from one,
    DRF reads an empty optional parameter as absent, while the schema (minimum length 1, the
    choices) calls it invalid. An empty value is a bad parameter like any other, unless its
    field allows blanks."""
    return {name: values if len(values) > 1 else values[0] for name, values in request.query_params.lists()}


def _page(request, params: dict, total: int) -> tuple[int, int, int]:
    size = params.get("page_size") or PAGE_SIZE
    last = max(1, math.ceil(total / size))
    number = params.get("page") or 1
    if number > last:
        raise ValidationError({"page": [_("There is no page %(page)s; pages run from 1 to %(last)s.")
                                        % {"page": number, "last": last}]})
    return number, size, last


def _link(request, params: dict, page: int | None) -> str | None:
    if page is None:
        return None
    query = {**params, "page": page}
    return request.build_absolute_uri(request.path + "?" + caching.normalised_query(query))


def _page_body(request, params: dict, total: int, number: int, last: int, results: list, release=None) -> dict:
    body = {} if release is None else {"release": release.number}
    return body | {
        "count": total,
        "next": _link(request, params, number + 1 if number < last else None),
        "previous": _link(request, params, number - 1 if number > 1 else None),
        "results": results,
    }


def _check_csv_size(total: int) -> None:
    if total > CSV_MAX_ROWS:
        raise ValidationError({"formaat": [
            _("%(count)s rows is more than one CSV holds (at most %(max)s); narrow the selection, e.g. by jaar, "
              "niveau or binnen.") % {"count": total, "max": CSV_MAX_ROWS}
        ]})


def _csv(rows: list[dict], header: list[str]) -> bytes:
    return UTF8CSVRenderer().render(rows, renderer_context={"header": header})


def _bytes_response(body: bytes, content_type: str) -> HttpResponse:
    return HttpResponse(body, content_type=content_type)


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"


# ------------------------------------------------------------------------- values and zoekgebieden


class SelectionView(PublicView):
    """A filtered selection of one release, JSON a page at a time or CSV whole. Each answer is
    built once per release and normalised query and then served from the cache, with an ETag
    that lets a returning client have 304 before anything is read."""

    renderer_classes = [JSONRenderer, UTF8CSVRenderer]
    filter_class: type[drf_serializers.Serializer]
    selection_fields: tuple[str, ...]
    cache_prefix: str
    csv_header: list[str]

    def get(self, request):
        params = self.params(self.filter_class)
        release, explicit = caching.resolve_release(params.get("release"))
        csv = self.wants_csv
        selection = {name: params[name] for name in self.selection_fields if params.get(name)}
        paging = {} if csv else {"page": params.get("page") or 1, "page_size": params.get("page_size") or PAGE_SIZE}
        key = caching.normalised_query(selection | paging | {"f": "csv" if csv else "json", "taal": self.language,
                                                              "host": request.get_host()})
        etag = caching.etag_for(release, key)
        cache_control = caching.for_release(explicit)
        if caching.not_modified(request, etag):
            return caching.apply(HttpResponse(status=304), etag=etag, cache_control=cache_control)

        def build() -> bytes:
            queryset = self.queryset(release, params)
            total = queryset.count()
            if csv:
                _check_csv_size(total)
                rows = self.rows(queryset)
            else:
                number, size, last = _page(request, paging, total)
                rows = self.rows(queryset[(number - 1) * size:number * size]) if total else []
            results = self.results(rows, release, params)
            if csv:
                return _csv([self.flat(row) for row in results], self.csv_header)
            link_params = self.link_params(selection) | {"page_size": paging["page_size"]}
            if explicit:
                link_params["release"] = release.number
            return _json_bytes(_page_body(request, link_params, total, number, last, results, release))

        body = per_release(release, f"api:{self.cache_prefix}:{key}", build)
        response = _bytes_response(body, CSV_TYPE if csv else JSON_TYPE)
        return caching.apply(response, etag=etag, cache_control=cache_control)

    def queryset(self, release, params: dict):
        raise NotImplementedError

    def rows(self, queryset) -> list:
        return list(queryset)

    def results(self, rows: list, release, params: dict) -> list[dict]:
        raise NotImplementedError

    def flat(self, row: dict) -> dict:
        raise NotImplementedError

    def link_params(self, selection: dict) -> dict:
        """The validated selection as query parameters again (for next/previous links)."""
        return dict(selection)


@extend_schema_view(get=extend_schema(
    tags=["waarden"], operation_id="waarden_list", parameters=[filters.ValueFilter],
    responses={200: out.ValuePageSerializer, **NOT_MODIFIED, **ERRORS},
    description="Published values with status code, comparisons, significance and change. Withheld cells "
                "have `waarde` null and their status code, and no comparison. JSON is paginated; CSV "
                f"(`?formaat=csv` or `Accept: text/csv`) gives every row, up to {CSV_MAX_ROWS}.",
))
class ValueListView(SelectionView):
    filter_class = filters.ValueFilter
    selection_fields = ("indicators", "level", "gebied", "binnen", "jaar", "sbi")
    cache_prefix = "waarden"
    csv_header = out.VALUE_CSV_HEADER
    _parameter_names = {"indicators": "indicator", "level": "niveau"}

    def queryset(self, release, params):
        if params.get("jaar"):
            filters.check_years(params["jaar"], params["indicators"], selectors.indicator_years(release))
        return selectors.value_queryset(
            release, indicators=params["indicators"], level=params["level"], codes=params.get("gebied"),
            within=params.get("binnen", ""), years=params.get("jaar"),
            sections=[params["sbi"]] if params.get("sbi") else None,
        )

    def rows(self, queryset):
        return selectors.value_rows(queryset)

    def results(self, rows, release, params):
        names = selectors.area_names({(row[1], row[2]) for row in rows})
        definitions = {slug: registry.get(slug) for slug in params["indicators"]}
        synthetic = set(release.synthetic_indicators or [])
        return [out.value_row(row, names=names, definitions=definitions, synthetic=synthetic, language=self.language)
                for row in rows]

    def flat(self, row):
        return out.flat_value_row(row)

    def link_params(self, selection):
        return {self._parameter_names.get(name, name): value for name, value in selection.items()}


@extend_schema_view(get=extend_schema(
    tags=["zoekgebieden"], operation_id="zoekgebieden_list", parameters=[filters.ZoekgebiedFilter],
    responses={200: out.ZoekgebiedPageSerializer, **NOT_MODIFIED, **ERRORS},
    description="Kansrijke zoekgebieden per theme: areas where at least two of the theme's signals coincide, "
                "with those signals (indicators). Gemeenten and wijken; never addresses.",
))
class ZoekgebiedListView(SelectionView):
    filter_class = filters.ZoekgebiedFilter
    selection_fields = ("thema", "niveau", "binnen", "jaar")
    cache_prefix = "zoekgebieden"
    csv_header = out.ZOEKGEBIED_CSV_HEADER

    def queryset(self, release, params):
        levels = [params["niveau"]] if params.get("niveau") else list(filters.PUBLIC_ZOEKGEBIED_LEVELS)
        return selectors.zoekgebied_queryset(
            release, themes=[params["thema"]] if params.get("thema") else [], levels=levels,
            within=params.get("binnen", ""), years=params.get("jaar"),
        ).values("theme", "area_code", "level", "vintage", "year", "signals", "n_signals")

    def results(self, rows, release, params):
        names = selectors.area_names({(item["area_code"], item["vintage"]) for item in rows})
        definitions = {definition.slug: definition for definition in registry.all_indicators()}
        return [out.zoekgebied_row(item, names=names, definitions=definitions, language=self.language)
                for item in rows]

    def flat(self, row):
        return out.flat_zoekgebied_row(row)


# ------------------------------------------------------------------------------ themes, indicators


def _conditional(request, data, *, csv_rows=None, header=None, release=None, cache_control=caching.CURRENT):
    """A small answer built on every request: ETag from its content (and release), 304 when it
    matches."""
    if csv_rows is not None:
        body, content_type = _csv(csv_rows, header), CSV_TYPE
    else:
        body, content_type = _json_bytes(data), JSON_TYPE
    etag = caching.etag_for(release, body.decode())
    if caching.not_modified(request, etag):
        return caching.apply(HttpResponse(status=304), etag=etag, cache_control=cache_control)
    return caching.apply(_bytes_response(body, content_type), etag=etag, cache_control=cache_control)


class ThemeListView(PublicView):
    @extend_schema(tags=["themas"], operation_id="themas_list", parameters=[filters.ThemeFilter],
                   responses={200: out.ThemeSerializer(many=True), **NOT_MODIFIED, **ERRORS})
    def get(self, request):
        self.params(filters.ThemeFilter)
        rows = [out.theme_row(theme, [d.slug for d in registry.of_theme(theme)])
                for theme in dashboard_themes.public_themes()]
        return _conditional(request, rows)


def _indicator_rows(language: str, definitions) -> list[dict]:
    release = current_release()
    years = selectors.indicator_years(release) if release else {}
    synthetic = set(release.synthetic_indicators or []) if release else set()
    return [out.indicator_row(d, language=language, years=years.get(d.slug, []), synthetic=d.slug in synthetic)
            for d in definitions]


class IndicatorListView(PublicView):
    renderer_classes = [JSONRenderer, UTF8CSVRenderer]

    @extend_schema(tags=["indicatoren"], operation_id="indicatoren_list", parameters=[filters.IndicatorFilter],
                   responses={200: out.IndicatorSerializer(many=True), **NOT_MODIFIED, **ERRORS},
                   description="Every indicator's definition, unit, levels, sources and caveat (not paginated).")
    def get(self, request):
        params = self.params(filters.IndicatorFilter)
        themes = [params["thema"]] if params.get("thema") else dashboard_themes.public_themes()
        definitions = [d for theme in themes for d in registry.of_theme(theme)]
        rows = _indicator_rows(self.language, definitions)
        if self.wants_csv:
            return _conditional(request, None, csv_rows=[out.flat_indicator_row(r) for r in rows],
                                header=out.INDICATOR_CSV_HEADER)
        return _conditional(request, rows)


class IndicatorDetailView(PublicView):
    @extend_schema(tags=["indicatoren"], operation_id="indicatoren_retrieve", parameters=[filters.PublicQuery],
                   responses={200: out.IndicatorSerializer, **NOT_MODIFIED, **NOT_FOUND, **ERRORS})
    def get(self, request, slug: str):
        self.params(filters.PublicQuery)
        definition = registry.find(slug)
        if definition is None or definition.theme not in dashboard_themes.public_themes():
            raise NotFound(_("There is no indicator %(slug)s; the indicators are listed at %(url)s.")
                           % {"slug": slug, "url": reverse("api:indicator-list")})
        return _conditional(request, _indicator_rows(self.language, [definition])[0])


# ---------------------------------------------------------------------------------------- releases


class ReleaseListView(PublicView):
    @extend_schema(tags=["releases"], operation_id="releases_list", parameters=[filters.PublicQuery],
                   responses={200: out.ReleaseSerializer(many=True), **NOT_MODIFIED, **ERRORS},
                   description="Every published release, newest first (not paginated).")
    def get(self, request):
        self.params(filters.PublicQuery)
        releases = release_selectors.release_list().filter(status="published")
        return _conditional(request, [out.release_row(release) for release in releases])


class ReleaseDetailView(PublicView):
    @extend_schema(tags=["releases"], operation_id="releases_retrieve", parameters=[filters.PublicQuery],
                   responses={200: out.ReleaseSerializer, **NOT_MODIFIED, **NOT_FOUND, **ERRORS})
    def get(self, request, number: int):
        self.params(filters.PublicQuery)
        release = release_selectors.published_release(number)
        if release is None:
            raise NotFound(_("There is no published release %(number)s.") % {"number": number})
        # A release's content never changes; whether it is current does, so it is kept 5 minutes.
        return _conditional(request, out.release_row(release), release=release)


# ------------------------------------------------------------------------------------------- areas


def _vintage(params: dict) -> int:
    return params.get("indeling") or geography.default_vintage()


class AreaListView(PublicView):
    renderer_classes = [JSONRenderer, UTF8CSVRenderer]

    @extend_schema(tags=["gebieden"], operation_id="gebieden_list", parameters=[filters.AreaFilter],
                   responses={200: out.AreaPageSerializer, **NOT_MODIFIED, **ERRORS},
                   description="Areas of an indeling, by level, parent (binnen) or name (q: at most 100 matches).")
    def get(self, request):
        params = self.params(filters.AreaFilter)
        vintage = _vintage(params)
        level, within = params.get("niveau", ""), params.get("binnen", "")

        def rows_of(areas) -> list[dict]:
            return [out.area_row(a, parent_code=a.parent.code if a.parent_id else None) for a in areas]

        if params.get("q"):
            areas = geography.search_areas(query=params["q"], vintage=vintage, limit=100)
            if level:
                areas = [area for area in areas if area.level == level]
            if within:
                inside = set(selectors.area_queryset(vintage=vintage, level=level, within=within)
                             .filter(code__in=[a.code for a in areas]).values_list("code", flat=True))
                areas = [area for area in areas if area.code in inside]
            total, source = len(areas), areas
        else:
            source = selectors.area_queryset(vintage=vintage, level=level, within=within)
            total = source.count()
        if self.wants_csv:
            _check_csv_size(total)
            return _conditional(request, None, csv_rows=rows_of(list(source)), header=out.AREA_CSV_HEADER)
        paging = {"page": params.get("page") or 1, "page_size": params.get("page_size") or PAGE_SIZE}
        number, size, last = _page(request, paging, total)
        rows = rows_of(list(source[(number - 1) * size:number * size])) if total else []
        link_params = {name: params[name] for name in ("niveau", "binnen", "indeling", "q") if params.get(name)}
        link_params["page_size"] = size
        return _conditional(request, _page_body(request, link_params, total, number, last, rows))


def _area_or_error(code: str, vintage: int):
    if level_of_code(code.upper()) is None:
        raise ValidationError({"code": [filters._code_help(code)]})
    area = geography.area_detail(code=code, vintage=vintage)
    if area is None:
        raise NotFound(_("There is no area %(code)s in the indeling %(vintage)s.") % {"code": code, "vintage": vintage})
    return area


CODE_PARAMETER = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                                  description="CBS area code, e.g. GM0363, WK036300, BU03630000 or NL00.")


class AreaDetailView(PublicView):
    @extend_schema(tags=["gebieden"], operation_id="gebieden_retrieve",
                   parameters=[CODE_PARAMETER, filters.AreaDetailQuery],
                   responses={200: out.AreaDetailSerializer, **NOT_MODIFIED, **NOT_FOUND, **ERRORS})
    def get(self, request, code: str):
        params = self.params(filters.AreaDetailQuery)
        area = _area_or_error(code, _vintage(params))
        query = f"?indeling={area.vintage}"
        data = {
            "gebied": area.code,
            "naam": area.name,
            "niveau": area.level,
            "indeling": area.vintage,
            "postcode": area.postcode or None,
            "ouders": [{"gebied": a.code, "naam": a.name, "niveau": a.level} for a in geography.ancestors(area)],
            "aantal_onderliggend": selectors.child_counts(area),
            "heeft_grens": area.has_boundary,
            "links": {
                "self": reverse("api:area-detail", args=[area.code]) + query,
                "grens": reverse("api:area-boundary", args=[area.code]) + query,
                "onderliggend": reverse("api:area-list") + f"{query}&binnen={area.code}",
            },
        }
        return _conditional(request, data)


class AreaBoundaryView(PublicView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(tags=["gebieden"], operation_id="gebieden_grens", parameters=[CODE_PARAMETER, filters.AreaDetailQuery],
                   responses={(200, "application/geo+json"): out.FeatureSerializer, **NOT_MODIFIED, **NOT_FOUND,
                              **ERRORS},
                   description="The area's boundary as a GeoJSON Feature (EPSG:4326, simplified, 6 decimals).")
    def get(self, request, code: str):
        params = self.params(filters.AreaDetailQuery)
        area = _area_or_error(code, _vintage(params))
        feature = boundaries.area_feature(area)
        if feature is None:
            raise NotFound(_("%(code)s has no boundary in the indeling %(vintage)s.")
                           % {"code": area.code, "vintage": area.vintage})
        return _geojson(request, feature)


def _geojson(request, data) -> HttpResponse:
    response = _conditional(request, data)
    if response.status_code == 200 and request.accepted_renderer.format == "geojson":
        response["Content-Type"] = "application/geo+json"
    return response


class BoundaryListView(PublicView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(tags=["gebieden"], operation_id="grenzen_list", parameters=[filters.BoundaryFilter],
                   responses={(200, "application/geo+json"): out.FeatureCollectionSerializer, **NOT_MODIFIED, **ERRORS},
                   description="The boundaries of the areas of a level inside a parent, as a GeoJSON FeatureCollection.")
    def get(self, request):
        params = self.params(filters.BoundaryFilter)
        collection = boundaries.feature_collection(vintage=_vintage(params), level=params["niveau"],
                                                   scope=params["binnen"])
        return _geojson(request, collection)

