"""What every form of the workspace shares: help texts and errors tied to their input, as WCAG
asks, and a service's ValidationError put back on the fields. The rules themselves stay in the
apps' services.py; templates render the fields with templates/forms/field.html, whose ids match
``help_id`` and ``error_id`` here."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def help_id(bound_field) -> str:
    return f"{bound_field.auto_id}_helptext"


def error_id(bound_field) -> str:
    return f"{bound_field.auto_id}_error"


class AccessibleForm(forms.Form):
    """Each input names its help text and its errors (aria-describedby) and says it is wrong
    (aria-invalid), so a screen reader reads them with the field. Django does part of this itself
    but leaves out radio and check box groups; setting it on the widget covers every field and
    stays right after ``add_error`` and ``full_clean``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    def add_error(self, field, error):
        super().add_error(field, error)
        self.describe_fields()

    def describe_fields(self) -> None:
        """Call again after changing ``self.fields`` (a subclass adding a field)."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs.pop("aria-describedby", None)
            attrs.pop("aria-invalid", None)
            if field.widget.is_hidden:
                continue
            bound_field = self[name]
            ids = []
            if field.help_text:
                ids.append(help_id(bound_field))
            if name in errors:
                ids.append(error_id(bound_field))
                attrs["aria-invalid"] = "true"
            if ids:
                attrs["aria-describedby"] = " ".join(ids)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields; what belongs to no field of the form
    goes above it (the error summary shows both)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
