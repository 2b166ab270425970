"""Kho dữ liệu: each person's store of documents and results (Decree 45/2020 art. 16).

What a person uploaded with a dossier and the electronic results she received are kept here;
a later dossier takes a copy of the reference instead of a new upload, and each reuse is
recorded (the service-quality index counts reuse of digitised data).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["StoredDocument", "DocumentReuse", "StoredKind"]


class StoredKind(models.TextChoices):
    UPLOAD = "upload", _("Document I uploaded")
    RESULT = "result", _("Result I received")


class StoredDocument(models.Model):
    """One file in a person's data store. The file itself is shared with the dossier document
    it came from (same storage name): storing it again would double the disk for nothing."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="stored_documents",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=StoredKind.choices)
    name = models.CharField(_("name"), max_length=500)
    file = models.FileField(_("file"), upload_to="kho/%Y/%m/", max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64)
    source_document = models.ForeignKey(
        "dossiers.DossierDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from the dossier document"),
    )
    source_code = models.CharField(_("from dossier"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("kept since"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        ordering = ["-created_at"]
        constraints = [
            # The same file (by content) is kept once per person and kind.
            models.UniqueConstraint(
                fields=["owner", "kind", "sha256"], name="uniq_stored_document"
            ),
        ]

    def __str__(self):
        return self.name


class DocumentReuse(models.Model):
    """A stored document given to a dossier instead of a new upload."""

    stored = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="reuses")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="reused_documents"
    )
    document = models.OneToOneField(
        "dossiers.DossierDocument", on_delete=models.CASCADE, related_name="reused_from"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reuse of a stored document")
        verbose_name_plural = _("reuses of stored documents")

    def __str__(self):
        return f"{self.stored} → {self.dossier_id}"
