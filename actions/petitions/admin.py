from django.contrib import admin
from django.db import models

from .models import PendingSignature, Petition, Signature
from .services import petition_save


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "territory", "goal", "end_date", "created_at")
    list_filter = ("status", "territory")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        petition_save(petition=obj, actor=request.user)  # the same cover image treatment


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ("signed_at", "petition", "contact", "utm_source", "embedded")
    list_filter = ("petition", "embedded")
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("petition", "contact")


@admin.register(PendingSignature)
class PendingSignatureAdmin(admin.ModelAdmin):
    """Signatures received and not merged yet (normally for a second or two)."""

    list_display = ("received_at", "petition", "email")
    search_fields = ("email",)
    show_full_result_count = False
