from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from meded.history import KeepsHistoryAdmin
from meded.models import EmailPreference, Module, SentEmail, Topic, User, Year


@admin.register(User)
class UserAdmin(KeepsHistoryAdmin, DjangoUserAdmin):
    keep_message = (
        "A member with bookings, allocations or certificates is never deleted: erase their "
        "account instead (Committee > Years of study > Erase a member's account), which "
        "anonymises it and keeps the society's records consistent."
    )
    ordering = ["email"]
    list_display = ["email", "full_name", "year_of_study", "is_active", "is_superuser"]
    list_filter = ["year_of_study", "is_active", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Member", {"fields": ["full_name", "year_of_study"]}),
        ("Roles", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "year_of_study", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "module"]
    list_filter = ["module", "years"]
    search_fields = ["code", "title"]
    filter_horizontal = ["years"]
    list_select_related = ["module"]


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "kind", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "object_key"]
    readonly_fields = [f.name for f in SentEmail._meta.fields]

    def get_queryset(self, request):
        """Counted kinds (feedback requests) never by recipient: see the outbox's counts."""
        from meded.notifications.kinds import counted_kinds

        return super().get_queryset(request).exclude(kind__in=counted_kinds())


admin.site.register(EmailPreference)
admin.site.site_header = "meded administration"


def admin_login(request, extra_context=None):
    """The Django admin has no login of its own: it is the site's login (allauth), with the same
    rate limits, lockout and email verification. A member signed in without admin rights gets
    the 403 page (not a redirect loop back to the login)."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme, urlencode

    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        wanted = ""
    wanted = wanted or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(wanted)
        raise PermissionDenied("The admin is for committee members with admin rights.")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': wanted})}")


admin.site.login = admin_login
