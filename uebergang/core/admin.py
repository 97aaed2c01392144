"""The admin reads; it writes nothing. Networks and roles change through the services
(`networks.services`, `accounts.services.network_role_grant`, the app's pages and
`manage.py`), which check the permission, bump the data version and record the history –
an edit here would do none of that."""

from django.contrib import admin

from .models import HistoryEvent, Network, NetworkRole


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Network)
class NetworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "region", "valid_from", "valid_to"]
    search_fields = ["name", "slug", "region"]


@admin.register(NetworkRole)
class NetworkRoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "network", "role"]
    list_filter = ["role", "network"]
    list_select_related = ["user", "network"]


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    """Read-only: the history is written by services only."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "network"]
    list_filter = ["action", "object_type", "network"]
    list_select_related = ["network"]
