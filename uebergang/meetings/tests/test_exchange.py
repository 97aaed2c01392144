"""The meetings' part of the exchange file: meetings with agenda, documents (with their
bytes), invitations, attendance, minutes with tasks and corrections, network days with
invitations and registrations travel with the network and come back byte for byte."""

from __future__ import annotations

import base64
import copy
import hashlib
import json

import pytest
from django.apps import apps
from django.db import transaction

from uebergang.core.exchange import ImportRefused, dumps, export_network, import_network
from uebergang.core.models import Network
from uebergang.meetings.exchange import COLLECTIONS
from uebergang.meetings.models import CalendarFeed, Document, Meeting, Minutes
from uebergang.networks import demo

pytestmark = pytest.mark.clock

KEYS = [c.key for c in COLLECTIONS]


def all_row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def part(data):
    return data["parts"]["meetings"]


def where(data, collection, index) -> str:
    return f"{collection}[{index}] (public_id {part(data)[collection][index]['public_id']})"


def refused(data, **kwargs) -> list[str]:
    before = all_row_counts()
    with pytest.raises(ImportRefused) as info:
        import_network(data, **kwargs)
    assert all_row_counts() == before
    return info.value.messages


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_file(db, media, demo_export) -> str:
    """The demo network (with meetings, minutes and network days, as the session built it)
    exported from a transaction that is rolled back: this installation has never seen it. A
    calendar feed exists in it, and must not travel."""
    from uebergang.accounts.models import User
    from uebergang.meetings import services

    with transaction.atomic():
        network = import_network(copy.deepcopy(demo_export))
        user = User.objects.get(email=demo.COORDINATION_EMAIL)
        services.calendar_feed_create(actor=user, network=network, name="Alle Sitzungen")
        text = dumps(export_network(network))
        transaction.set_rollback(True)
    assert not Network.all_objects.exists()
    return text


def test_round_trip_is_byte_identical_with_meetings(demo_file):
    # when
    network = import_network(json.loads(demo_file))
    again = dumps(export_network(network))
    # then
    assert again == demo_file
    data = json.loads(demo_file)
    assert set(part(data)) == set(KEYS)
    for key in KEYS:
        assert part(data)[key], f"the demo has {key}"
        ids = [r["public_id"] for r in part(data)[key]]
        assert ids == sorted(ids), f"{key} is sorted by public id"
    assert Meeting.objects.filter(network=network).count() == len(part(data)["meetings"])
    assert Minutes.objects.filter(network=network, state="approved").exists()


def test_documents_carry_their_bytes_and_come_back_as_files(demo_file):
    # given
    data = json.loads(demo_file)
    record = part(data)["documents"][0]
    content = base64.b64decode(record["content"])
    assert "file" not in record, "the storage name is no data of the network"
    assert hashlib.sha256(content).hexdigest() == record["sha256"]
    # when
    import_network(data)
    # then
    document = Document.objects.get(public_id=record["public_id"])
    with document.file.open("rb") as handle:
        assert handle.read() == content
    assert content.startswith(b"%PDF-")


def test_calendar_feeds_are_not_exported(demo_file):
    # then
    assert "token" not in demo_file
    assert "calendar_feed" not in demo_file.replace('"calendar_feeds"', "")
    network = import_network(json.loads(demo_file))
    assert not CalendarFeed.all_objects.filter(network=network).exists()


def test_references_by_public_id(demo_file):
    data = json.loads(demo_file)
    meetings = {m["public_id"] for m in part(data)["meetings"]}
    bodies = {b["public_id"] for b in data["parts"]["bodies"]["bodies"]}
    assert {m["body"] for m in part(data)["meetings"]} <= bodies
    assert {a["meeting"] for a in part(data)["agenda_items"]} <= meetings
    approved = [m for m in part(data)["minutes"] if m["state"] == "approved"]
    assert approved and all(m["approved_in"] in meetings for m in approved)
    assert '"id":' not in demo_file


def test_broken_reference_refuses_the_whole_file(demo_file):
    # given
    data = json.loads(demo_file)
    broken = copy.deepcopy(data)
    missing = "00000000-0000-4000-8000-000000000001"
    part(broken)["agenda_items"][2]["meeting"] = missing
    part(broken)["attendances"][0]["person"] = part(data)["meetings"][0]["public_id"]
    # when
    messages = refused(broken)
    # then
    assert (
        f"{where(broken, 'agenda_items', 2)}: „meeting“ verweist auf die unbekannte "
        f"öffentliche ID {missing}" in messages
    )
    assert any(
        m.startswith(f"{where(broken, 'attendances', 0)}: „person“ verweist auf")
        and "kein(e) Person" in m
        for m in messages
    ), messages


def test_document_content_must_match_size_and_checksum(demo_file):
    # given
    data = json.loads(demo_file)
    part(data)["documents"][0]["content"] = base64.b64encode(b"%PDF-1.4 anders").decode()
    part(data)["documents"][1]["content"] = "kein base64!"
    # when
    messages = refused(data)
    # then
    assert any(m.startswith(where(data, "documents", 0)) and "„size“" in m for m in messages), (
        messages
    )
    assert f"{where(data, 'documents', 1)}: „content“ ist kein gültiger Base64-Text" in messages


def test_unknown_collection_and_field_are_refused(demo_file):
    data = json.loads(demo_file)
    part(data)["sitzungen"] = []
    part(data)["meetings"][0]["farbe"] = "blau"
    messages = refused(data)
    assert any("unbekannte Sammlung „sitzungen“" in m for m in messages)
    assert f"{where(data, 'meetings', 0)}: unbekanntes Feld „farbe“" in messages
