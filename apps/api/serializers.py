"""What the workspace endpoints read and accept. Field names are Dutch, like the portal's
URLs; values of choices (``private``, ``approach`` ...) are the stored ones.

Writes call apps.workspaces.services from ``create``/``update`` (the services check roles);
these classes only check the shape of the input, so a bad code, year or slug is a 400 that
names the field.
"""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from apps.geography.levels import level_of_code
from apps.indicators import registry
from apps.organisations import selectors as organisations
from apps.workspaces import markdown, services
from apps.workspaces.models import KnowledgeComment, KnowledgeItem, Note, SavedComparison, Visibility

# Figures start in the 2000s; a note may be about next year's plans.
FIRST_YEAR = 2000


def last_year() -> int:
    return date.today().year + 1


# ---------------------------------------------------------------- single values


def clean_area_code(value: str) -> str:
    code = value.strip().upper()
    if level_of_code(code) is None:
        raise serializers.ValidationError(
            _("%(code)s is not a CBS area code (e.g. GM0363, WK036300, BU03630000).") % {"code": value}
        )
    return code


def clean_indicator(slug: str) -> str:
    if registry.find(slug) is None:
        raise serializers.ValidationError(_("Unknown indicator %(slug)s.") % {"slug": slug})
    return slug


def clean_year(year: int) -> int:
    if not FIRST_YEAR <= year <= last_year():
        raise serializers.ValidationError(
            _("%(year)s is not a year with figures (%(first)s to %(last)s).")
            % {"year": year, "first": FIRST_YEAR, "last": last_year()}
        )
    return year


def clean_theme(theme: str) -> str:
    if theme not in registry.themes():
        raise serializers.ValidationError(
            _("Unknown theme %(theme)s; themes are %(themes)s.")
            % {"theme": theme, "themes": ", ".join(registry.themes())}
        )
    return theme


def author_name(user) -> str:
    if user is None:
        return _("former user")
    return user.get_full_name() or user.username


class MemberOrganisationField(serializers.SlugRelatedField):
    """An organisation by its slug, out of the caller's own organisations only. Another
    organisation's slug gets the same answer as a slug that does not exist, so the field tells
    nothing about organisations the caller does not belong to."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("{value} is not one of your organisations."),
        "invalid": gettext_lazy("Give the organisation by its short name (slug)."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return organisations.organisations_of(self.context["request"].user)


def default_organisation(user):
    """The organisation a new item is for when the caller names none: their only one."""
    own = list(organisations.organisations_of(user)[:2])
    if not own:
        raise PermissionDenied(_("You are not a member of any organisation."))
    if len(own) > 1:
        raise serializers.ValidationError(
            {"organisatie": [_("You belong to more than one organisation: say which one this is for.")]}
        )
    return own[0]


class ItemSerializer(serializers.ModelSerializer):
    """What every workspace item shows: whose it is and who wrote it."""

    organisatie = MemberOrganisationField(source="organisation", required=False)
    organisatie_naam = serializers.CharField(source="organisation.name", read_only=True)
    auteur = serializers.SerializerMethodField()
    is_auteur = serializers.SerializerMethodField()

    def get_auteur(self, obj) -> str:
        return author_name(obj.author)

    def get_is_auteur(self, obj) -> bool:
        return obj.author_id is not None and obj.author_id == self.context["request"].user.pk

    @property
    def user(self):
        return self.context["request"].user

    def validate(self, attrs):
        if self.instance is None and "organisation" not in attrs:
            attrs["organisation"] = default_organisation(self.user)
        elif self.instance is not None and attrs.get("organisation", self.instance.organisation) != (
            self.instance.organisation
        ):
            raise serializers.ValidationError({"organisatie": [_("An item stays with its organisation.")]})
        return attrs


# ---------------------------------------------------------------- organisations


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    soort = serializers.CharField(source="kind", read_only=True)
    gebied = serializers.CharField(source="area_code", read_only=True, help_text="CBS code of the gemeente, or empty")
    rol = serializers.CharField(source="role", read_only=True, help_text="member, editor or admin")


# ---------------------------------------------------------------- notes


class NoteFilterSerializer(serializers.Serializer):
    """Query parameters of the note list. An empty one (``?gebied=``) filters nothing, as one
    left out (so the schema allows it: allow_blank)."""

    gebied = serializers.CharField(required=False, allow_blank=True, max_length=20)
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=60)
    jaar = serializers.IntegerField(required=False)

    def validate_gebied(self, value):
        return clean_area_code(value) if value else value

    def validate_indicator(self, value):
        return clean_indicator(value) if value else value

    def validate_jaar(self, value):
        return clean_year(value)


class NoteSerializer(ItemSerializer):
    gebied = serializers.CharField(source="area_code", max_length=20)
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    jaar = serializers.IntegerField(source="year", required=False, allow_null=True, default=None)
    zichtbaarheid = serializers.ChoiceField(source="visibility", choices=Visibility.choices,
                                            default=Visibility.ORGANISATION)
    tekst = serializers.CharField(source="body", max_length=20_000, trim_whitespace=False)
    tekst_html = serializers.SerializerMethodField()
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Note
        fields = ["id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "gebied", "indicator", "jaar",
                  "zichtbaarheid", "tekst", "tekst_html", "aangemaakt", "gewijzigd"]

    def get_tekst_html(self, obj) -> str:
        return markdown.render(obj.body)

    def validate_gebied(self, value):
        return clean_area_code(value)

    def validate_indicator(self, value):
        return clean_indicator(value) if value else ""

    def validate_jaar(self, value):
        return None if value is None else clean_year(value)

    def create(self, validated):
        return services.write_note(
            user=self.user, organisation=validated["organisation"], area_code=validated["area_code"],
            body=validated["body"], indicator=validated.get("indicator", ""), year=validated.get("year"),
            visibility=validated.get("visibility", Visibility.ORGANISATION),
        )

    def update(self, note, validated):
        # A partial update keeps what it does not name.
        return services.edit_note(
            user=self.user, note=note, area_code=validated.get("area_code", note.area_code),
            body=validated.get("body", note.body), indicator=validated.get("indicator", note.indicator),
            year=validated.get("year", note.year), visibility=validated.get("visibility", note.visibility),
        )


# ---------------------------------------------------------------- saved comparisons


class PublishedCellSerializer(serializers.Serializer):
    """A published value: ``waarde`` is empty when the cell is withheld (``status`` says why)."""

    waarde = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class ComparisonValueSerializer(serializers.Serializer):
    """A cell of a reopened comparison on the current release."""

    indicator = serializers.CharField()
    gebied = serializers.CharField()
    jaar = serializers.IntegerField()
    waarde = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class ComparisonChangeSerializer(serializers.Serializer):
    """One cell that differs between the release a comparison was saved on and the current one;
    ``voor`` or ``na`` is empty when the cell did not exist then or does not now."""

    indicator = serializers.CharField()
    gebied = serializers.CharField()
    jaar = serializers.IntegerField()
    voor = PublishedCellSerializer(allow_null=True)
    na = PublishedCellSerializer(allow_null=True)


# A comparison is private or the organisation's; it is not shared with other gemeenten.
COMPARISON_VISIBILITY_CHOICES = [(Visibility.PRIVATE.value, Visibility.PRIVATE.label),
                                 (Visibility.ORGANISATION.value, Visibility.ORGANISATION.label)]


# "Comparison" in the schema is the open data's comparison of a value; these are saved ones.
@extend_schema_serializer(component_name="SavedComparison")
class ComparisonSerializer(ItemSerializer):
    titel = serializers.CharField(source="title", max_length=200, required=False, allow_blank=True, default="")
    gebieden = serializers.ListField(source="area_codes", child=serializers.CharField(max_length=20),
                                     min_length=1, max_length=services.MAX_COMPARED_AREAS)
    indicatoren = serializers.ListField(source="indicators", child=serializers.CharField(max_length=60), min_length=1,
                                        max_length=40)
    jaren = serializers.ListField(source="years", child=serializers.IntegerField(), min_length=1, max_length=30)
    zichtbaarheid = serializers.ChoiceField(source="visibility", default=Visibility.ORGANISATION,
                                            choices=COMPARISON_VISIBILITY_CHOICES)
    opgeslagen_op_release = serializers.IntegerField(source="release_number", read_only=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = SavedComparison
        fields = ["id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "titel", "gebieden", "indicatoren",
                  "jaren", "zichtbaarheid", "opgeslagen_op_release", "aangemaakt"]

    def validate_gebieden(self, value):
        return list(dict.fromkeys(clean_area_code(code) for code in value))

    def validate_indicatoren(self, value):
        return list(dict.fromkeys(clean_indicator(slug) for slug in value))

    def validate_jaren(self, value):
        return sorted({clean_year(year) for year in value})

    def validate(self, attrs):
        attrs = super().validate(attrs)
        published = self.context["published_years"]  # {indicator: [years]} of the current release
        available = {year for slug in attrs["indicators"] for year in published.get(slug, [])}
        missing = [year for year in attrs["years"] if year not in available]
        if missing:
            raise serializers.ValidationError({"jaren": [
                _("The current release has no figures of these indicators for %(years)s; it has %(available)s.")
                % {"years": ", ".join(map(str, missing)),
                   "available": ", ".join(map(str, sorted(available))) or _("none")}
            ]})
        return attrs

    def create(self, validated):
        return services.save_comparison(
            user=self.user, organisation=validated["organisation"], title=validated.get("title", ""),
            area_codes=validated["area_codes"], indicators=validated["indicators"], years=validated["years"],
            release=self.context["release"], visibility=validated.get("visibility", Visibility.ORGANISATION),
        )


@extend_schema_serializer(component_name="SavedComparisonDetail")
class ComparisonDetailSerializer(ComparisonSerializer):
    """A saved comparison reopened on the current release: its values now, and what changed
    since it was saved (set by the view as ``reopened``)."""

    huidige_release = serializers.IntegerField(source="reopened.release_number", read_only=True, allow_null=True)
    waarden = ComparisonValueSerializer(source="reopened.values", many=True, read_only=True)
    wijzigingen = ComparisonChangeSerializer(source="reopened.changes", many=True, read_only=True)

    class Meta(ComparisonSerializer.Meta):
        fields = ComparisonSerializer.Meta.fields + ["huidige_release", "waarden", "wijzigingen"]


# ---------------------------------------------------------------- knowledge


class KnowledgeFilterSerializer(serializers.Serializer):
    """Query parameters of the knowledge list. An empty one (``?thema=``) filters nothing, as
    one left out (so the schema allows it: allow_blank)."""

    thema = serializers.CharField(required=False, allow_blank=True, max_length=40)
    soort = serializers.ChoiceField(required=False, allow_blank=True, choices=KnowledgeItem.Kind.choices)

    def validate_thema(self, value):
        return clean_theme(value) if value else value


class CommentSerializer(ItemSerializer):
    tekst = serializers.CharField(source="body", max_length=5_000, trim_whitespace=False)
    tekst_html = serializers.SerializerMethodField()
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = KnowledgeComment
        fields = ["id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "tekst", "tekst_html", "aangemaakt"]

    def get_tekst_html(self, obj) -> str:
        return markdown.render(obj.body)

    def create(self, validated):
        return services.comment(user=self.user, organisation=validated["organisation"], item=self.context["item"],
                                body=validated["body"])


class KnowledgeSerializer(ItemSerializer):
    soort = serializers.ChoiceField(source="kind", choices=KnowledgeItem.Kind.choices)
    titel = serializers.CharField(source="title", max_length=200)
    tekst = serializers.CharField(source="body", max_length=20_000, trim_whitespace=False)
    tekst_html = serializers.SerializerMethodField()
    themas = serializers.ListField(source="themes", child=serializers.CharField(max_length=40), required=False,
                                   default=list, max_length=10)
    zichtbaarheid = serializers.ChoiceField(source="visibility", choices=Visibility.choices, default=Visibility.SHARED)
    aantal_reacties = serializers.SerializerMethodField()
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = KnowledgeItem
        fields = ["id", "organisatie", "organisatie_naam", "auteur", "is_auteur", "soort", "titel", "tekst",
                  "tekst_html", "themas", "zichtbaarheid", "aantal_reacties", "aangemaakt"]

    def get_tekst_html(self, obj) -> str:
        return markdown.render(obj.body)

    def get_aantal_reacties(self, obj) -> int:
        count = getattr(obj, "comment_count", None)
        return obj.comments.count() if count is None else count

    def validate_themas(self, value):
        return list(dict.fromkeys(clean_theme(theme) for theme in value))

    def create(self, validated):
        return services.share_knowledge(
            user=self.user, organisation=validated["organisation"], kind=validated["kind"], title=validated["title"],
            body=validated["body"], themes=validated.get("themes", []),
            visibility=validated.get("visibility", Visibility.SHARED),
        )


class KnowledgeDetailSerializer(KnowledgeSerializer):
    reacties = CommentSerializer(source="comment_list", many=True, read_only=True)

    class Meta(KnowledgeSerializer.Meta):
        fields = KnowledgeSerializer.Meta.fields + ["reacties"]


# ---------------------------------------------------------------- API keys


class ApiKeySerializer(serializers.Serializer):
    sleutel = serializers.CharField(source="key", read_only=True,
                                    help_text="Send as the header 'Authorization: Token <sleutel>'.")
    aangemaakt = serializers.DateTimeField(source="created", read_only=True)


class ApiKeyStateSerializer(serializers.Serializer):
    """Whether the caller has a key, never the key itself."""

    heeft_sleutel = serializers.BooleanField(read_only=True)
    aangemaakt = serializers.DateTimeField(read_only=True, allow_null=True)


# ---------------------------------------------------------------- own data layers


@extend_schema_field(OpenApiTypes.STR)
class OrganisationSlugField(serializers.SlugRelatedField):
    """An organisation shown by its slug (a string in the schema: this serializer has no model
    to derive the type from)."""


class LayerSerializer(serializers.Serializer):
    """An organisation's own data layer (confirmed). Never part of a public release."""

    id = serializers.IntegerField(read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    beschrijving = serializers.CharField(source="description", read_only=True)
    eenheid = serializers.CharField(source="unit", read_only=True)
    bron = serializers.CharField(source="source", read_only=True)
    niveau = serializers.CharField(source="level", read_only=True, help_text="buurt or wijk")
    indeling = serializers.IntegerField(source="vintage", read_only=True)
    jaren = serializers.ListField(source="years", child=serializers.IntegerField(), read_only=True)
    organisatie = OrganisationSlugField(source="organisation", slug_field="slug", read_only=True)
    zichtbaarheid = serializers.CharField(source="visibility", read_only=True)
    bevestigd_op = serializers.DateTimeField(source="confirmed_at", read_only=True)


class LayerValuesFilterSerializer(serializers.Serializer):
    """Query parameters of a layer's values: one year, or all years when left out."""

    jaar = serializers.IntegerField(required=False, min_value=1900, max_value=2100)


class LayerValueSerializer(serializers.Serializer):
    gebied = serializers.CharField(source="area_code", read_only=True)
    jaar = serializers.IntegerField(source="year", read_only=True)
    waarde = serializers.FloatField(source="value", read_only=True)
