from django.contrib import admin

from .models import CanvassCampaign, Door, Question, Resident, Turf, Visit


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(CanvassCampaign)
class CanvassCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("name",)
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "campaign")


@admin.register(Turf)
class TurfAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "doors_count")
    search_fields = ("name",)
    filter_horizontal = ("volunteers",)


@admin.register(Door)
class DoorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "turf", "commune", "position")
    search_fields = ("street",)
    raw_id_fields = ("turf",)
    show_full_result_count = False


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ("contact", "door", "turf")
    raw_id_fields = ("contact", "door", "turf", "campaign")
    show_full_result_count = False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("door", "result", "volunteer", "visited_at")
    list_filter = ("result",)
    raw_id_fields = ("door", "contact", "turf", "campaign", "volunteer")
    show_full_result_count = False
