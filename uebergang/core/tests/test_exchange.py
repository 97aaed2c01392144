"""Export and import of a whole network (core.exchange) and the operator commands."""

from __future__ import annotations

import copy
import datetime
import io
import json
import re
import uuid

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from uebergang.accounts.forms import ResetForm
from uebergang.accounts.models import User
from uebergang.core import exchange
from uebergang.core.exchange import (
    ImportRefused,
    ImportReport,
    delete_network,
    dumps,
    export_network,
    import_network,
)
from uebergang.core.models import HistoryEvent, Network, NetworkRole
from uebergang.networks import demo
from uebergang.networks.models import Partner, Person
from uebergang.networks.tests.factories import make_partner

pytestmark = pytest.mark.clock

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def all_row_counts() -> dict[str, int]:
    """Rows of every table of the installation (soft-deleted included)."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def refused(data, **kwargs) -> list[str]:
    before = all_row_counts()
    with pytest.raises(ImportRefused) as info:
        import_network(data, **kwargs)
    assert all_row_counts() == before, "a refused import must change nothing"
    return info.value.messages


def networks_part(data):
    return data["parts"]["networks"]


# --- export ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_has_the_documented_shape_and_no_database_ids(demo_network):
    network = demo_network
    data = export_network(network)

    assert set(data) == {"format", "format_version", "network", "accounts", "parts", "history"}
    assert data["format"] == "uebergang-network"
    assert data["format_version"] == 1
    assert data["network"]["slug"] == "osterode"
    assert data["network"]["public_id"] == str(network.public_id)
    assert set(data["parts"]) == {"settings", "networks", "bodies", "meetings", "topics"}
    assert set(networks_part(data)) == {
        "partners",
        "partner_names",
        "people",
        "representations",
        "successions",
        "constituency_seats",
        "seat_assignments",
        "seat_holdings",
        "network_logos",
    }
    assert [a["email"] for a in data["accounts"]] == [demo.MEMBER_EMAIL, demo.COORDINATION_EMAIL]
    assert data["accounts"][1]["display_name"] == "Erika Musterfrau"
    assert [r["role"] for r in data["accounts"][1]["roles"]] == ["coordination"]

    def walk(value, path="$"):
        if isinstance(value, dict):
            assert "id" not in value, path
            assert "password" not in value, path
            assert "network" not in value or path == "$", path
            for key, item in value.items():
                yield from walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, f"{path}[{i}]")
        else:
            yield path, value

    for path, value in walk(data):
        key = path.rsplit(".", 1)[-1]
        if key in ("created", "modified", "at") or (key == "deleted_at" and value):
            assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$", value), path
        if key in ("valid_from", "date") or (key == "valid_to" and value):
            assert re.match(r"^\d{4}-\d\d-\d\d$", value), path
        if key == "public_id":
            assert UUID_RE.match(value), path
        if isinstance(value, int) and not isinstance(value, bool):
            # (a number in a history change counts under its field: `field[1]`)
            assert re.sub(r"\[\d+\]$", "", key) in (
                "version",
                "format_version",
                "invitation_period_days",
                "quorum_minimum",
                # meetings: invitation updates, agenda numbers, file sizes, delivery attempts
                "sequence",
                "delivered_sequence",
                "position",
                "size",
                "attempts",
                # a network's setting (core.netsettings), e.g. a reply deadline in days
                "value",
                # a decision's number ("BR 2026/04") and its votes
                "year",
                "number",
                "votes_yes",
                "votes_no",
                "votes_abstain",
                # a topic's round (2 after the decision board sent it back)
                "round",
            ), f"{path}: a number that is not a version"

    # Lists are sorted by public id (records) or e-mail (accounts); history by time.
    for records in networks_part(data).values():
        ids = [r["public_id"] for r in records]
        assert ids == sorted(ids)
    at = [e["at"] for e in data["history"]]
    assert at == sorted(at)


@pytest.mark.django_db
def test_export_refers_by_public_id_and_account_email(demo_network):
    network = demo_network
    data = export_network(network)
    part = networks_part(data)
    partners = {p["public_id"]: p for p in part["partners"]}
    person = next(p for p in part["people"] if p["email"] == demo.MEMBER_EMAIL)
    assert person["user"] == demo.MEMBER_EMAIL
    assert (
        partners[person["organisation"]]["name"] == "Industrie und Handelskammer Osterode am Harz"
    )
    succession = part["successions"][0]
    assert partners[succession["predecessor"]]["name"] == "Landkreis Osterode am Harz"
    assert partners[succession["successor"]]["name"] == "Landkreis Göttingen"
    event = next(e for e in data["history"] if e["action"] == "succession")
    assert event["actor"] is None and event["actor_name"] == "System"
    assert event["object_type"] == "networks.succession"
    assert event["object_id"] == succession["public_id"]
    assert partners[event["parent_id"]]["name"] == "Landkreis Osterode am Harz"
    # The network's own creation is part of its history.
    assert data["history"][0]["object_type"] == "core.network"


@pytest.mark.django_db
def test_export_includes_soft_deleted_rows_and_import_restores_them(demo_data, demo_network):
    network = demo_network
    person = Person.objects.get(network=network, last_name="Fiktiv")
    person.deleted_at = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)
    person.save(update_fields=["deleted_at"])
    data = export_network(network)
    record = next(p for p in networks_part(data)["people"] if p["last_name"] == "Fiktiv")
    assert record["deleted_at"] == "2024-03-01T13:00:00+01:00"

    import_network(data, replace=True)
    restored = Person.all_objects.get(public_id=person.public_id)
    assert restored.deleted_at == person.deleted_at
    assert not Person.objects.filter(public_id=person.public_id).exists()


@pytest.mark.django_db
def test_export_of_a_network_in_another_network_context_stays_separate(other_network, demo_network):
    make_partner(other_network, "Fremde Schule")
    data = export_network(Network.objects.get(slug="osterode"))
    names = {p["name"] for p in networks_part(data)["partners"]}
    assert "Fremde Schule" not in names
    other = export_network(other_network)
    assert [p["name"] for p in networks_part(other)["partners"]] == ["Fremde Schule"]
    assert other["accounts"] == []


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_is_byte_for_byte_identical():
    network = demo.build_demo()
    first = dumps(export_network(network))

    imported = import_network(json.loads(first), replace=True)
    second = dumps(export_network(imported))
    assert second == first

    # Into an installation without the network (deleted, accounts kept).
    delete_network(imported)
    assert not Network.all_objects.exists()
    third = dumps(export_network(import_network(json.loads(first))))
    assert third == first


@pytest.mark.django_db
def test_import_into_an_empty_installation_creates_everything(demo_data):
    report = ImportReport()
    network = import_network(demo_data, report=report)

    assert network.slug == "osterode"
    assert str(network.public_id) == demo_data["network"]["public_id"]
    part = networks_part(demo_data)
    assert Partner.objects.filter(network=network).count() == len(part["partners"])
    assert HistoryEvent.objects.filter(network=network).count() == len(demo_data["history"])
    assert report.created_accounts == [demo.MEMBER_EMAIL, demo.COORDINATION_EMAIL]
    assert report.counts["networks.partner"] == len(part["partners"])
    coordination = User.objects.get(email=demo.COORDINATION_EMAIL)
    assert NetworkRole.objects.get(network=network, user=coordination).role == "coordination"
    person = Person.objects.get(network=network, user=coordination)
    assert person.last_name == "Musterfrau"
    assert dumps(export_network(network)) == dumps(demo_data)


@pytest.mark.django_db
def test_new_accounts_have_no_known_password_and_can_reset_it(demo_data):
    import_network(demo_data)
    user = User.objects.get(email=demo.MEMBER_EMAIL)
    assert user.display_name == "Max Mustermann"
    assert not user.check_password(demo.DEMO_PASSWORD)
    assert not user.check_password("")
    # "Passwort vergessen" only mails accounts with a usable password.
    assert list(ResetForm().get_users(demo.MEMBER_EMAIL)) == [user]


@pytest.mark.django_db
def test_existing_accounts_with_the_same_email_are_reused(demo_data, make_user):
    existing = make_user("IHK@osterode.example", name="Schon Da", password="Eigenes-Passwort-1")
    report = ImportReport()
    network = import_network(demo_data, report=report)

    assert report.reused_accounts == [demo.MEMBER_EMAIL]
    assert report.created_accounts == [demo.COORDINATION_EMAIL]
    existing.refresh_from_db()
    assert existing.display_name == "Schon Da"
    assert existing.check_password("Eigenes-Passwort-1")
    assert User.objects.filter(email__iexact=demo.MEMBER_EMAIL).count() == 1
    assert NetworkRole.objects.get(network=network, user=existing).role == "member"
    assert Person.objects.get(network=network, user=existing).first_name == "Max"


# --- replace ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_existing_slug_is_refused_without_replace(demo_data):
    import_network(copy.deepcopy(demo_data))
    messages = refused(demo_data)
    assert messages == [
        "Das Netzwerk „osterode“ gibt es in dieser Installation schon. Zum Ersetzen mit "
        "--replace importieren (alle seine Daten werden dabei gelöscht)."
    ]


@pytest.mark.django_db
def test_replace_deletes_the_existing_network_with_all_its_rows(demo_data, other_network):
    network = import_network(copy.deepcopy(demo_data))
    added = make_partner(network, "Nach dem Export angelegt")
    foreign = make_partner(other_network, "Bleibt")
    counts = all_row_counts()

    report = ImportReport()
    replaced = import_network(demo_data, replace=True, report=report)

    assert report.replaced
    assert replaced.pk != network.pk
    assert not Partner.all_objects.filter(pk=added.pk).exists()
    assert not HistoryEvent.objects.filter(object_id=added.public_id).exists()
    assert Partner.objects.filter(pk=foreign.pk).exists()
    after = all_row_counts()
    assert after["networks.Partner"] == counts["networks.Partner"] - 1
    assert after["networks.PartnerName"] == counts["networks.PartnerName"] - 1
    assert after["accounts.User"] == counts["accounts.User"]
    assert Network.all_objects.filter(slug="osterode").count() == 1


@pytest.mark.django_db
def test_replace_keeps_the_old_network_when_the_file_is_refused(demo_data):
    network = import_network(copy.deepcopy(demo_data))
    bad = copy.deepcopy(demo_data)
    networks_part(bad)["partners"][0]["kind"] = "castle"
    messages = refused(bad, replace=True)
    assert len(messages) == 1 and "„kind“" in messages[0]
    assert Network.objects.get(slug="osterode").pk == network.pk


# --- refusals --------------------------------------------------------------------------------


def _partner(data, index):
    record = networks_part(data)["partners"][index]
    return record, f"partners[{index}] (public_id {record['public_id']})"


@pytest.mark.django_db
def test_unknown_format_is_refused(demo_data):
    demo_data["format"] = "irgendwas"
    assert refused(demo_data) == ['„format“ muss „uebergang-network“ sein (ist: "irgendwas")']


@pytest.mark.django_db
def test_unknown_format_version_is_refused(demo_data):
    demo_data["format_version"] = 2
    assert refused(demo_data) == [
        "„format_version“ 2 wird nicht unterstützt; diese Installation liest Version 1."
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_an_object_is_refused():
    assert refused([1, 2]) == ["Die Datei enthält kein JSON-Objekt."]


@pytest.mark.django_db
def test_missing_required_field_is_refused(demo_data):
    record, where = _partner(demo_data, 3)
    del record["name"]
    assert refused(demo_data) == [f"{where}: Pflichtfeld „name“ fehlt"]


@pytest.mark.django_db
def test_wrong_type_is_refused(demo_data):
    record, where = _partner(demo_data, 3)
    record["is_party"] = "ja"
    assert refused(demo_data) == [f'{where}: „is_party“ muss true oder false sein (ist: "ja")']


@pytest.mark.django_db
def test_bad_date_is_refused(demo_data):
    record, where = _partner(demo_data, 3)
    record["valid_from"] = "2013-02-30"
    assert refused(demo_data) == [
        f'{where}: „valid_from“ muss ein Datum der Form JJJJ-MM-TT sein (ist: "2013-02-30")'
    ]


@pytest.mark.django_db
def test_datetime_without_time_zone_is_refused(demo_data):
    demo_data["history"][0]["at"] = "2026-01-01T10:00:00"
    assert refused(demo_data) == [
        "history[0]: „at“ muss ein Zeitpunkt nach ISO 8601 mit Zeitzone sein, "
        'z. B. 2026-05-04T09:30:00+02:00 (ist: "2026-01-01T10:00:00")'
    ]


@pytest.mark.django_db
def test_valid_to_before_valid_from_is_refused(demo_data):
    index = next(
        i for i, p in enumerate(networks_part(demo_data)["partners"]) if p["valid_to"] is None
    )
    record, where = _partner(demo_data, index)
    record["valid_to"] = "2012-12-31"
    assert refused(demo_data) == [
        f"{where}: valid_to liegt vor valid_from (2012-12-31 < {record['valid_from']})"
    ]


@pytest.mark.django_db
def test_reference_to_an_unknown_public_id_is_refused(demo_data):
    record = networks_part(demo_data)["representations"][0]
    unknown = str(uuid.uuid4())
    record["partner"] = unknown
    assert refused(demo_data) == [
        f"representations[0] (public_id {record['public_id']}): „partner“ verweist auf die "
        f"unbekannte öffentliche ID {unknown}"
    ]


@pytest.mark.django_db
def test_duplicate_public_id_is_refused(demo_data):
    first = demo_data["network"]["names"][0]
    record = networks_part(demo_data)["partner_names"][0]
    record["public_id"] = first["public_id"]
    assert refused(demo_data) == [
        f"partner_names[0] (public_id {first['public_id']}): die öffentliche ID kommt in der "
        f"Datei mehrfach vor (zuerst in network.names[0] (public_id {first['public_id']}))"
    ]


@pytest.mark.django_db
def test_public_id_of_another_network_is_refused(demo_data, other_network):
    record, where = _partner(demo_data, 0)
    foreign = make_partner(other_network, "Fremde Schule")
    Partner.all_objects.filter(pk=foreign.pk).update(public_id=record["public_id"])
    assert refused(demo_data) == [
        f"{where}: die öffentliche ID gehört in dieser Installation schon zu einem Datensatz "
        "des Netzwerks „anderswo“"
    ]


@pytest.mark.django_db
def test_network_public_id_of_another_network_is_refused(demo_data, other_network):
    demo_data["network"]["public_id"] = str(other_network.public_id)
    assert refused(demo_data) == [
        f"network (public_id {other_network.public_id}): die öffentliche ID gehört in dieser "
        "Installation schon zu einem Datensatz des Netzwerks „anderswo“"
    ]


@pytest.mark.django_db
def test_reference_to_an_account_not_in_the_file_is_refused(demo_data):
    demo_data["accounts"] = [a for a in demo_data["accounts"] if a["email"] != demo.MEMBER_EMAIL]
    index, person = next(
        (i, p)
        for i, p in enumerate(networks_part(demo_data)["people"])
        if p["user"] == demo.MEMBER_EMAIL
    )
    assert refused(demo_data) == [
        f"people[{index}] (public_id {person['public_id']}): „user“ verweist auf das Konto "
        f'"{demo.MEMBER_EMAIL}", das nicht unter „accounts“ steht'
    ]


@pytest.mark.django_db
def test_unknown_fields_parts_and_keys_are_refused(demo_data):
    record, where = _partner(demo_data, 1)
    record["colour"] = "blau"
    demo_data["parts"]["protokolle"] = {}
    demo_data["extra"] = 1
    assert refused(demo_data) == ["unbekannter Eintrag „extra“ auf oberster Ebene"]
    del demo_data["extra"]
    assert refused(demo_data) == [
        "unbekannter Teil „protokolle“ unter „parts“ "
        "(diese Installation kennt: settings, networks, bodies, meetings, topics)",
        f"{where}: unbekanntes Feld „colour“",
    ]


@pytest.mark.django_db
def test_bad_account_and_role_are_refused(demo_data):
    demo_data["accounts"][0]["email"] = "keine-adresse"
    demo_data["accounts"][1]["roles"][0]["role"] = "chef"
    messages = refused(demo_data)
    assert (
        messages[0]
        == 'accounts[0] (keine-adresse): „email“ ist keine gültige E-Mail-Adresse: "keine-adresse"'
    )
    role_id = demo_data["accounts"][1]["roles"][0]["public_id"]
    assert messages[1].startswith(f"accounts[1].roles[0] (public_id {role_id}): „role“: ")
    assert "chef" in messages[1]


@pytest.mark.django_db
def test_all_problems_are_reported_at_once(demo_data):
    _partner(demo_data, 0)[0]["name"] = ""
    _partner(demo_data, 1)[0]["valid_from"] = "gestern"
    demo_data["history"][2]["action"] = 7
    messages = refused(demo_data)
    assert [m.split(":")[0] for m in messages] == [
        _partner(demo_data, 0)[1],
        _partner(demo_data, 1)[1],
        "history[2]",
    ]


# --- date shift ------------------------------------------------------------------------------


# --- parts registry --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_registered_part_is_exported_and_its_writer_runs_only_for_a_valid_file(
    demo_data, monkeypatch
):
    monkeypatch.setattr(exchange, "_PARTS", dict(exchange._PARTS))
    written = []

    def export_fn(network, ctx):
        return {"slug_again": network.slug}

    def import_fn(section, ctx):
        if section.get("slug_again") != "osterode":
            ctx.error("parts.probe", "falscher Kurzname")
        return lambda: written.append(ctx.network.slug)

    exchange.register_part("probe", 99, export_fn, import_fn)
    assert [p.name for p in exchange.registered_parts()] == [
        "settings",
        "networks",
        "bodies",
        "meetings",
        "topics",
        "probe",
    ]

    demo_data["parts"]["probe"] = {"slug_again": "nein"}
    assert refused(demo_data) == ["parts.probe: falscher Kurzname"]
    assert written == []
    demo_data["parts"]["probe"] = {"slug_again": "osterode"}
    network = import_network(demo_data)
    assert written == ["osterode"]
    assert export_network(network)["parts"]["probe"] == {"slug_again": "osterode"}


# --- commands --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_command_writes_stdout_or_a_file(tmp_path, capsys, demo_network):
    network = demo_network
    expected = dumps(export_network(network)) + "\n"

    call_command("export_network", "osterode")
    assert capsys.readouterr().out == expected

    target = tmp_path / "osterode.json"
    call_command("export_network", "osterode", "-o", str(target))
    assert target.read_text(encoding="utf-8") == expected
    assert "exportiert nach" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_command_refuses_an_unknown_network():
    with pytest.raises(CommandError, match="Kein Netzwerk mit dem Kurznamen „nirgendwo“."):
        call_command("export_network", "nirgendwo")


@pytest.mark.django_db
def test_import_command_imports_refuses_and_replaces(tmp_path, demo_data):
    path = tmp_path / "netz.json"
    path.write_text(dumps(demo_data), encoding="utf-8")
    out = io.StringIO()
    call_command("import_network", str(path), stdout=out)
    text = out.getvalue()
    assert (
        "Netzwerk „Übergang Schule–Beruf im Landkreis Osterode am Harz“ importiert: /n/osterode/"
        in text
    )
    assert "networks.partner: 27" in text
    assert "2 Konten angelegt" in text

    err = io.StringIO()
    with pytest.raises(
        CommandError, match=r"Der Import wurde abgelehnt \(1 Fehler\); es wurde nichts geändert."
    ):
        call_command("import_network", str(path), stderr=err)
    assert "Das Netzwerk „osterode“ gibt es in dieser Installation schon." in err.getvalue()

    out = io.StringIO()
    call_command("import_network", str(path), "--replace", stdout=out)
    assert "ersetzt: /n/osterode/" in out.getvalue()
    assert "2 vorhandene Konten übernommen" in out.getvalue()
    assert Network.objects.filter(slug="osterode").count() == 1


@pytest.mark.django_db
def test_import_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "kaputt.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(CommandError, match="Die Datei ist kein gültiges JSON"):
        call_command("import_network", str(path))
    with pytest.raises(CommandError, match="Die Datei lässt sich nicht lesen"):
        call_command("import_network", str(tmp_path / "fehlt.json"))


@pytest.mark.django_db
def test_import_command_lists_every_message(tmp_path, demo_data):
    _partner(demo_data, 0)[0]["is_party"] = "ja"
    _partner(demo_data, 1)[0]["valid_from"] = "2013-13-01"
    path = tmp_path / "netz.json"
    path.write_text(dumps(demo_data), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"\(2 Fehler\)"):
        call_command("import_network", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"  {_partner(demo_data, 0)[1]}: „is_party“")
    assert lines[1].startswith(f"  {_partner(demo_data, 1)[1]}: „valid_from“")
    assert not Network.objects.exists()


@pytest.mark.django_db
def test_delete_network_removes_every_row_of_the_network(demo_data, other_network):
    make_partner(other_network, "Bleibt")
    before = all_row_counts()
    network = import_network(demo_data)
    make_partner(network, "Dazugekommen")
    delete_network(network)
    after = all_row_counts()
    assert after.pop("accounts.User") == before.pop("accounts.User") + 2
    assert after == before


@pytest.mark.django_db
def test_an_account_with_two_valid_roles_is_refused(demo_data):
    roles = demo_data["accounts"][0]["roles"]
    roles.append({**roles[0], "public_id": str(uuid.uuid4()), "role": "coordination"})
    assert refused(demo_data) == [
        "accounts[0].roles: ein Konto kann nur eine gültige Rolle (ohne deleted_at) haben"
    ]
    roles[1]["deleted_at"] = "2020-01-01T00:00:00+01:00"
    network = import_network(demo_data)
    assert (
        NetworkRole.all_objects.filter(network=network, user__email=demo.MEMBER_EMAIL).count() == 2
    )
    assert NetworkRole.objects.get(network=network, user__email=demo.MEMBER_EMAIL).role == "member"
