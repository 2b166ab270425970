"""The province's certificate authority: CAs, certificates, requests and status history.

Private keys are never stored here: a row only names the store that holds its key
(``key_storage``) and where in it (``key_reference``: a PKCS#11 key label or the name of an
encrypted PKCS#12 file). ``egov.pki.keys`` turns that into something that signs.
"""

from __future__ import annotations

import hashlib
from functools import cached_property

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import Agency


class KeyStorage(models.TextChoices):
    """Where a private key lives (nơi lưu khóa bí mật)."""

    PKCS11 = "pkcs11", _("Hardware security module (PKCS#11)")
    PKCS12 = "pkcs12", _("Encrypted key file (PKCS#12)")
    # The holder generated the key on her own token and sent a PKCS#10 request: we never had it.
    EXTERNAL = "external", _("Holder's own token")


class RevocationReason(models.IntegerChoices):
    """CRLReason codes of RFC 5280 §5.3.1 (value 7 is unused)."""

    UNSPECIFIED = 0, _("Unspecified")
    KEY_COMPROMISE = 1, _("Key compromise")
    CA_COMPROMISE = 2, _("CA compromise")
    AFFILIATION_CHANGED = 3, _("Affiliation changed")
    SUPERSEDED = 4, _("Superseded")
    CESSATION_OF_OPERATION = 5, _("Cessation of operation")
    CERTIFICATE_HOLD = 6, _("Certificate hold (suspended)")
    REMOVE_FROM_CRL = 8, _("Removed from CRL")
    PRIVILEGE_WITHDRAWN = 9, _("Privilege withdrawn")
    AA_COMPROMISE = 10, _("Attribute authority compromise")

    @property
    def asn1_name(self) -> str:
        """The name asn1crypto uses for this reason in CRLs and OCSP responses."""
        return {
            0: "unspecified",
            1: "key_compromise",
            2: "ca_compromise",
            3: "affiliation_changed",
            4: "superseded",
            5: "cessation_of_operation",
            6: "certificate_hold",
            8: "remove_from_crl",
            9: "privilege_withdrawn",
            10: "aa_compromise",
        }[self.value]


class X509Mixin:
    """Shared readers of the DER certificate a row holds."""

    der: bytes

    @cached_property
    def asn1(self) -> asn1_x509.Certificate:
        """The certificate as asn1crypto reads it (what pyHanko works with)."""
        return asn1_x509.Certificate.load(bytes(self.der))

    @property
    def pem(self) -> str:
        return asn1_pem.armor("CERTIFICATE", bytes(self.der)).decode("ascii")

    @property
    def serial_int(self) -> int:
        return int(self.serial, 16)


class CertificateAuthority(X509Mixin, models.Model):
    """Tổ chức cung cấp dịch vụ chứng thực: the province's root CA or its issuing CA."""

    class Kind(models.TextChoices):
        ROOT = "root", _("Root CA")
        ISSUING = "issuing", _("Issuing CA")

    name = models.SlugField(_("name in URLs"), max_length=50, unique=True)
    common_name = models.CharField(_("common name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    der = models.BinaryField(_("certificate (DER)"))
    serial = models.CharField(_("serial number"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    key_storage = models.CharField(_("key storage"), max_length=10, choices=KeyStorage.choices)
    key_reference = models.CharField(_("key reference"), max_length=200)
    crl_number = models.PositiveBigIntegerField(_("last CRL number"), default=0)
    crl_der = models.BinaryField(_("current CRL (DER)"), null=True, blank=True)
    crl_this_update = models.DateTimeField(_("CRL issued at"), null=True, blank=True)
    crl_next_update = models.DateTimeField(_("next CRL due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.common_name

    @property
    def certificate_url(self) -> str:
        return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}/pki/ca/{self.name}.crt"

    @property
    def crl_url(self) -> str:
        return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}/pki/crl/{self.name}.crl"


class HolderKind(models.TextChoices):
    """Who a certificate is for."""

    OFFICIAL = "official", _("Official (personal signature)")
    AGENCY = "agency", _("Agency (organisation seal)")
    OCSP = "ocsp", _("OCSP responder")
    TSA = "tsa", _("Timestamping authority")


class CertificateRequest(models.Model):
    """Đề nghị cấp chứng thư số: asked by or for an official or an agency, decided by an agency
    administrator, then issued."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal signature of an official")
        SEAL = "seal", _("Organisation seal of an agency")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ISSUED = "issued", _("Issued")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate_requests",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="certificate_requests",
    )
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("internal unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    key_storage = models.CharField(_("key storage"), max_length=10, choices=KeyStorage.choices)
    csr_pem = models.TextField(_("certificate signing request (PKCS#10)"), blank=True)
    reason = models.TextField(_("purpose"), blank=True)
    renews = models.ForeignKey(
        "Certificate",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="pki_request_agency_status")]

    def __str__(self):
        who = self.holder if self.kind == self.Kind.PERSONAL else self.agency
        return _("Certificate request no. %(id)s (%(who)s)") % {"id": self.pk, "who": who}


class Certificate(X509Mixin, models.Model):
    """Chứng thư số: a certificate our issuing CA issued to an official, an agency or one of the
    CA's own services (OCSP responder, timestamping authority)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    issuer = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    serial = models.CharField(_("serial number"), max_length=64)
    holder_kind = models.CharField(_("holder kind"), max_length=10, choices=HolderKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("internal unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    common_name = models.CharField(_("common name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=1000)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    revocation_reason = models.PositiveSmallIntegerField(
        _("revocation reason"), choices=RevocationReason.choices, null=True, blank=True
    )
    revoked_at = models.DateTimeField(_("revoked or suspended at"), null=True, blank=True)
    key_storage = models.CharField(_("key storage"), max_length=10, choices=KeyStorage.choices)
    key_reference = models.CharField(_("key reference"), max_length=200, blank=True)
    der = models.BinaryField(_("certificate (DER)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    request = models.OneToOneField(
        CertificateRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="pki_unique_serial"),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="pki_cert_agency_status"),
            models.Index(fields=["user", "status"], name="pki_cert_user_status"),
        ]

    def __str__(self):
        return f"{self.common_name} ({self.serial[:16]})"

    def save(self, *args, **kwargs):
        if self.der and not self.fingerprint:
            self.fingerprint = hashlib.sha256(bytes(self.der)).hexdigest()
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return self.not_after <= timezone.now()

    @property
    def effective_status(self) -> str:
        """The status as a person should read it today: an active certificate past its end date
        is expired even before the periodic job has written it down."""
        if self.status in (self.Status.ACTIVE, self.Status.SUSPENDED) and self.is_expired:
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status).label)


class CertificateStatusChange(models.Model):
    """One change of a certificate's status, so that "what was its status at time T" (a
    signature made during a suspension) can be answered after it changed again."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=10, choices=Certificate.Status.choices)
    reason = models.PositiveSmallIntegerField(
        _("reason"), choices=RevocationReason.choices, null=True, blank=True
    )
    at = models.DateTimeField(_("from"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")
        ordering = ["certificate", "at", "pk"]

    def __str__(self):
        return f"{self.certificate} → {self.status} @ {self.at:%Y-%m-%d %H:%M}"
