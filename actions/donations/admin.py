from django.contrib import admin

from .models import Donation, Drive, Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "election")


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contact", "entity", "status", "received_on")
    list_filter = ("status", "method", "kind")
    search_fields = ("provider_txn_id",)
    raw_id_fields = ("contact", "created_by")
    show_full_result_count = False


@admin.register(Drive)
class DriveAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "entity", "status")
    list_filter = ("status",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
