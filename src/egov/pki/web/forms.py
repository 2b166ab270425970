"""The upload form of the public signature check."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignatureCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF document"),
        help_text=_("The file is checked and then discarded; it is not stored."),
        error_messages={"required": _("Choose a PDF file to check.")},
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "application/pdf,.pdf"}
        ),
    )
