"""The form of the "Sign a document" page, and which certificates a person may sign with.

The list shows only what :func:`egov.pki.signing.may_sign_with` allows (her own personal
certificate; the seal of an agency where she is a leader or clerk), active today and with a key
the platform holds. The form still accepts any certificate number it is sent: the signing
service decides, refuses and records the refusal, so a forged choice is audited like any other
refused attempt.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError

from egov.core import permissions as perms

from .. import pades
from ..appearance import load_image
from ..models import Certificate, HolderKind, KeyStorage
from ..signing import SEAL_SIGNERS, may_sign_with
from ..validation import UnreadableDocument, open_pdf
from .sign_layout import Corner, page_count

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
IMAGE_LIMIT = 2 * 2**20  # a signature or seal PNG is a few hundred kilobytes

LEVELS = [
    (pades.Level.B_T, _("PAdES B-T: with a timestamp of the signing time (recommended)")),
    (pades.Level.B_LT, _("PAdES B-LT: also with the certificates and revocation data")),
    (pades.Level.B_LTA, _("PAdES B-LTA: also with an archive timestamp, for long-kept records")),
]


def usable_certificates(user) -> list[Certificate]:
    """The certificates ``user`` may sign with now: personal first, then agency seals."""
    now = timezone.now()
    mine = Q(holder_kind=HolderKind.OFFICIAL, user=user)
    seals = Q(
        holder_kind=HolderKind.AGENCY,
        agency__path__in=perms.organisation_paths(user, SEAL_SIGNERS),
    )
    rows = (
        Certificate.objects.filter(mine | seals)
        .filter(status=Certificate.Status.ACTIVE, not_before__lte=now, not_after__gt=now)
        .exclude(key_storage=KeyStorage.EXTERNAL)
        .select_related("agency", "user")
        .order_by("holder_kind", "agency__name", "-not_before", "-pk")
    )
    ordered = sorted(rows, key=lambda c: c.holder_kind != HolderKind.OFFICIAL)
    return [c for c in ordered if may_sign_with(user, c)]


def certificate_label(certificate: Certificate) -> str:
    until = timezone.localtime(certificate.not_after).strftime("%d/%m/%Y")
    if certificate.holder_kind == HolderKind.AGENCY:
        return gettext("Agency seal: %(agency)s (valid until %(date)s)") % {
            "agency": certificate.agency.name if certificate.agency else certificate.common_name,
            "date": until,
        }
    return gettext("Personal signature: %(name)s (valid until %(date)s)") % {
        "name": certificate.common_name,
        "date": until,
    }


class CodeInput(forms.TextInput):
    """A one-time code is never written back into the page."""

    def format_value(self, value):
        return None


class SignForm(forms.Form):
    """Ký số văn bản: the PDF, the certificate, where the signature goes, and her code."""

    file = forms.FileField(
        label=_("PDF document to sign"),
        error_messages={"required": _("Choose the PDF document to sign.")},
        widget=forms.ClearableFileInput(
            attrs={**TEXT, "accept": "application/pdf,.pdf"},
        ),
    )
    certificate = forms.IntegerField(
        label=_("Sign with"),
        error_messages={
            "required": _("Choose the certificate to sign with."),
            "invalid": _("Choose the certificate to sign with."),
        },
        widget=forms.Select(attrs=SELECT),
        help_text=_(
            "To seal a document you have signed, upload the signed file and choose the agency "
            "seal: the seal is placed over the signature and both stay valid."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for signing"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("e.g. Signed for issue")}),
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
        help_text=_("Leave empty for the last page."),
    )
    corner = forms.ChoiceField(
        label=_("Position on the page"),
        choices=Corner.choices,
        initial=Corner.BOTTOM_RIGHT,
        widget=forms.Select(attrs=SELECT),
        help_text=_("The agency seal on a signed document goes over the signature instead."),
    )
    level = forms.ChoiceField(
        label=_("Signature format"),
        choices=LEVELS,
        initial=pades.Level.B_T,
        widget=forms.Select(attrs=SELECT),
    )
    image = forms.FileField(
        label=_("Signature or seal image (PNG on a transparent background)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": "image/png,image/jpeg"}),
        help_text=_("Optional: without it, an image is drawn from the name in the certificate."),
    )
    otp = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app to sign.")
        },
        widget=CodeInput(
            attrs={
                **TEXT,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "spellcheck": "false",
            }
        ),
        help_text=_("Signing binds you by law: confirm that it is you."),
    )

    def __init__(self, certificates: list[Certificate], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.certificates = certificates
        self.fields["certificate"].widget.choices = [
            (c.pk, certificate_label(c)) for c in certificates
        ]
        if certificates:
            self.fields["certificate"].initial = certificates[0].pk
        self.pdf_bytes = b""
        self.reader = None
        self.image_bytes: bytes | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.EGOV_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("The file is %(size)s MB; the largest file accepted is %(limit)s MB.")
                % {"size": round(upload.size / 2**20, 1), "limit": round(limit / 2**20)}
            )
        upload.seek(0)
        data = upload.read()
        if not data:
            raise forms.ValidationError(gettext("The file is empty."))
        try:
            reader = open_pdf(data)
            pages = page_count(reader)
        except UnreadableDocument as error:
            raise forms.ValidationError(error.messages[0]) from error
        except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as error:
            raise forms.ValidationError(
                gettext("The PDF is damaged or incomplete and cannot be read.")
            ) from error
        if pages < 1:
            raise forms.ValidationError(gettext("The PDF has no page to sign."))
        self.pdf_bytes, self.reader = data, reader
        return upload

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and upload.size > IMAGE_LIMIT:
            raise forms.ValidationError(
                gettext("The image is larger than %(limit)s MB.") % {"limit": IMAGE_LIMIT // 2**20}
            )
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("image")
        if upload:
            upload.seek(0)
            content = upload.read()
            chosen = self.chosen_certificate() if data.get("certificate") is not None else None
            kind = "seal" if chosen and chosen.holder_kind == HolderKind.AGENCY else "signature"
            try:
                load_image(content, kind=kind)  # checked now, before her code is used up
            except ValidationError as error:
                self.add_error("image", error.messages)
            else:
                self.image_bytes = content
        page = data.get("page")
        if page and self.reader is not None and page > page_count(self.reader):
            self.add_error(
                "page",
                gettext("Page %(page)s does not exist: the document ends at page %(count)s.")
                % {"page": page, "count": page_count(self.reader)},
            )
        return data

    def chosen_certificate(self) -> Certificate | None:
        """The certificate asked for: one of hers, or any other of a person or an agency (the
        signing service refuses it and records the refusal); None if there is no such row."""
        pk = self.cleaned_data.get("certificate")
        for certificate in self.certificates:
            if certificate.pk == pk:
                return certificate
        return (
            Certificate.objects.filter(
                pk=pk, holder_kind__in=(HolderKind.OFFICIAL, HolderKind.AGENCY)
            )
            .select_related("agency", "user")
            .first()
        )
