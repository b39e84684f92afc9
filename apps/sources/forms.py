from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import all_kinds


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def kind_choices():
    return [("", _("Detect from the file"))] + [(kind.slug, f"{kind.label} ({kind.slug})") for kind in all_kinds()]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"), help_text=_("One or more files of the same kind: CSV (, or ;), XLSX, GeoJSON, TopoJSON or GeoPackage."))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=kind_choices)
    vintage = forms.IntegerField(label=_("Indeling year of the area codes"), required=False, min_value=2000, max_value=2100,
                                 help_text=_("Leave empty: the year of the file, or the newest indeling."))
    year = forms.IntegerField(label=_("Reference year (peiljaar)"), required=False, min_value=1990, max_value=2100,
                              help_text=_("Only when the file does not say it (no year column, no year in its name)."))
