"""`manage.py synthetic_network` generates a large fictional network for benchmarks; here at
small scale."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from uebergang.bodies.models import Body, Membership
from uebergang.core.models import Network
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Document,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    MinutesEntry,
    MinutesState,
)
from uebergang.networks.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def generate(*extra: str) -> Network:
    call_command("synthetic_network", "--slug", "last", "--scale", "0.02", *extra)
    return Network.objects.get(slug="last")


def test_small_scale_network_has_everything_in_proportion(media, capsys):
    # when
    network = generate()
    # then
    assert "Synthetisches Netzwerk „last“" in capsys.readouterr().out
    assert Body.objects.filter(network=network).count() == 2
    assert Person.objects.filter(network=network).count() == 4
    assert Membership.objects.filter(network=network).count() == 6
    meetings = Meeting.objects.filter(network=network)
    assert meetings.count() == 24
    assert AgendaItem.objects.filter(network=network).count() == 280
    assert Document.objects.filter(network=network).count() == 280
    days = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert (max(days) - min(days)).days > 365 * 9, "spread over ten years"
    assert max(days) > timezone.localdate(), "the next meetings lie ahead"


def test_past_meetings_have_invitations_attendance_and_approved_minutes(media):
    # when
    network = generate()
    # then
    now = timezone.now()
    past = Meeting.objects.filter(network=network, starts_at__lt=now)
    assert not past.filter(state__in=[MeetingState.PLANNED, MeetingState.INVITED]).exists()
    for meeting in past:
        assert Invitation.objects.filter(meeting=meeting).exists()
        assert Attendance.objects.filter(meeting=meeting).exists()
        minutes = Minutes.objects.get(meeting=meeting)
        assert MinutesEntry.objects.filter(minutes=minutes).count() == meeting.agenda_items.count()
        if minutes.state == MinutesState.APPROVED:
            assert minutes.approved_in.body_id == meeting.body_id
            assert minutes.approved_in.starts_at > meeting.starts_at
            assert meeting.state == MeetingState.MINUTES_APPROVED
    # the last past meeting of each body awaits the approval of its minutes
    assert past.filter(state=MeetingState.MINUTES_DRAFTED).count() == 2
    assert ActionItem.objects.filter(network=network).count() == past.count()
    upcoming = Meeting.objects.filter(network=network, starts_at__gte=now)
    assert not Minutes.objects.filter(meeting__in=upcoming).exists()


def test_documents_are_tiny_real_files(media):
    # when
    network = generate()
    # then
    for document in Document.objects.filter(network=network)[:20]:
        with document.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert len(content) == document.size


def test_an_existing_slug_is_refused_unless_replaced(media):
    # given
    first = generate()
    # when / then
    with pytest.raises(CommandError, match="gibt es schon"):
        generate()
    second = generate("--replace")
    assert second.pk != first.pk
    assert Network.all_objects.filter(slug="last").count() == 1
    assert Meeting.objects.filter(network=second).count() == 24


def test_each_app_brings_its_part_and_its_amounts():
    from uebergang.core.synthetic import amounts, synthetic_parts

    assert [p.name for p in synthetic_parts()] == ["registry", "bodies", "meetings", "topics"]
    assert {a.name for a in amounts()} == {
        "people",
        "bodies",
        "memberships",
        "meetings",
        "agenda_items",
        "topics",
    }


def test_an_amount_can_be_given_on_the_command_line(media):
    # when
    network = generate("--meetings", "500")
    # then: 500 × 0.02
    assert Meeting.objects.filter(network=network).count() == 10
