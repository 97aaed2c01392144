from django.contrib import admin

from .models import HistoryEvent, Network, NetworkRole


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "valid_from", "valid_to"]
    search_fields = ["name", "slug", "region"]
    readonly_fields = ["public_id", "created", "modified", "version"]


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role"]
    list_filter = ["role", "network"]
    list_select_related = ["user", "network"]


@admin.register(HistoryEvent)
class HistoryEventAdmin(admin.ModelAdmin):
    """Read-only: the history is written by services only."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "network"]
    list_filter = ["action", "object_type", "network"]
    list_select_related = ["network"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
