from django.contrib import admin

from .models import ApiToken, Delivery, Territory, Webhook

# The users' admin is in contacts.admin: linking an account to its contact records that
# person's volunteer stage (contacts.services), a layer above campaign.


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their users (their key is shown only to them); admins see them and
    may revoke one by setting its revocation date."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "events", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url",)
    readonly_fields = ("secret", "created_by", "created_at")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Deliveries are evidence of what was sent: read only (replay from the webhooks page)."""

    list_display = ("event", "webhook", "status", "attempts", "response_code", "created_at")
    list_filter = ("status", "event")
    search_fields = ("uuid",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
