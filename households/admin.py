from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdmin
from households.idnumbers import shown_id_number
from households.models import (
    DiaryEntry,
    Household,
    IncomeCheck,
    Member,
    Pairing,
    RosterImport,
    Visit,
    VisitPhoto,
    ZoneChange,
)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("name", "relation", "id_number", "birth_date", "health", "disability", "schooling")


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = (
        "head_name",
        "village",
        "group_name",
        "poverty_status",
        "zone",
        "is_dispute",
        "is_unstable_mood",
        "is_special_hardship",
    )
    list_filter = (
        "poverty_status",
        "monitoring_category",
        "zone",
        "is_dispute",
        "is_unstable_mood",
        "is_special_hardship",
        "is_five_guarantee",
        "village__township__banner",
    )
    search_fields = ("head_name", "head_id_number", "village__name", "group_name")
    list_select_related = ("village",)
    raw_id_fields = ("village",)
    readonly_fields = ("zone", "zone_overridden", "key_since", "poor_since")
    inlines = [MemberInline]

    @admin.display(description=_("head's ID number"))
    def shown_head_id(self, obj):
        return shown_id_number(
            self._request.user, village_id=obj.village_id, value=obj.head_id_number
        )

    def get_queryset(self, request):
        self._request = request
        return super().get_queryset(request)


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    list_display = ("name", "relation", "household", "health")
    list_filter = ("relation", "health")
    search_fields = ("name", "id_number", "household__head_name")
    list_select_related = ("household",)
    raw_id_fields = ("household",)

    def get_list_display(self, request):
        @admin.display(description=_("ID number"))
        def shown_id(obj):
            return shown_id_number(
                request.user, village_id=obj.household.village_id, value=obj.id_number
            )

        return (*self.list_display[:2], shown_id, *self.list_display[2:])

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(household__in=Household.objects.visible_to(request.user))


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    readonly_fields = ("taken_at", "width", "height")


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    list_display = ("household", "date", "kind", "team", "follow_up_needed")
    list_filter = ("kind", "follow_up_needed", "date")
    search_fields = ("household__head_name", "findings", "help_given")
    list_select_related = ("household", "team")
    raw_id_fields = ("household", "team", "logged_by")
    filter_horizontal = ("visitors",)
    date_hierarchy = "date"
    inlines = [VisitPhotoInline]


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ScopedAdmin):
    list_display = ("village", "date", "author")
    list_filter = ("date",)
    search_fields = ("village__name", "text")
    list_select_related = ("village", "author")
    raw_id_fields = ("village", "team", "author")


@admin.register(Pairing)
class PairingAdmin(ScopedAdmin):
    list_display = ("household", "cadre", "start_date", "end_date")
    list_filter = ("end_date",)
    search_fields = ("household__head_name", "cadre__name")
    list_select_related = ("household", "cadre")
    raw_id_fields = ("household", "cadre", "created_by")


@admin.register(IncomeCheck)
class IncomeCheckAdmin(ScopedAdmin):
    list_display = ("household", "year", "per_capita_income", "computed_zone")
    list_filter = ("year", "computed_zone")
    search_fields = ("household__head_name",)
    list_select_related = ("household",)
    raw_id_fields = ("household", "checked_by")


@admin.register(ZoneChange)
class ZoneChangeAdmin(ScopedAdmin):
    """History is append-only: kept with who and why (R27)."""

    list_display = ("household", "from_zone", "to_zone", "is_override", "changed_by", "changed_at")
    list_filter = ("to_zone", "is_override")
    search_fields = ("household__head_name", "reason")
    list_select_related = ("household", "changed_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(household__in=Household.objects.visible_to(request.user))


@admin.register(RosterImport)
class RosterImportAdmin(ScopedAdmin):
    list_display = ("file", "user", "status", "total_rows", "created_at")
    list_filter = ("status",)
    search_fields = ("file", "user__username")
    list_select_related = ("user",)
