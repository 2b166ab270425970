"""Forms of the core web UI."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """User name and password, with Vietnamese labels and the browser's autocomplete hints."""

    username = forms.CharField(
        label=_("User name"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )

    def confirm_login_allowed(self, user):
        """Officials only: citizens and businesses have the portal's log-in (and its rules)."""
        super().confirm_login_allowed(user)
        if user.kind != user.Kind.STAFF:
            raise forms.ValidationError(
                _(
                    "This log-in is for officials. Citizens and businesses log in on the public "
                    "service portal."
                ),
                code="not_staff",
            )


class OtpForm(forms.Form):
    otp = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )
