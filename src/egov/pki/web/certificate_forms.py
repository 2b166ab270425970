"""Forms of the certificate pages: ask for a certificate, decide a request, act on one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from egov.core import permissions as perms
from egov.core.models import Agency, Position, User

from ..models import CertificateRequest, KeyStorage, RevocationReason
from ..queries import administered_agencies
from ..services import REVOCATION_REASONS

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class OfficialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.username})"


class RequestForm(forms.Form):
    """Đề nghị cấp chứng thư số: for oneself, or (administrators) for an official or the seal."""

    kind = forms.ChoiceField(
        label=_("Certificate for"),
        choices=CertificateRequest.Kind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    holder = OfficialChoice(
        label=_("Official"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("For a personal certificate."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),  # set in __init__
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("For an organisation seal."),
    )
    key_storage = forms.ChoiceField(
        label=_("Where the key is kept"),
        choices=[
            (KeyStorage.PKCS12, KeyStorage.PKCS12.label),
            (KeyStorage.PKCS11, KeyStorage.PKCS11.label),
        ],
        widget=forms.Select(attrs=SELECT),
        help_text=_("Ignored when you paste a certificate signing request below."),
    )
    csr_pem = forms.CharField(
        label=_("Certificate signing request (PKCS#10, PEM), if the key is on your own token"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4, "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agencies = administered_agencies(user)
        self.fields["agency"].queryset = agencies
        people = User.objects.filter(pk=user.pk)
        if user.is_system_admin:
            people = User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        else:
            paths = perms.agency_paths(user, perms.ADMIN_ROLES)
            if paths:
                staff = Position.objects.valid_on().filter(perms.path_q(paths, "agency__path"))
                people = User.objects.filter(pk__in=staff.values("user")) | people
        self.fields["holder"].queryset = people.distinct().order_by("full_name", "username")
        self.fields["holder"].initial = user.pk
        self.fields["key_storage"].initial = settings.EGOV_PKI_KEY_STORAGE
        if not agencies.exists():
            # Not an administrator: she asks for her own personal certificate only.
            self.fields["kind"].choices = [
                (CertificateRequest.Kind.PERSONAL, CertificateRequest.Kind.PERSONAL.label)
            ]
            self.fields["holder"].widget = forms.HiddenInput()
            self.fields["agency"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("kind") == CertificateRequest.Kind.SEAL and not data.get("agency"):
            self.add_error("agency", _("Choose the agency of the seal."))
        if data.get("kind") == CertificateRequest.Kind.PERSONAL and not data.get("holder"):
            data["holder"] = self.user  # one asks for oneself unless one chooses someone
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and issue")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (required to reject)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={**TEXT, "class": "form-control form-control-sm"}),
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("suspend", _("Suspend")),
            ("unsuspend", _("Reinstate")),
            ("revoke", _("Revoke")),
            ("renew", _("Renew")),
        ]
    )
    reason_code = forms.TypedChoiceField(
        label=_("Reason for revocation"),
        coerce=int,
        required=False,
        choices=[(r.value, r.label) for r in REVOCATION_REASONS],
        initial=RevocationReason.UNSPECIFIED,
        widget=forms.Select(attrs=SELECT),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs=TEXT),
    )
