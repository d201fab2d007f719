"""Admin for recruitment (read and fix data; the committee pages are the normal tools)."""

from django.contrib import admin
from django.db import models

from tutors.models import (
    Answer,
    Application,
    InterviewBooking,
    InterviewScore,
    InterviewSlot,
    Question,
    RecruitmentRound,
    Review,
    RubricCriterion,
)


class CriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "state", "applications_open", "applications_close"]
    list_filter = ["state"]
    inlines = [CriterionInline, QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "applicant", "status", "decision", "submitted_at"]
    list_filter = ["round", "status", "decision"]
    search_fields = ["applicant__email", "applicant__full_name"]
    list_select_related = ["round", "applicant"]
    raw_id_fields = ["applicant", "decided_by"]
    inlines = [AnswerInline]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "capacity", "location"]
    list_filter = ["round"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


admin.site.register([Review, InterviewScore, InterviewBooking])


# --- Topic offerings, rankings and allocation runs (issue 4) -----------------------------
from tutors.models import AllocatedTopic, AllocationOverride, AllocationRun, Offering, Ranking  # noqa: E402


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["topic", "round", "capacity", "format", "min_tutor_year"]
    list_filter = ["round", "format"]
    search_fields = ["topic__code", "topic__title"]
    list_select_related = ["topic", "round"]


@admin.register(Ranking)
class RankingAdmin(admin.ModelAdmin):
    list_display = ["tutor", "rank", "offering", "round", "saved_at"]
    list_filter = ["round"]
    search_fields = ["tutor__email", "offering__topic__code"]
    list_select_related = ["tutor", "offering__topic", "round"]


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    """Runs are an audit trail: readable here, created and published from the committee page."""

    list_display = ["pk", "round", "objective", "seed", "created_by", "created_at", "is_published"]
    list_filter = ["round", "objective", "is_published"]
    readonly_fields = [f.name for f in AllocationRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A published allocation is what tutors were told and sessions were built from.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


@admin.register(AllocationOverride)
class AllocationOverrideAdmin(admin.ModelAdmin):
    list_display = ["round", "tutor", "offering", "kind", "created_by", "created_at"]
    list_filter = ["round", "kind"]


admin.site.register(AllocatedTopic)


from tutors.models import FastTrackRule, TutorConcern  # noqa: E402


@admin.register(FastTrackRule)
class FastTrackRuleAdmin(admin.ModelAdmin):
    list_display = ["round", "enabled", "min_sessions", "min_mean", "min_responses"]


@admin.register(TutorConcern)
class TutorConcernAdmin(admin.ModelAdmin):
    list_display = ["tutor", "summary", "raised_at", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["tutor", "raised_by"]
