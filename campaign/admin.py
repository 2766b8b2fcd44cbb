from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Territory, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff", "territories")
    search_fields = ("username", "email", "first_name", "last_name")
    filter_horizontal = ("territories", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Campaign role"), {"fields": ("role", "territories", "contact")}),
    )
    raw_id_fields = ("contact",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "contact" in form.changed_data and obj.contact_id:
            from contacts.services import volunteer_account_linked

            volunteer_account_linked(user=obj)

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Campaign role"), {"fields": ("role", "territories")}),
    )


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code")
