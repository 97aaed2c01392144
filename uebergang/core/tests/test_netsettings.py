"""Per-network settings (`core.netsettings`): declared by the apps, changed by the
coordination office on one page and through the API, each change on record."""

from __future__ import annotations

import pytest

from uebergang.core import netsettings
from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent, NetworkSetting

KEY = "meetings.reply_deadline_days"
FINAL = "topics.final_decision"  # the other setting declared so far (a yes/no)
URL = "/n/osterode/einstellungen/"
API = "/api/v1/networks/osterode/settings"


def state(network):
    return (
        sorted(NetworkSetting.all_objects.filter(network=network).values_list("key", "value")),
        HistoryEvent.objects.filter(network=network).count(),
    )


def fresh(network):
    network.__dict__.pop("_uebergang_settings", None)
    return network


def test_a_declared_setting_has_its_default_until_changed(network):
    assert netsettings.get_setting(network, KEY) is None
    assert netsettings.spec_of(KEY).group == "Sitzungen"
    with pytest.raises(KeyError):
        netsettings.get_setting(network, "meetings.colour")


def test_the_office_changes_a_setting_and_the_history_says_so(network, coordinator):
    before = netsettings.fingerprint(netsettings.network_settings(network))
    values = netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: 7}, expected=before
    )
    assert values[KEY] == 7
    assert netsettings.get_setting(fresh(network), KEY) == 7
    event = HistoryEvent.objects.filter(network=network, object_type="core.networksetting").get()
    assert (event.action, event.actor_name, event.changes) == (
        "create",
        "Kim Koordinata",
        {"value": [None, 7]},
    )
    assert event.object_repr == "Antwortfrist für Einladungen (Tage vor der Sitzung)"
    # Changed again, then back to none.
    netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: 3}, expected=None
    )
    netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: None}, expected=None
    )
    assert netsettings.get_setting(fresh(network), KEY) is None
    assert [
        e.changes
        for e in HistoryEvent.objects.filter(
            network=network, object_type="core.networksetting"
        ).order_by("at", "id")
    ] == [{"value": [None, 7]}, {"value": [7, 3]}, {"value": [3, None]}]


def test_an_unchanged_value_leaves_no_record(network, coordinator):
    before = state(network)
    netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: None}, expected=None
    )
    assert state(network) == before


def test_a_member_may_not_change_settings_and_nothing_changes(network, member):
    before = state(network)
    with pytest.raises(PermissionDenied):
        netsettings.network_settings_update(
            actor=member, network=network, values={KEY: 7}, expected=None
        )
    assert state(network) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "Bitte mindestens 1 angeben."),
        (61, "Bitte höchstens 60 angeben."),
        ("7", "Bitte eine ganze Zahl angeben."),
        (True, "Bitte eine ganze Zahl angeben."),
    ],
)
def test_a_bad_value_is_refused_with_a_message_and_nothing_changes(
    network, coordinator, value, message
):
    before = state(network)
    with pytest.raises(DomainError) as info:
        netsettings.network_settings_update(
            actor=coordinator, network=network, values={KEY: value}, expected=None
        )
    assert info.value.field_errors == {KEY: [message]}
    assert state(network) == before


def test_an_unknown_setting_is_refused(network, coordinator):
    before = state(network)
    with pytest.raises(DomainError) as info:
        netsettings.network_settings_update(
            actor=coordinator, network=network, values={"meetings.colour": 1}, expected=None
        )
    assert info.value.field_errors == {"meetings.colour": ["Diese Einstellung gibt es nicht."]}
    assert state(network) == before


def test_a_save_over_a_change_made_in_between_is_refused(network, coordinator):
    seen = netsettings.fingerprint(netsettings.network_settings(network))
    netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: 5}, expected=seen
    )
    before = state(network)
    with pytest.raises(Conflict) as info:
        netsettings.network_settings_update(
            actor=coordinator, network=fresh(network), values={KEY: 9}, expected=seen
        )
    assert info.value.details["current"][KEY] == 5
    assert state(network) == before


def test_registering_another_setting_under_a_known_key_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        netsettings.register_setting(KEY, label="x", kind="bool", default=False)


# --- the page --------------------------------------------------------------------------------


def test_the_office_edits_the_settings_on_one_page(coordinator_client, network):
    page = coordinator_client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Antwortfrist für Einladungen (Tage vor der Sitzung)" in html
    assert "<legend" in html and "Sitzungen" in html
    fingerprint = page.context["form"].initial["fingerprint"]

    response = coordinator_client.post(URL, {KEY: "14", "fingerprint": fingerprint})
    assert response.status_code == 302
    assert netsettings.get_setting(fresh(network), KEY) == 14
    assert "Die Einstellungen sind gespeichert." in coordinator_client.get(URL).content.decode()


def test_the_page_shows_a_bad_value_next_to_its_field(coordinator_client, network):
    fingerprint = coordinator_client.get(URL).context["form"].initial["fingerprint"]
    response = coordinator_client.post(URL, {KEY: "0", "fingerprint": fingerprint})
    assert response.status_code == 200
    assert response.context["form"].errors[KEY] == ["Dieser Wert muss größer oder gleich 1 sein."]
    assert netsettings.get_setting(fresh(network), KEY) is None


def test_the_page_shows_both_values_after_a_change_in_between(
    coordinator_client, coordinator, network
):
    seen = coordinator_client.get(URL).context["form"].initial["fingerprint"]
    netsettings.network_settings_update(
        actor=coordinator, network=network, values={KEY: 5}, expected=None
    )
    response = coordinator_client.post(URL, {KEY: "9", FINAL: "on", "fingerprint": seen})
    assert response.status_code == 200
    assert response.context["conflict"] == [
        ("Antwortfrist für Einladungen (Tage vor der Sitzung)", "5", "9")
    ]
    assert netsettings.get_setting(fresh(network), KEY) == 5


def test_members_may_not_open_the_settings_page(member_client):
    assert member_client.get(URL).status_code == 403


# --- the API ---------------------------------------------------------------------------------


def test_a_member_reads_the_settings(member_client):
    body = member_client.get(API).json()
    assert body["items"] == [
        {
            "key": KEY,
            "label": "Antwortfrist für Einladungen (Tage vor der Sitzung)",
            "help_text": (
                "Bis wann die Eingeladenen antworten sollen; erscheint bei ihnen als Frist in "
                "„Meine Aufgaben“. Leer: keine Frist."
            ),
            "group": "Sitzungen",
            "kind": "int",
            "value": None,
            "default": None,
            "optional": True,
            "minimum": 1,
            "maximum": 60,
            "choices": [],
        },
        {
            "key": FINAL,
            "label": "Das Entscheidungsgremium entscheidet abschließend über jedes Thema",
            "help_text": (
                "An: Nach der Empfehlung des Beirats gibt die Koordinierungsstelle das Thema an "
                "das Entscheidungsgremium zurück, das es beschließt, ändert, ablehnt oder "
                "zurückgibt. Aus: Mit der Empfehlung des Beirats ist das Thema abgeschlossen (so "
                "endet der Weg in der Kooperationsvereinbarung, II.1.d)."
            ),
            "group": "Themen",
            "kind": "bool",
            "value": True,
            "default": True,
            "optional": False,
            "minimum": None,
            "maximum": None,
            "choices": [],
        },
    ]
    assert len(body["fingerprint"]) == 16


def test_the_office_changes_settings_through_the_api(coordinator_client, network):
    seen = coordinator_client.get(API).json()["fingerprint"]
    response = coordinator_client.put(
        API, {"fingerprint": seen, "values": {KEY: 10}}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["items"][0]["value"] == 10
    stale = coordinator_client.put(
        API, {"fingerprint": seen, "values": {KEY: 11}}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["details"]["current"] == {KEY: 10, FINAL: True}
    bad = coordinator_client.put(API, {"values": {KEY: 0}}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["field_errors"] == {KEY: ["Bitte mindestens 1 angeben."]}
    assert netsettings.get_setting(fresh(network), KEY) == 10


def test_a_member_may_not_change_settings_through_the_api(member_client, network):
    before = state(network)
    response = member_client.put(API, {"values": {KEY: 10}}, content_type="application/json")
    assert response.status_code == 403
    assert state(network) == before
