from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uebergang.core.permissions import NETWORK_MANAGE

from . import netsettings
from .errors import Conflict, DomainError
from .models import Network
from .navigation import nav_urls
from .web import add_domain_error, network_view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The networks the user takes part in; straight to the only one if there is one."""
    networks = list(
        Network.objects.filter(roles__user=request.user, roles__deleted_at__isnull=True).order_by(
            "name"
        )
    )
    if len(networks) == 1:
        return redirect("networks:start", network=networks[0].slug)
    return render(request, "core/home.html", {"networks": networks})


def health(request: HttpRequest) -> HttpResponse:
    """A trivial view: liveness check and the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")


# --- the network's settings (core.netsettings) --------------------------------------------


@network_view(NETWORK_MANAGE)
def network_settings(request: HttpRequest) -> HttpResponse:
    """Every setting the apps declare, on one page for the coordination office."""
    network = request.network  # type: ignore[attr-defined]
    current = netsettings.network_settings(network)
    form = SettingsForm(request.POST or None, values=current)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            netsettings.network_settings_update(
                actor=request.user,
                network=network,
                values={s.key: form.cleaned_data[s.key] for s in netsettings.specs()},
                expected=form.cleaned_data["fingerprint"],
            )
        except Conflict as error:
            add_domain_error(form, error)
            fresh = error.details["current"]
            conflict = [
                (s.label, _show(s, fresh[s.key]), _show(s, form.cleaned_data[s.key]))
                for s in netsettings.specs()
                if fresh[s.key] != form.cleaned_data[s.key]
            ]
            data = form.data.copy()
            data["fingerprint"] = error.details["fingerprint"]
            form.data = data
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Die Einstellungen sind gespeichert."))
            return redirect("network_settings", network=network.slug)
    return render(
        request,
        "core/network_settings.html",
        {
            "section": "settings",
            "form": form,
            "groups": form.groups(),
            "conflict": conflict,
            "breadcrumbs": [
                (network.name, nav_urls(network.slug)["start"]),
                (_("Einstellungen"), None),
            ],
        },
    )


def _show(spec: netsettings.SettingSpec, value: Any) -> str:
    if value is None:
        return "–"
    if spec.kind == "bool":
        return _("ja") if value else _("nein")
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    return str(value)


class SettingsForm(forms.Form):
    """One field per declared setting, and the fingerprint of the values shown."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, values: dict[str, Any]) -> None:
        super().__init__(data, initial={**values, "fingerprint": netsettings.fingerprint(values)})
        for spec in netsettings.specs():
            self.fields[spec.key] = _field_for(spec)

    def groups(self) -> list[tuple[Any, list]]:
        grouped: dict[str, tuple[Any, list]] = {}
        for spec in netsettings.specs():
            grouped.setdefault(str(spec.group), (spec.group, []))[1].append(self[spec.key])
        return list(grouped.values())


def _field_for(spec: netsettings.SettingSpec) -> forms.Field:
    common = {"label": spec.label, "help_text": spec.help_text}
    if spec.kind == "bool":
        return forms.BooleanField(required=False, **common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=spec.choices, **common)
    return forms.IntegerField(
        required=not spec.optional, min_value=spec.minimum, max_value=spec.maximum, **common
    )
