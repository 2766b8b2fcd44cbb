from django.contrib import admin

from .models import Blast, Inbound, Message, OptOut


@admin.register(Blast)
class BlastAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "recipients", "created_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("to", "status", "blast", "sent_at", "error_code")
    list_filter = ("status",)
    search_fields = ("to", "sid")
    raw_id_fields = ("contact", "blast")
    show_full_result_count = False


@admin.register(Inbound)
class InboundAdmin(admin.ModelAdmin):
    list_display = ("from_number", "kind", "received_at", "body")
    list_filter = ("kind",)
    search_fields = ("from_number", "sid")
    raw_id_fields = ("contact",)
    show_full_result_count = False


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("number", "source", "created_at")
    search_fields = ("number",)
    show_full_result_count = False
