from django.contrib import admin

from .models import Blast, Message, Sender


@admin.register(Sender)
class SenderAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "is_verified", "created_at"]
    list_filter = ["is_verified"]
    search_fields = ["name", "address"]


@admin.register(Blast)
class BlastAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "status", "recipients", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "subject"]
    raw_id_fields = ["segment", "sender", "created_by", "started_by", "territory"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read only: what was sent is a record, changed by the sending and the reports alone."""

    list_display = ["to", "blast", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to"]
    raw_id_fields = ["blast", "contact"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
