"""Forms of the account pages. They check what a page can check (required fields, two equal
passwords); the rules (duplicates, citizen ID, tax code, codes) are the services' and come back
as field errors (see ``add_service_errors``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.models import User


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _password(autocomplete="new-password"):
    return forms.PasswordInput(attrs={"class": "form-control", "autocomplete": autocomplete})


def _identifier_field(**attrs):
    return forms.CharField(
        label=_("E-mail or mobile phone number"),
        max_length=254,
        widget=_text(autocomplete="username", **attrs),
    )


def _code_field():
    return forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=_text(
            autocomplete="one-time-code", inputmode="numeric", pattern="[0-9]{6}", autofocus=True
        ),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the fields it names (else on the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def mark_invalid(form: forms.Form) -> None:
    """Bootstrap's red outline on the inputs that have an error (Django adds aria-invalid and
    aria-describedby pointing to the message)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PasswordPairMixin:
    """Two password fields that must be equal."""

    def clean(self):
        data = super().clean()
        one, two = data.get(self.password_names[0]), data.get(self.password_names[1])
        if one and two and one != two:
            self.add_error(self.password_names[1], _("The two passwords are not the same."))
        return data


class RegisterForm(PasswordPairMixin, forms.Form):
    password_names = ("password1", "password2")

    kind = forms.ChoiceField(
        label=_("Account for"),
        choices=[
            (User.Kind.CITIZEN, _("A citizen (personal account)")),
            (User.Kind.BUSINESS, _("A business or organisation")),
        ],
        initial=User.Kind.CITIZEN,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=_text(autocomplete="name")
    )
    identifier = _identifier_field()
    citizen_id = forms.CharField(
        label=_("Citizen ID number (12 digits)"),
        required=False,
        max_length=12,
        help_text=_("Optional now; needed to submit most dossiers."),
        widget=_text(inputmode="numeric", autocomplete="off"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation name (business accounts)"),
        required=False,
        max_length=255,
        widget=_text(autocomplete="organization"),
    )
    tax_code = forms.CharField(
        label=_("Tax code (business accounts)"),
        required=False,
        max_length=14,
        widget=_text(autocomplete="off"),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=_password(),
    )
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=_password())


class VerifyForm(forms.Form):
    identifier = _identifier_field()
    code = _code_field()


class ResendForm(forms.Form):
    identifier = _identifier_field()


class LoginForm(forms.Form):
    identifier = _identifier_field(autofocus=True)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=_password("current-password")
    )


class ResetRequestForm(forms.Form):
    identifier = _identifier_field(autofocus=True)


class SetPasswordForm(PasswordPairMixin, forms.Form):
    password_names = ("new_password1", "new_password2")

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=_password(),
    )
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=_password())


class ResetWithCodeForm(SetPasswordForm):
    identifier = _identifier_field()
    code = _code_field()
    field_order = ["identifier", "code", "new_password1", "new_password2"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=_text(autocomplete="name")
    )
    citizen_id = forms.CharField(
        label=_("Citizen ID number (12 digits)"),
        required=False,
        max_length=12,
        widget=_text(inputmode="numeric", autocomplete="off"),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(
            attrs={"class": "form-control", "type": "date", "autocomplete": "bday"},
            format="%Y-%m-%d",
        ),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=255,
        widget=_text(autocomplete="street-address"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        required=False,
        max_length=255,
        widget=_text(autocomplete="organization"),
    )
    tax_code = forms.CharField(
        label=_("Tax code"), required=False, max_length=14, widget=_text(autocomplete="off")
    )

    def __init__(self, *args, business: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not business:
            del self.fields["organisation_name"]
            del self.fields["tax_code"]
        else:
            self.fields["organisation_name"].required = True
            self.fields["tax_code"].required = True
