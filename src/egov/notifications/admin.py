"""Django admin: message templates (edited by administrators, previewed, checked on save),
the delivery log (read-only, failed messages may be sent again) and preferences."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import services
from .events import EVENT_LABELS, VARIABLES
from .forms import MessageTemplateForm
from .models import Delivery, DeliveryStatus, MessageTemplate, Preference


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["event_label", "channel", "language", "subject", "active", "updated_at"]
    list_filter = ["channel", "language", "active", "event"]
    search_fields = ["subject", "body"]
    readonly_fields = ["preview", "variables", "updated_by", "updated_at"]
    fields = [
        "event",
        "channel",
        "language",
        "subject",
        "body",
        "active",
        "preview",
        "variables",
        "updated_by",
        "updated_at",
    ]

    @admin.display(description=_("event"), ordering="event")
    def event_label(self, obj):
        return EVENT_LABELS.get(obj.event, obj.event)

    @admin.display(description=_("preview (sample dossier)"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Save the template to see it rendered for a sample dossier.")
        try:
            subject, body = services.preview(obj)
        except Exception as error:  # a runtime error in the template, shown to its author
            return format_html('<span class="errornote">{}</span>', error)
        return format_html(
            '<div style="max-width:48rem"><strong>{}</strong>'
            '<pre style="white-space:pre-wrap">{}</pre>{}</div>',
            subject,
            body,
            format_html("<small>{} {}</small>", len(body), _("characters"))
            if obj.channel == "sms"
            else "",
        )

    @admin.display(description=_("values you may use"))
    def variables(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><code>{{{{ {} }}}}</code>: {}</li>", VARIABLES.items()),
        )

    def save_model(self, request, obj, form, change):
        try:
            services.save_template(request.user, obj)
        except ValidationError as error:  # the form already checked; a race is still possible
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate a template instead: the log keeps what was sent


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "dossier",
        "event",
        "channel",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["dossier__code", "recipient", "subject"]
    list_select_related = ["dossier"]
    actions = ["send_again"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the failed messages again"))
    def send_again(self, request, queryset):
        done = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            try:
                services.resend(request.user, delivery)
                done += 1
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.WARNING)
        self.message_user(request, _("%(n)d message(s) queued again.") % {"n": done})


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "language", "updated_at"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False  # the account holder chooses, on her settings page
