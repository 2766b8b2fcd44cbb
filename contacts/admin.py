"""Admin for contacts. Lists avoid full counts and substring scans so they stay fast at 1M rows."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from campaign.models import User

from . import services
from .models import (
    ActivityDay,
    Consent,
    ConsentEvent,
    Contact,
    ContactActivity,
    ContactEmail,
    ContactIdentifier,
    ContactMerge,
    ContactPhone,
    DuplicateCandidate,
    ExportLog,
    FunnelCohort,
    FunnelDay,
    FunnelDirty,
    FunnelEntry,
    FunnelGap,
    FunnelState,
    ImportJob,
    OpinionView,
    RetentionRule,
    Segment,
    SegmentMember,
    StageEvent,
    Suppression,
    Tag,
)
from .selectors import contact_search_q


# campaign's users, here because linking an account to its contact records that person's
# volunteer stage (contacts.services), which campaign, the layer below, may not reach.
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
        *(BaseUserAdmin.fieldsets or ()),
        (_("Campaign role"), {"fields": ("role", "territories", "contact")}),
    )
    raw_id_fields = ("contact",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "contact" in form.changed_data and obj.contact_id:
            services.volunteer_account_linked(user=obj)

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Campaign role"), {"fields": ("role", "territories")}),
    )


class ReadOnlyAdminMixin:
    """Evidence and logs: visible to admins, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class EmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0


class PhoneInline(admin.TabularInline):
    model = ContactPhone
    extra = 0
    readonly_fields = ("e164", "kind")


class ConsentInline(ReadOnlyInline):
    # Consent changes only with an event: use the contact page, which records one.
    model = Consent
    fields = ("channel", "status", "source", "changed_at", "wording")
    readonly_fields = fields


class ConsentEventInline(ReadOnlyInline):
    model = ConsentEvent
    fields = ("occurred_at", "channel", "status", "source", "source_detail", "actor", "wording")
    readonly_fields = fields


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "commune", "postal_code", "source", "created_at")
    list_filter = ("source", "tags")
    # Searched like the staff pages (see get_search_results): indexed prefix and exact lookups.
    search_fields = ("last_name",)
    search_help_text = "Name, email, phone in any format, or postal code"
    show_full_result_count = False
    readonly_fields = ("uuid", "created_at", "updated_at", "created_by")
    filter_horizontal = ("tags",)
    inlines = [EmailInline, PhoneInline, ConsentInline, ConsentEventInline]
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # icontains over several joined columns would scan a million rows per keystroke.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(contact_search_q(search_term)), False

    def save_model(self, request, obj, form, change):
        services.contact_admin_save(contact=obj, actor=request.user, created=not change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ContactPhone:
            services.contact_phones_renormalize(contact=form.instance)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "contact", "channel", "status", "source", "actor")
    list_filter = ("channel", "status", "source")
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("contact", "actor")


@admin.register(ContactActivity)
class ContactActivityAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "contact", "kind", "actor", "summary")
    list_filter = ("kind",)
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("contact", "actor")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "what", "row_count")
    list_filter = ("what",)
    readonly_fields = ("created_at", "actor", "what", "filters", "row_count")


@admin.register(ContactEmail)
class ContactEmailAdmin(admin.ModelAdmin):
    list_display = ("address", "contact", "is_primary")
    search_fields = ("=address",)
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("contact",)


@admin.register(ContactIdentifier)
class ContactIdentifierAdmin(admin.ModelAdmin):
    list_display = ("value", "contact", "created_at")
    search_fields = ("=value",)
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("contact",)


@admin.register(ContactPhone)
class ContactPhoneAdmin(admin.ModelAdmin):
    list_display = ("raw", "e164", "kind", "contact", "is_primary")
    list_filter = ("kind",)
    search_fields = ("=e164", "=raw")
    raw_id_fields = ("contact",)
    readonly_fields = ("e164", "kind")
    show_full_result_count = False
    list_select_related = ("contact",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.contact_phones_renormalize(contact=obj.contact)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the current state follows consent events, recorded from the contact page."""

    list_display = ("contact", "channel", "status", "source", "changed_at")
    list_filter = ("channel", "status", "source")
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("contact",)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "original_name",
        "status",
        "created_count",
        "updated_count",
        "rejected_count",
        "created_by",
    )
    list_filter = ("status",)
    search_fields = ("original_name", "source_detail")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
    list_select_related = ("created_by",)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Hashes only: nothing here identifies anyone, and nothing is edited by hand."""

    list_display = ("created_at", "kind", "digest", "reason")
    list_filter = ("kind",)
    search_fields = ("=digest",)
    show_full_result_count = False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("source", "months", "is_active")
    list_editable = ("months", "is_active")


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    list_display = ("found_at", "contact_a", "contact_b", "reason", "status", "reviewed_by")
    list_filter = ("reason", "status")
    raw_id_fields = ("contact_a", "contact_b", "reviewed_by")
    show_full_result_count = False
    list_select_related = ("contact_a", "contact_b", "reviewed_by")


@admin.register(ContactMerge)
class ContactMergeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("merged_at", "kept", "dropped_id", "actor")
    search_fields = ("=dropped_uuid",)
    readonly_fields = (
        "kept",
        "dropped_uuid",
        "dropped_id",
        "dropped_summary",
        "actor",
        "merged_at",
    )
    list_select_related = ("kept", "actor")


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "is_static", "created_by", "updated_at")
    list_filter = ("is_static",)
    search_fields = ("name",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(SegmentMember)
class SegmentMemberAdmin(admin.ModelAdmin):
    list_display = ("segment", "contact")
    list_filter = ("segment",)
    raw_id_fields = ("contact",)
    show_full_result_count = False
    list_select_related = ("segment", "contact")


# The funnel: events are history, the rest is counted from them; none is edited by hand.


@admin.register(StageEvent)
class StageEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("contact", "stage", "at", "why", "recorded_at")
    list_filter = ("stage",)
    search_fields = ("contact__last_name_key", "why")
    raw_id_fields = ("contact",)
    date_hierarchy = "at"


@admin.register(FunnelEntry)
class FunnelEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("contact", "source_key", "acquired_at", "reachable_at", "engaged_at")
    search_fields = ("source_key",)
    raw_id_fields = ("contact",)


@admin.register(FunnelDay)
class FunnelDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "source_key", "acquired", "reachable", "engaged", "donor")
    search_fields = ("source_key",)


@admin.register(FunnelCohort)
class FunnelCohortAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("week", "stage", "reached", "within_1", "within_2", "within_4", "within_8")


@admin.register(FunnelGap)
class FunnelGapAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("week", "stage", "days", "people")


@admin.register(ActivityDay)
class ActivityDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "metric", "count", "amount_cents")
    list_filter = ("metric",)


@admin.register(FunnelState)
class FunnelStateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("refreshed_at", "full_at")


@admin.register(FunnelDirty)
class FunnelDirtyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("week",)


@admin.register(OpinionView)
class OpinionViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "what", "contact_id_seen", "rows")
    list_filter = ("what",)
    search_fields = ("contact_id_seen",)
    date_hierarchy = "created_at"
