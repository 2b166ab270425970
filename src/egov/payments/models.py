"""Fee payments (thanh toán phí, lệ phí trực tuyến), their refunds and the gateway's calls."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the gateway")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    """Giao dịch thanh toán: one attempt to pay a dossier's fee through a gateway.

    ``amount`` is what was asked, in whole đồng, with its ``lines`` (name, kind, amount) as
    they stood when the attempt started. Only the gateway's signed IPN or a reconciliation
    (querydr) marks it paid; the browser's return only shows the outcome.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("dossier"),
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payer account"),
    )
    payer_name = models.CharField(_("payer"), max_length=200)
    gateway = models.CharField(_("gateway"), max_length=20, default="vnpay")
    txn_ref = models.CharField(_("payment reference"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    lines = models.JSONField(_("fee lines"), default=list)
    description = models.CharField(_("description"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField(_("started"))
    expires_at = models.DateTimeField(_("expires"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    request_params = models.JSONField(default=dict, editable=False)
    # What the gateway said (from the IPN or querydr)
    response_code = models.CharField(_("gateway response"), max_length=4, blank=True)
    transaction_no = models.CharField(_("gateway transaction no."), max_length=40, blank=True)
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    bank_tran_no = models.CharField(_("bank transaction no."), max_length=40, blank=True)
    card_type = models.CharField(max_length=20, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    settled_by = models.CharField(
        _("confirmed by"), max_length=10, blank=True, help_text=_("ipn or reconciliation")
    )
    # Whether this payment moved the dossier out of "awaiting payment" (False when it arrived
    # after another payment already had: the surplus must be refunded).
    confirmed_dossier = models.BooleanField(default=False)
    refunded_amount = models.PositiveBigIntegerField(_("refunded (VND)"), default=0)
    # Reconciliation: the last querydr and what it said.
    reconciled_at = models.DateTimeField(_("last reconciled"), null=True, blank=True)
    reconciliation_note = models.CharField(_("reconciliation"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Reconciliation reads the pending ones, oldest first.
            models.Index(
                fields=["created_at"],
                name="payment_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return self.txn_ref

    @property
    def refundable(self) -> int:
        """What can still be refunded (đồng)."""
        if self.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            return 0
        return self.amount - self.refunded_amount

    @property
    def needs_attention(self) -> bool:
        """Paid, but the dossier was no longer waiting for it (paid twice, or too late)."""
        return (
            self.status == PaymentStatus.PAID
            and not self.confirmed_dossier
            and self.refunded_amount < self.amount
        )


class Refund(models.Model):
    """Hoàn tiền: money returned to the payer through the gateway, with its reason."""

    class Status(models.TextChoices):
        DONE = "done", _("Refunded")
        REJECTED = "rejected", _("Refused by the gateway")
        ERROR = "error", _("Gateway unreachable")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    response_code = models.CharField(max_length=4, blank=True)
    message = models.CharField(max_length=300, blank=True)
    transaction_no = models.CharField(max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.payment} −{self.amount}"


class GatewayMessage(models.Model):
    """Every exchange with the gateway, as sent or received: payment requests, returns, IPN
    calls (valid or not), querydr and refund calls. Kept to settle disputes."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Payment request")
        RETURN = "return", _("Browser return")
        IPN = "ipn", _("IPN call")
        QUERY = "querydr", _("Transaction query")
        REFUND = "refund", _("Refund request")

    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    txn_ref = models.CharField(max_length=100, blank=True, db_index=True)
    at = models.DateTimeField()
    params = models.JSONField(default=dict)
    answer = models.JSONField(default=dict, blank=True)
    signature_ok = models.BooleanField(null=True)
    outcome = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("gateway message")
        verbose_name_plural = _("gateway messages")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind} {self.txn_ref} {self.outcome}"
