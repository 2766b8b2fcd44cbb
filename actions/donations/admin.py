from django.contrib import admin

from .forms import EntityForm
from .models import Donation, Drive, Entity, Receipt, ReceiptCounter


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityForm  # fills a candidate's financing period from its election
    list_display = (
        "name",
        "kind",
        "election",
        "election_kind",
        "election_day",
        "financing_from",
        "financing_until",
    )


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contact", "entity", "status", "received_on")
    list_filter = ("status", "method", "kind")
    search_fields = ("provider_txn_id",)
    raw_id_fields = ("contact", "created_by")
    show_full_result_count = False


@admin.register(Drive)
class DriveAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "entity", "territory", "status")
    list_filter = ("status", "territory")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    """Receipts are issued and voided by the application only: the sequence must stay whole."""

    list_display = ("reference", "entity", "amount_cents", "issued_at", "voided_at")
    list_filter = ("year",)
    raw_id_fields = ("donation",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(admin.ModelAdmin):
    list_display = ("entity", "year", "last")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
