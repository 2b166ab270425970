"""Forms of the notification pages and of the template admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, DeliveryStatus, Language, MessageTemplate


class DeliveryFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Message channel"), required=False, choices=[("", _("All"))] + Channel.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + DeliveryStatus.choices
    )
    code = forms.CharField(label=_("Dossier code"), required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Send me e-mails about my dossiers"), required=False)
    sms = forms.BooleanField(label=_("Send me SMS about my dossiers"), required=False)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["class"] = "form-check-input"
        self.fields["sms"].widget.attrs["class"] = "form-check-input"
        self.fields["language"].widget.attrs["class"] = "form-select"


class MessageTemplateForm(forms.ModelForm):
    """The admin's form: a template that does not compile is refused with Django's message."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "language", "subject", "body", "active"]
        widgets = {
            "event": forms.Select(choices=[]),
            "body": forms.Textarea(attrs={"rows": 14, "cols": 100}),
        }

    def __init__(self, *args, **kwargs):
        from .events import EVENT_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["event"].widget.choices = EVENT_CHOICES

    def clean(self):
        from django.core.exceptions import ValidationError

        from .services import check_template

        cleaned = super().clean()
        try:
            check_template(cleaned.get("subject", ""), cleaned.get("body", ""))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        if cleaned.get("channel") != Channel.SMS and not (cleaned.get("subject") or "").strip():
            self.add_error("subject", _("E-mail and portal messages need a subject."))
        return cleaned
