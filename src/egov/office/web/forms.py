"""Forms of the office pages (Bootstrap classes set here so templates stay plain)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.models import Agency, User

from .. import access
from ..models import AuthorityPrefix, DocumentType, OutgoingDocument, Revision, Secrecy, Urgency


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Number, symbol or subject"), required=False)
    sender = forms.CharField(label=_("Sender"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + list(states)
        _bootstrap(self)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "sender": data.get("sender") or "",
            "start": data.get("start"),
            "end": data.get("end"),
            "state": data.get("state") or "",
        }


class DraftForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    drafting_unit = forms.ModelChoiceField(
        label=_("Drafting unit"), queryset=Agency.objects.none(), required=False
    )
    doc_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(active=True)
    )
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=500)
    main = forms.FileField(label=_("Main document (PDF)"))
    appendices = forms.FileField(
        label=_("Appendices"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"multiple": False}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, required=False)
    recipient_agencies = forms.ModelMultipleChoiceField(
        label=_("Recipients in this installation"), queryset=Agency.objects.none(), required=False
    )
    external = forms.CharField(
        label=_("External recipients (one per line: code; name)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    places = forms.CharField(
        label=_("Other lines of the recipients list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer = forms.ModelChoiceField(label=_("Signer"), queryset=User.objects.none())
    authority_prefix = forms.ChoiceField(
        label=_("Signing authority"), choices=AuthorityPrefix.choices, required=False
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200, required=False)
    revision = forms.ChoiceField(
        label=_("Updates or replaces"), choices=Revision.choices, required=False
    )
    revises = forms.ModelChoiceField(
        label=_("Earlier released document"),
        queryset=OutgoingDocument.objects.none(),
        required=False,
        help_text=_("Sent to its recipients as an update or replacement of it."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = access.member_agencies(user)
        self.fields["revises"].queryset = OutgoingDocument.objects.filter(
            access.visible_outgoing_q(user), state=OutgoingDocument.State.RELEASED
        ).order_by("-released_at")
        self.fields["agency"].queryset = mine
        self.fields["drafting_unit"].queryset = Agency.objects.filter(
            parent__in=mine, kind="internal_unit"
        )
        self.fields["recipient_agencies"].queryset = Agency.objects.valid_on().order_by("name")
        self.fields["signer"].queryset = User.objects.filter(
            positions__agency__in=mine, positions__role__in=access.LEADERS
        ).distinct()
        _bootstrap(self)

    def external_recipients(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("external") or "").splitlines():
            code, _sep, name = line.partition(";")
            if code.strip():
                rows.append((code.strip(), name.strip()))
        return rows


class PaperForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=Agency.objects.none())
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    sender_code = forms.CharField(label=_("Sender code"), max_length=13, required=False)
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=80, required=False)
    type_name = forms.CharField(label=_("Document type"), max_length=120, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=_("Subject (trích yếu)"), max_length=500)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, required=False)
    scan = forms.FileField(label=_("Scanned document"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from egov.core.models import Role

        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=access.agency_ids(user, (Role.CLERK,))
        )
        _bootstrap(self)
