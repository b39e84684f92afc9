"""The upload form and the statement that comes with sharing. AccessibleForm ties each field's help
text and errors to its input (aria-describedby, aria-invalid)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import AccessibleForm
from apps.organisations.models import Organisation

from .models import LAYER_LEVELS


class UploadForm(AccessibleForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None,
        help_text=_("The gemeente whose buurten or wijken the figures are about."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was counted, and how. Colleagues read this beside the map."),
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60,
                           help_text=_("For example: closures, inspections, per 1,000 inhabitants."))
    source = forms.CharField(label=_("Source"), required=False, max_length=300,
                             help_text=_("Where the figures come from, for example the gemeente's own registration."))
    level = forms.ChoiceField(label=_("Level"), choices=LAYER_LEVELS, widget=forms.RadioSelect,
                              help_text=_("Every code in the file must be of this level."))
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           help_text=_("Columns gebiedscode, jaar and waarde; see the example below."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()
        if organisations is not None and len(organisations) == 1:
            # One organisation: the page shows its name and sends it along hidden.
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"


class ShareForm(AccessibleForm):
    figures_may_be_shared = forms.BooleanField(
        label=_("These figures may be shared with all member organisations, and they contain nothing that "
                "identifies a person, an address or a company."),
        required=True,
    )


class DeleteForm(AccessibleForm):
    confirm = forms.BooleanField(label=_("Yes, delete this layer and all its values."), required=True)
