"""Admin: the committee edits forms and questions here (per round and kind). Responses are
read-only and show no member; HasAnswered is deliberately not registered."""

from django.contrib import admin, messages

from feedback.models import Certificate, FeedbackForm, PeerObservation, Question
from feedback.services.questionnaires import copy_form_for_round
from tutors.models import RecruitmentRound


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "text", "type", "required", "per_tutor", "choices", "anchor_labels"]


@admin.register(FeedbackForm)
class FeedbackFormAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "kind"]
    list_filter = ["kind", "round"]
    inlines = [QuestionInline]
    actions = ["copy_for_latest_round"]

    @admin.action(description="Copy for the latest recruitment round (to edit per round)")
    def copy_for_latest_round(self, request, queryset):
        latest = RecruitmentRound.objects.order_by("-applications_open").first()
        if latest is None:
            self.message_user(request, "There is no recruitment round yet.", messages.ERROR)
            return
        for form in queryset:
            if FeedbackForm.objects.filter(round=latest, kind=form.kind).exists():
                self.message_user(
                    request, f"{latest} already has a form for this kind.", messages.WARNING
                )
                continue
            copy_form_for_round(form, latest, kind=form.kind)
            self.message_user(request, f"Copied {form} for {latest}.")


@admin.register(PeerObservation)
class PeerObservationAdmin(admin.ModelAdmin):
    list_display = ["session", "tutor", "observer", "created_at"]
    list_select_related = ["session", "tutor", "observer"]
    raw_id_fields = ["session", "tutor", "observer"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "holder_name", "title", "issued_at"]
    search_fields = ["code", "holder_name"]
    readonly_fields = ["code", "facts", "issued_at"]
    raw_id_fields = ["user"]
