"""The workspace endpoints, /api/v1/werkruimte/.

Thin on purpose: reads go through apps.workspaces.selectors (which decide who reads what; an
item the caller may not read is a 404 like one that does not exist) and writes through
apps.workspaces.services (which check roles: a reader without the right role gets 403).
Every answer is personal, so none may be kept by a shared cache.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import services as accounts
from apps.accounts import selectors as account_selectors
from apps.accounts.selectors import needs_two_factor
from apps.dashboards.selectors import indicator_years
from apps.datalayers import selectors as datalayers
from apps.organisations import selectors as organisations
from apps.releases.cache import current_release
from apps.workspaces import selectors, services

from . import serializers


# The error shape of apps.api.errors, as the schema's component (see apps.api.schema).
ERROR_RESPONSE = {"$ref": "#/components/schemas/Fout"}


class NoRelease(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Nothing has been published yet, so there is nothing to compare.")
    default_code = "no_release"


class PrivateResponses:
    """Personal data: no shared cache keeps it, and a cache that keys on the request must keep
    callers apart by their credentials."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


class AuthorMayChange(permissions.BasePermission):
    """Only the author changes or removes an item (the services say so too); a reader who is
    not the author hears 403 before any input is looked at."""

    message = _("Only the author can change or remove this.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or (
            obj.author_id is not None and obj.author_id == request.user.pk
        )


def _object_id(value) -> int:
    # Ids are numbers; anything else is an item that does not exist (404, as JSON).
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class WorkspaceViewSet(PrivateResponses, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, AuthorMayChange]
    # Any id reaches the view (the router's default leaves out dots), so "1.5" is the API's JSON
    # 404 like every other id that names nothing, not the portal's HTML page.
    lookup_value_regex = r"[^/]+"
    # The selector that finds one item the caller may read, by id (None → 404).
    find_one = None

    def get_object(self):
        found = type(self).find_one(self.request.user, _object_id(self.kwargs["pk"]))
        if found is None:
            raise Http404
        self.check_object_permissions(self.request, found)
        return found

    def filters(self, serializer_class) -> dict:
        """The query parameters, checked: a bad one is a 400 that names it."""
        checked = serializer_class(data=self.request.query_params)
        checked.is_valid(raise_exception=True)
        return checked.validated_data


class OrganisationViewSet(PrivateResponses, viewsets.ReadOnlyModelViewSet):
    """The caller's organisations, each with the caller's role in it. Another organisation's
    slug is a 404."""

    serializer_class = serializers.OrganisationSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"  # any slug reaches the view: one that names nothing is a JSON 404

    def get_queryset(self):
        user = self.request.user
        # organisations_of joins the caller's memberships; the role comes from that same row.
        return organisations.organisations_of(user).annotate(role=F("memberships__role"))

    def get_object(self):
        found = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if found is None:
            raise Http404
        return found


@extend_schema_view(list=extend_schema(parameters=[serializers.NoteFilterSerializer]))
class NoteViewSet(WorkspaceViewSet, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                  mixins.UpdateModelMixin, mixins.DestroyModelMixin):
    """Notes on an area, optionally an indicator and a year. List filters: ``gebied`` (CBS
    code), ``indicator`` (slug), ``jaar``. The author alone changes (PUT/PATCH) or deletes."""

    serializer_class = serializers.NoteSerializer
    find_one = staticmethod(selectors.note)

    def get_queryset(self):
        wanted = self.filters(serializers.NoteFilterSerializer)
        found = selectors.notes(self.request.user, area_code=wanted.get("gebied", ""),
                                indicator=wanted.get("indicator", ""))
        if "jaar" in wanted:
            found = found.filter(year=wanted["jaar"])
        return found.order_by("-created_at", "-pk")  # newest first; the id keeps pages stable

    def perform_destroy(self, note):
        services.delete_note(user=self.request.user, note=note)


@dataclass
class Reopened:
    """A saved comparison on the current release: its values there and what changed."""

    release_number: int | None
    values: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)


def _cell(pair):
    return None if pair is None else {"waarde": pair[0], "status": pair[1]}


def reopen(comparison, release) -> Reopened:
    if release is None:
        return Reopened(release_number=None)
    current = services.snapshot(release, area_codes=comparison.area_codes, indicators=comparison.indicators,
                                years=comparison.years)
    values = []
    for key, (value, cell_status) in sorted(current.items()):
        indicator, area, year = key.split("|")
        values.append({"indicator": indicator, "gebied": area, "jaar": int(year), "waarde": value,
                       "status": cell_status})
    changes = [
        {"indicator": c["indicator"], "gebied": c["area_code"], "jaar": c["year"], "voor": _cell(c["before"]),
         "na": _cell(c["after"])}
        for c in selectors.changes_since_saved(comparison, current)
    ]
    return Reopened(release_number=release.number, values=values, changes=changes)


@extend_schema_view(create=extend_schema(responses={
    201: serializers.ComparisonSerializer,
    409: OpenApiResponse(response=ERROR_RESPONSE, description=NoRelease.default_detail),
}))
class ComparisonViewSet(WorkspaceViewSet, mixins.ListModelMixin, mixins.CreateModelMixin,
                        mixins.RetrieveModelMixin, mixins.DestroyModelMixin):
    """Saved comparisons (areas × indicators × years). Created on the current release; opened,
    they show their values on the current release and ``wijzigingen``: what changed since they
    were saved. The author alone deletes."""

    find_one = staticmethod(selectors.comparison)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ComparisonDetailSerializer
        return serializers.ComparisonSerializer

    def get_queryset(self):
        return selectors.comparisons(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "create":
            release = current_release()
            if release is None:
                raise NoRelease
            context["release"] = release
            context["published_years"] = indicator_years(release)
        return context

    def retrieve(self, request, *args, **kwargs):
        comparison = self.get_object()
        comparison.reopened = reopen(comparison, current_release())
        return Response(self.get_serializer(comparison).data)

    def perform_destroy(self, comparison):
        services.delete_comparison(user=self.request.user, comparison=comparison)


@extend_schema_view(list=extend_schema(parameters=[serializers.KnowledgeFilterSerializer]))
class KnowledgeViewSet(WorkspaceViewSet, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                       mixins.DestroyModelMixin):
    """Knowledge shared between gemeenten: approaches, lessons, contacts. List filters:
    ``thema``, ``soort``. Editors share; the author alone deletes. ``reacties/`` lists the
    comments on an item and takes new ones from any member who may read it."""

    find_one = staticmethod(selectors.knowledge_item)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.KnowledgeDetailSerializer
        if self.action == "comments":
            return serializers.CommentSerializer
        return serializers.KnowledgeSerializer

    def get_queryset(self):
        wanted = self.filters(serializers.KnowledgeFilterSerializer)
        found = selectors.knowledge(self.request.user, theme=wanted.get("thema", ""))
        if wanted.get("soort"):
            found = found.filter(kind=wanted["soort"])
        # Counting groups the rows, which drops the model's default order: give it again.
        return found.annotate(comment_count=Count("comments")).order_by("-created_at", "-pk")

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        item.comment_list = list(selectors.comments_of(item))
        return Response(self.get_serializer(item).data)

    def perform_destroy(self, item):
        services.delete_knowledge(user=self.request.user, item=item)

    @extend_schema(methods=["GET"], responses=serializers.CommentSerializer(many=True),
                   description="The comments on an item, oldest first.")
    @extend_schema(methods=["POST"], request=serializers.CommentSerializer,
                   responses={201: serializers.CommentSerializer}, description="Comment on an item.")
    @action(detail=True, methods=["get", "post"], url_path="reacties", url_name="comments",
            permission_classes=[permissions.IsAuthenticated])
    def comments(self, request, pk=None):
        item = self.get_object()
        if request.method == "POST":
            serializer = self.get_serializer(data=request.data, context={**self.get_serializer_context(), "item": item})
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.comments_of(item).order_by("created_at", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class LayerViewSet(WorkspaceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The confirmed own data layers the caller may read: their organisations' and those other
    gemeenten shared on purpose. ``waarden/`` gives the values (``?jaar=`` one year)."""

    serializer_class = serializers.LayerSerializer
    find_one = staticmethod(lambda user, pk: datalayers.active_layers(user).filter(pk=pk).first())

    def get_queryset(self):
        return datalayers.active_layers(self.request.user).order_by("-confirmed_at", "-pk")

    @extend_schema(parameters=[serializers.LayerValuesFilterSerializer],
                   responses=serializers.LayerValueSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="waarden", url_name="values")
    def values(self, request, pk=None):
        layer = self.get_object()
        wanted = self.filters(serializers.LayerValuesFilterSerializer)
        rows = datalayers.value_rows(layer)
        if "jaar" in wanted:
            rows = rows.filter(year=wanted["jaar"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializers.LayerValueSerializer(page, many=True).data)


class VerifiedSession(permissions.BasePermission):
    """A key is handed out only to a session that passed the two-factor rule: a user who must
    use two factors must have verified one in this session."""

    message = _("Log in with your second factor before you ask for an API key.")

    def has_permission(self, request, view):
        user = request.user
        if not needs_two_factor(user):
            return True
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())


class ApiKeyView(PrivateResponses, APIView):
    """Your personal API key (``sleutel``), for scripts that call the workspace endpoints with
    the header ``Authorization: Token <sleutel>``.

    - ``GET`` says whether you have a key and since when (never the key itself).
    - ``POST`` makes a new key, replacing any earlier one, and returns it once: keep it; it
      cannot be shown again. Answer 201 ``{"sleutel": ..., "aangemaakt": ...}``.
    - ``DELETE`` revokes your key (204).

    Only a logged-in browser session may do this (with its CSRF token), never a key: a key
    cannot make keys. A user who must use two factors (organisation admins, data stewards,
    administrators) needs a session in which the second factor was verified. That is the
    protection: the two-factor middleware sees session logins only, so the key is issued only
    where the second factor was checked. A key acts with the rights of its user, as they are at
    the time of each call.
    """

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, VerifiedSession]

    @extend_schema(responses=serializers.ApiKeyStateSerializer)
    def get(self, request):
        stored = account_selectors.api_key_of(request.user)
        state = {"heeft_sleutel": stored is not None, "aangemaakt": stored.created_at if stored else None}
        return Response(serializers.ApiKeyStateSerializer(state).data)

    @extend_schema(request=None, responses={201: serializers.ApiKeySerializer})
    def post(self, request):
        issued = accounts.issue_api_key(request.user)
        return Response(serializers.ApiKeySerializer(issued).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        accounts.revoke_api_key(request.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
