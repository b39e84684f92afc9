"""The workspace's forms. They check the shape of what is typed; the rules (who may write, which
codes and indicators exist) stay in services.py, whose ValidationErrors the views put back on the
fields here (``apply_errors``)."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.forms import AccessibleForm, apply_errors  # noqa: F401 (views call forms.apply_errors)
from apps.dashboards import pages, themes
from apps.indicators import registry
from apps.organisations.models import Organisation

from .models import KnowledgeItem, Visibility

VISIBILITY_HELP = {
    Visibility.PRIVATE: _("Only you can read it."),
    Visibility.ORGANISATION: _("Every member of the organisation can read it."),
    Visibility.SHARED: _("Members of every organisation in Zicht can read it, also other gemeenten."),
}
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with -, links as [text](https://…). HTML is shown as text.")


def visibility_choices(allowed) -> list[tuple[str, str]]:
    # Lazy: the choices are built once, at import, and shown in each visitor's language.
    return [(value.value, format_lazy("{} — {}", value.label, VISIBILITY_HELP[value])) for value in allowed]


def indicator_choices(*, blank: str | None = None) -> list:
    """Indicators grouped by theme, in the order of the public pages."""
    choices: list = [("", blank)] if blank is not None else []
    for theme in themes.public_themes():
        choices.append((themes.label(theme), [(d.slug, pages.name(d)) for d in registry.of_theme(theme)]))
    return choices


def theme_choices(*, blank: str | None = None) -> list:
    choices: list = [("", blank)] if blank is not None else []
    return choices + [(theme, themes.label(theme)) for theme in themes.public_themes()]


class OrganisationChoice(AccessibleForm):
    """Adds an organisation field when the writer belongs to several (else it is implied)."""

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        if len(self.organisations) > 1:
            self.fields = {"organisation": forms.ModelChoiceField(
                label=_("For organisation"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in self.organisations]).order_by("name"),
                empty_label=None,
            ), **self.fields}
            self.describe_fields()

    def chosen_organisation(self):
        if len(self.organisations) > 1:
            return self.cleaned_data["organisation"]
        return self.organisations[0]


class NoteForm(OrganisationChoice):
    area_code = forms.CharField(
        label=_("Area (CBS code)"), max_length=10,
        help_text=_("The code of a gemeente, wijk or buurt, e.g. GM0308, WK030800 or BU03080000."),
    )
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000,
                           help_text=MARKDOWN_HELP)
    visibility = forms.ChoiceField(label=_("Visible to"), widget=forms.RadioSelect,
                                   choices=visibility_choices(Visibility), initial=Visibility.ORGANISATION)
    terug = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(blank=str(_("— no particular indicator —")))

    def clean_area_code(self):
        return self.cleaned_data["area_code"].strip().upper()


class NoteFilterForm(AccessibleForm):
    SCOPES = [("", _("everything I may read")), ("mine", _("written by me")),
              ("organisation", _("from my organisation")), ("shared", _("shared with all organisations"))]
    gebied = forms.CharField(label=_("Area (CBS code)"), max_length=10, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    van = forms.ChoiceField(label=_("Show"), choices=SCOPES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(blank=str(_("all indicators")))

    def clean_gebied(self):
        return self.cleaned_data["gebied"].strip().upper()


class ComparisonForm(OrganisationChoice):
    title = forms.CharField(label=_("Title"), max_length=200)
    area_codes = forms.MultipleChoiceField(label=_("Areas"), widget=forms.CheckboxSelectMultiple)
    indicators = forms.MultipleChoiceField(label=_("Indicators"), widget=forms.CheckboxSelectMultiple)
    years = forms.TypedMultipleChoiceField(label=_("Years"), coerce=int, widget=forms.CheckboxSelectMultiple)
    visibility = forms.ChoiceField(
        label=_("Visible to"), widget=forms.RadioSelect, initial=Visibility.ORGANISATION,
        choices=visibility_choices([Visibility.PRIVATE, Visibility.ORGANISATION]),
        help_text=_("A saved comparison stays inside your organisation."),
    )

    def __init__(self, *args, areas: list[tuple[str, str]], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_codes"].choices = areas
        self.fields["indicators"].choices = indicator_choices()
        self.fields["years"].choices = [(year, str(year)) for year in years]


class KnowledgeForm(OrganisationChoice):
    kind = forms.ChoiceField(label=_("Kind"), widget=forms.RadioSelect, choices=KnowledgeItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000,
                           help_text=MARKDOWN_HELP)
    themes = forms.MultipleChoiceField(label=_("Themes"), widget=forms.CheckboxSelectMultiple, required=False)
    visibility = forms.ChoiceField(label=_("Visible to"), widget=forms.RadioSelect,
                                   choices=visibility_choices(Visibility), initial=Visibility.SHARED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()


class KnowledgeFilterForm(AccessibleForm):
    thema = forms.ChoiceField(label=_("Theme"), required=False)
    soort = forms.ChoiceField(label=_("Kind"), required=False,
                              choices=[("", _("all kinds"))] + list(KnowledgeItem.Kind.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = theme_choices(blank=str(_("all themes")))


class CommentForm(OrganisationChoice):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5_000,
                           help_text=MARKDOWN_HELP)
