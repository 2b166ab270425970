"""Forms of the officer workspace: counter intake, one action on a dossier, the dossier search.

The forms check what a page can check (lengths, choices, file contents); the rules of the
domain (applicant identity, transitions, reasons) are the services' and reach the form as
``ValidationError`` field errors (see ``add_service_errors``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ProcedureVersion

from .. import queries
from ..files import inspect_upload
from ..models import Evaluation, IdType, ReturnMode
from ..workflow import Transition

INTAKE_ACTIONS = ("receive", "request_supplement", "refuse")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several scans of one document in one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the fields it names (else on the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _area(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def _select():
    return forms.Select(attrs={"class": "form-select"})


class IntakeForm(forms.Form):
    """Tiếp nhận tại quầy: applicant, documents received (with scans), the decision."""

    applicant_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, widget=_text(autocomplete="off")
    )
    applicant_id_type = forms.ChoiceField(
        label=_("Identity document"),
        choices=IdType.choices,
        initial=IdType.CITIZEN_ID,
        widget=_select(),
    )
    applicant_id_number = forms.CharField(
        label=_("Identity number"), max_length=20, required=False, widget=_text(autocomplete="off")
    )
    applicant_address = forms.CharField(
        label=_("Address"), max_length=300, required=False, widget=_text()
    )
    applicant_phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=_text(inputmode="tel")
    )
    applicant_email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=_text(inputmode="email")
    )
    request_summary = forms.CharField(
        label=_("Request (optional)"), required=False, widget=_area(2)
    )
    sets = forms.IntegerField(
        label=_("Number of sets"),
        min_value=1,
        max_value=50,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    reason = forms.CharField(
        label=_("Reason (required to request a supplement or to refuse)"),
        required=False,
        widget=_area(),
    )
    items = forms.CharField(
        label=_("Other documents the applicant must add (one per line)"),
        required=False,
        widget=_area(2),
    )
    action = forms.ChoiceField(
        choices=[(a, a) for a in INTAKE_ACTIONS], widget=forms.HiddenInput, initial="receive"
    )

    def __init__(self, version: ProcedureVersion, receiving, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.requirements = list(version.documents.all())
        for requirement in self.requirements:
            self.fields[f"doc_{requirement.pk}"] = forms.BooleanField(
                label=requirement.name,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"file_{requirement.pk}"] = MultipleFileField(
                label=_("Scans of “%(name)s”") % {"name": requirement.name}, required=False
            )
        committees = queries.competent_committees(version)
        if committees.exists():
            own = receiving.organisation() if receiving else None
            self.fields["competent_agency"] = forms.ModelChoiceField(
                label=_("People's Committee that handles the dossier"),
                queryset=committees,
                initial=own.pk if own and committees.filter(pk=own.pk).exists() else None,
                empty_label=_("— choose —"),
                required=False,
                widget=_select(),
            )

    # --- rows for the template ------------------------------------------------------------
    def document_rows(self):
        for requirement in self.requirements:
            yield {
                "requirement": requirement,
                "ticked": self[f"doc_{requirement.pk}"],
                "files": self[f"file_{requirement.pk}"],
            }

    # --- checks ---------------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        for requirement in self.requirements:
            uploads = data.get(f"file_{requirement.pk}") or []
            for upload in uploads:
                try:
                    inspect_upload(upload)
                except ValidationError as error:
                    self.add_error(f"file_{requirement.pk}", error.messages)
            if uploads:  # a scanned document has been received
                data[f"doc_{requirement.pk}"] = True
        # The services check these too; checking first keeps the scans from being stored for
        # a dossier that is then rolled back.
        action = data.get("action")
        if action == "receive":
            missing = [r.name for r in self.unticked_mandatory()]
            if missing:
                raise ValidationError(
                    gettext(
                        "Mandatory documents not received: %(missing)s. Tick them, or request "
                        "a supplement listing them."
                    )
                    % {"missing": "; ".join(missing)}
                )
        elif action in ("request_supplement", "refuse"):
            if not (data.get("reason") or "").strip():
                self.add_error("reason", gettext("A reason is required."))
            if action == "request_supplement" and not self.supplement_items():
                self.add_error("items", gettext("List every document the applicant must add."))
        return data

    def unticked_mandatory(self):
        data = getattr(self, "cleaned_data", {})
        return [r for r in self.requirements if r.mandatory and not data.get(f"doc_{r.pk}")]

    # --- what the services receive --------------------------------------------------------
    def applicant(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in (
                "applicant_name",
                "applicant_id_type",
                "applicant_id_number",
                "applicant_address",
                "applicant_phone",
                "applicant_email",
            )
        }

    def documents(self) -> list[dict]:
        """One entry per document received, one per scan when several were uploaded."""
        documents = []
        for requirement in self.requirements:
            if not self.cleaned_data.get(f"doc_{requirement.pk}"):
                continue
            uploads = self.cleaned_data.get(f"file_{requirement.pk}") or []
            for upload in uploads or [None]:
                documents.append({"requirement": requirement, "file": upload})
        return documents

    def supplement_items(self) -> list[dict]:
        items = [
            {"name": r.name, "kind": r.kind, "count": r.count} for r in self.unticked_mandatory()
        ]
        items += [{"name": line} for line in lines(self.cleaned_data.get("items", ""))]
        return items


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Actions that take an optional note, and the service parameter it feeds.
NOTE_PARAMS = {
    "forward": "note",
    "request_interagency": "note",
    "resume": "note",
    "resubmit": "note",
    "complete_interagency": "answer",
    "approve": "result_note",
}


class ActionForm(forms.Form):
    """One action on a dossier, with the fields its transition asks for."""

    def __init__(self, transition: Transition, dossier, *args, **kwargs):
        kwargs.setdefault("prefix", transition.action)
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.needs_reason:
            self.fields["reason"] = forms.CharField(label=_("Reason"), widget=_area())
        for name in transition.extra:
            self.fields[name] = self._extra_field(name, dossier)
        if transition.action in NOTE_PARAMS:
            self.fields["note"] = forms.CharField(
                label=_("Note (optional)"), required=False, widget=_area(2)
            )
        if transition.action == "approve":  # the electronic result, signed, for the applicant
            self.fields["result_file"] = forms.FileField(
                label=_("Electronic result (signed PDF, optional)"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf"}),
            )

    @staticmethod
    def _extra_field(name: str, dossier) -> forms.Field:
        if name == "assignee":
            staff = queries.agency_staff(dossier.current_agency)
            return forms.ChoiceField(
                label=_("Specialist"),
                choices=[("", _("— choose —"))]
                + [(u.username, f"{u.get_full_name()} ({u.username})") for u in staff],
                widget=_select(),
            )
        if name == "items":
            return forms.CharField(
                label=_("Documents the applicant must add (one per line)"), widget=_area()
            )
        if name == "new_appointment":
            return forms.DateTimeField(
                label=_("New appointment"),
                input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
                widget=forms.DateTimeInput(
                    attrs={"class": "form-control", "type": "datetime-local"},
                    format="%Y-%m-%dT%H:%M",
                ),
            )
        if name == "mode":
            return forms.ChoiceField(
                label=_("How the result is returned"), choices=ReturnMode.choices, widget=_select()
            )
        if name == "tracking":
            return forms.CharField(
                label=_("Postal tracking number (when sent by post)"),
                required=False,
                max_length=40,
                widget=_text(),
            )
        if name == "rating":
            return forms.ChoiceField(
                label=_("Rating"), choices=Evaluation.Rating.choices, widget=_select()
            )
        return forms.CharField(label=name, required=False, widget=_text())

    def params(self) -> dict:
        """The parameters of ``services.perform``."""
        data = self.cleaned_data
        params = {}
        for name in ("reason", "assignee", "new_appointment", "mode", "tracking", "rating"):
            if name in data:
                params[name] = data[name]
        if "items" in data:
            params["items"] = [{"name": line} for line in lines(data["items"])]
        if "note" in data:
            params[NOTE_PARAMS[self.transition.action]] = data["note"]
        if data.get("result_file"):
            params["result_file"] = data["result_file"]
        return params


class SearchForm(forms.Form):
    """Tra cứu hồ sơ: every filter optional; dates as dd/mm/yyyy."""

    code = forms.CharField(label=_("Dossier code"), required=False, max_length=40, widget=_text())
    applicant = forms.CharField(
        label=_("Applicant"), required=False, max_length=200, widget=_text()
    )
    procedure = forms.CharField(
        label=_("Procedure code"),
        required=False,
        max_length=8,
        widget=_text(placeholder="1.000001"),
    )
    state = forms.ChoiceField(label=_("State"), required=False, widget=_select())
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=_text(placeholder="dd/mm/yyyy", inputmode="numeric"),
    )
    received_to = forms.DateField(
        label=_("Received until"),
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=_text(placeholder="dd/mm/yyyy", inputmode="numeric"),
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from ..workflow import State

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state")), *State.choices]
