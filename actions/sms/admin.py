from django.contrib import admin

from .models import (
    Blast,
    CannedAnswer,
    Conversation,
    Inbound,
    Message,
    OptOut,
    P2PCampaign,
    PendingReport,
    SurveyAnswer,
    SurveyQuestion,
)


@admin.register(Blast)
class BlastAdmin(admin.ModelAdmin):
    list_display = ("name", "territory", "status", "recipients", "created_at", "finished_at")
    list_filter = ("status", "territory")
    search_fields = ("name",)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("to", "status", "blast", "conversation", "sent_at", "error_code")
    list_filter = ("status",)
    search_fields = ("to", "sid")
    raw_id_fields = ("contact", "blast", "conversation", "sent_by")
    show_full_result_count = False


@admin.register(Inbound)
class InboundAdmin(admin.ModelAdmin):
    list_display = ("from_number", "kind", "received_at", "body")
    list_filter = ("kind",)
    search_fields = ("from_number", "sid")
    raw_id_fields = ("contact", "conversation")
    show_full_result_count = False


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("number", "source", "created_at")
    search_fields = ("number",)
    show_full_result_count = False


@admin.register(PendingReport)
class PendingReportAdmin(admin.ModelAdmin):
    """Delivery reports waiting for their SID: applied on their own, shown for support."""

    list_display = ("sid", "status", "error_code", "received_at")
    search_fields = ("sid",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CannedAnswerInline(admin.TabularInline):
    model = CannedAnswer
    extra = 0


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(P2PCampaign)
class P2PCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "territory", "status", "created_at", "started_at", "closed_at")
    list_filter = ("status", "territory")
    search_fields = ("name",)
    inlines = [CannedAnswerInline, SurveyQuestionInline]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign")
    search_fields = ("title",)


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "campaign")
    search_fields = ("text",)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("to", "campaign", "volunteer", "status", "needs_reply", "last_message_at")
    list_filter = ("status", "needs_reply")
    search_fields = ("to",)
    raw_id_fields = ("contact", "volunteer", "campaign")
    show_full_result_count = False


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "answer", "recorded_by", "recorded_at")
    raw_id_fields = ("conversation", "question", "recorded_by")
    show_full_result_count = False
