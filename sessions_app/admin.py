"""Django admin for sessions and bookings (the committee pages are the main tool)."""

from django.contrib import admin
from django.db import models

from meded.history import KeepsHistoryAdmin
from sessions_app.models import (
    Booking,
    Resource,
    ResourceAccess,
    ResourceVersion,
    Series,
    TeachingSession,
)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "bookable_as_whole"]
    search_fields = ["title"]


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    raw_id_fields = ["student"]
    fields = ["student", "status", "joined_at", "offer_expires_at", "cancelled_late", "attended"]
    can_delete = False  # attendance is history: a booking is cancelled, never deleted


@admin.register(TeachingSession)
class TeachingSessionAdmin(KeepsHistoryAdmin):
    keep_message = (
        "A session with bookings or feedback is kept: cancel it instead (set its status to "
        "Cancelled, or cancel it from the committee's session page), so attendance and "
        "feedback stay."
    )
    list_display = ["title", "kind", "delivery", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "delivery"]
    search_fields = ["title", "topic__code", "topic__title"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    date_hierarchy = "starts_at"
    raw_id_fields = ["topic"]
    filter_horizontal = ["tutors", "target_years"]
    inlines = [BookingInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["session", "student", "status", "joined_at", "attended", "cancelled_late"]
    list_filter = ["status", "attended", "cancelled_late"]
    search_fields = ["student__email", "session__title"]
    raw_id_fields = ["session", "student"]

    def has_delete_permission(self, request, obj=None):
        return False  # attendance is history: a booking is cancelled, never deleted


# --- recordings and resources ---------------------------------------------------------------


class ResourceVersionInline(admin.TabularInline):
    """Read-only history: files are uploaded through the site, where they are validated."""

    model = ResourceVersion
    extra = 0
    can_delete = False
    fields = ["filename", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "visibility", "session", "release_at", "created"]
    list_filter = ["kind", "status", "visibility"]
    search_fields = ["title", "description", "session__title", "topics__code"]
    raw_id_fields = ["session", "uploaded_by", "published_by"]
    filter_horizontal = ["topics"]
    exclude = ["captions"]
    inlines = [ResourceVersionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ResourceAccess)
class ResourceAccessAdmin(admin.ModelAdmin):
    list_display = ["resource", "user", "kind", "at"]
    list_filter = ["kind"]
    search_fields = ["resource__title", "user__email"]
    raw_id_fields = ["resource", "user"]
    date_hierarchy = "at"
