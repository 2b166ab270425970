"""Models of the document exchange: the peer directory, what arrived (packages and statuses)
and the outbox."""

from __future__ import annotations

from functools import cached_property

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import package_files


class Peer(models.Model):
    """Đầu mối trao đổi: another installation that serves the agencies whose code starts with
    ``code_prefix`` (a whole code for one agency), reached at ``endpoint_url``; it may sign with
    certificates issued by the CAs in ``ca_certificates`` (PEM) and nothing else."""

    name = models.CharField(_("name"), max_length=255)
    code_prefix = models.CharField(
        _("agency code or prefix"),
        max_length=13,
        unique=True,
        help_text=_(
            "QCVN 102:2016 agency code, the start of the codes this peer serves, or a pattern "
            "with * (a whole province: *.H16)."
        ),
    )
    endpoint_url = models.URLField(_("endpoint URL"), max_length=500)
    ca_certificates = models.TextField(_("trusted CA certificates (PEM)"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("exchange peer")
        verbose_name_plural = _("exchange peers")
        ordering = ["code_prefix"]

    def __str__(self):
        return f"{self.name} ({self.code_prefix}*)"

    @cached_property
    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """The CA certificates of ``ca_certificates``."""
        data = self.ca_certificates.encode("ascii", "ignore")
        return [
            asn1_x509.Certificate.load(der)
            for _type, _headers, der in asn1_pem.unarmor(data, multiple=True)
        ]


class _PackageFile(property):
    """A property (so that ``Model(<name>=...)`` takes it) of the package bytes kept in
    ``<name>_file`` (checked against
    ``<name>_sha256``): read from the file on first use; set, it is written to a new file by
    :meth:`save` before the row is inserted or updated (see :mod:`.package_files`)."""

    def __set_name__(self, owner, name):
        self.name = name
        self.pending = f"_{name}_pending"
        self.cache = f"_{name}_bytes"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        data = instance.__dict__.get(self.cache)
        if data is None:
            data = package_files.load(
                getattr(instance, f"{self.name}_file"), getattr(instance, f"{self.name}_sha256")
            )
            instance.__dict__[self.cache] = data
        return data

    def __set__(self, instance, value):
        data = bytes(value) if value is not None else b""
        instance.__dict__[self.pending] = data
        instance.__dict__[self.cache] = data

    def write_pending(self, instance):
        data = instance.__dict__.pop(self.pending, None)
        if data is None:
            return
        if data:
            sha256 = package_files.store(instance, f"{self.name}_file", data)
        else:
            setattr(instance, f"{self.name}_file", "")
            sha256 = ""
        setattr(instance, f"{self.name}_sha256", sha256)


class _PackageFileModel(models.Model):
    """Writes the files of its :class:`_PackageFile` properties before saving the row."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.write_files()
        super().save(*args, **kwargs)

    def write_files(self):
        """Write the package bytes set since the last save to their files (:meth:`save` does
        it too; call it first to keep the file writes out of a transaction)."""
        for attribute in vars(type(self)).values():
            if isinstance(attribute, _PackageFile):
                attribute.write_pending(self)


class ReceivedPackage(_PackageFileModel):
    """Gói tin đến: a verified edXML document package for an agency of this installation,
    stored with its raw bytes; one per (DocumentId, sender, recipient, business type)."""

    document_id = models.CharField(_("edXML document id"), max_length=200)
    from_code = models.CharField(_("sender code"), max_length=13)
    to_code = models.CharField(_("recipient code"), max_length=13)
    business_doc_type = models.PositiveSmallIntegerField(_("business type"), default=0)
    subject = models.CharField(_("subject"), max_length=500)
    raw_file = models.FileField(_("package"), upload_to="exchange/received/%Y/%m/", blank=True)
    raw_sha256 = models.CharField(_("package SHA-256"), max_length=64, blank=True)
    header = models.JSONField(_("header"))
    validation = models.JSONField(_("signature validation"))
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.SET_NULL)
    answer = models.BinaryField(_("answer (status package)"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("received package")
        verbose_name_plural = _("received packages")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_id", "from_code", "to_code", "business_doc_type"],
                name="uniq_exchange_received_package",
            )
        ]

    raw = _PackageFile()  # the package's bytes (in raw_file)

    def __str__(self):
        return f"{self.document_id} → {self.to_code}"

    @cached_property
    def attachments(self) -> list[tuple[str, str, bytes]]:
        """The attached files: (name, content type, bytes)."""
        from .edxml import parse

        return [a.as_tuple() for a in parse(bytes(self.raw)).attachments]


class ReceivedStatus(models.Model):
    """Trạng thái nhận được: a status package about a document this installation sent (an
    answer to our delivery, or posted later by the recipient)."""

    document_id = models.CharField(_("edXML document id"), max_length=200, db_index=True)
    from_code = models.CharField(_("from"), max_length=13)
    to_code = models.CharField(_("about the document of"), max_length=13, blank=True)
    status_code = models.CharField(_("status"), max_length=2)
    description = models.TextField(_("description"), blank=True)
    at = models.DateTimeField(_("status time"))
    staff = models.JSONField(_("staff"), default=dict, blank=True)
    raw = models.BinaryField(_("status package"))
    validation = models.JSONField(_("signature validation"), default=dict)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("received status")
        verbose_name_plural = _("received statuses")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_id", "from_code", "status_code", "at"],
                name="uniq_exchange_received_status",
            )
        ]

    def __str__(self):
        return f"{self.document_id}: {self.status_code}"


class OutboxMessage(_PackageFileModel):
    """Hàng đợi gửi: one signed package (document or status) for one recipient, retried with
    exponential back-off while the peer is down, sent at most once after it answered 01."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Document package")
        STATUS = "status", _("Status package")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=300, unique=True)
    office_document_id = models.CharField(
        _("office document"), max_length=40, blank=True, db_index=True
    )
    document_id = models.CharField(_("edXML document id"), max_length=200, db_index=True)
    from_code = models.CharField(_("from"), max_length=13)
    recipient_code = models.CharField(_("recipient code"), max_length=13)
    business_doc_type = models.PositiveSmallIntegerField(_("business type"), default=0)
    status_code = models.CharField(_("status sent"), max_length=2, blank=True)
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.SET_NULL)
    peer_url = models.URLField(_("peer URL"), max_length=500, blank=True)
    package_file = models.FileField(_("package"), upload_to="exchange/outbox/%Y/%m/", blank=True)
    package_sha256 = models.CharField(_("package SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    last_error = models.TextField(_("last error"), blank=True)
    answer = models.BinaryField(_("answer"), null=True, blank=True)
    answer_code = models.CharField(_("answer status"), max_length=2, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    package = _PackageFile()  # the signed package's bytes (in package_file)

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_id} → {self.recipient_code}"
