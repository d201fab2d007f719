from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from meded.models import EmailPreference, Module, SentEmail, Topic, User, Year


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
