"""History is kept: what the society must keep is never lost by a delete in the Django admin.

Foreign keys where history matters are PROTECT (a session's bookings and feedback, a member's
bookings, published allocations, certificates), so the database refuses the delete; this
admin mixin says so in the society's words on Django's "protected objects" page and points to
the action that keeps history (cancel the session, erase the member).
"""

from __future__ import annotations

from django.contrib import admin, messages


class KeepsHistoryAdmin(admin.ModelAdmin):
    keep_message = "This record is part of the society's history and cannot be deleted."

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        if getattr(response, "context_data", {}).get("protected"):
            self.message_user(request, self.keep_message, messages.WARNING)
        return response
