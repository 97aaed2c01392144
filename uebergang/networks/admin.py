"""Read-mostly admin for the platform administration; the coordination office works in the
app itself, where every change goes through the services and leaves a history record."""

from django.contrib import admin

from .models import ConstituencySeat, Partner, Person


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "network", "kind", "is_party", "valid_from", "valid_to"]
    list_filter = ["network", "kind", "is_party"]
    search_fields = ["name"]
    list_select_related = ["network"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "network", "function"]
    list_filter = ["network"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["network"]


@admin.register(ConstituencySeat)
class SeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "network", "valid_from", "valid_to"]
    list_select_related = ["network"]
