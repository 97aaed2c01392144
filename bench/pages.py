"""The pages the benchmarks measure, gathered from the database (shared by `bench/run.py`,
which calls these functions through `manage.py shell -c`, and `bench/profile.py`, which
calls them in-process).

Paths come from the URL names (`django.urls.reverse`), so that a renamed address does not
break the bench: a name that no longer resolves gives the path "missing: …", which the
bench reports as a failed row and goes on. Everything returned is plain JSON.

- `demo_pages()`: the demo network's signed-in pages and API lists (label, path, auth) and
  the rotating lists (all partners, bodies and meetings of the demo).
- `synthetic_pages(slug)`: the synthetic network's body page, meeting page (the latest
  meeting of its advisory board with approved minutes) and meeting list, and the rotating
  lists (the advisory board's meetings, at most `ROTATE_MAX`, all bodies, all partners).

- `analyze()`: planner statistics for the data just loaded (PostgreSQL only).

`auth` is "none", "session" (the coordination account's session cookie) or "token" (its API
token); `run.py` turns it into request headers, `profile.py` signs in with `Client`."""

from __future__ import annotations

from typing import Any

ROTATE_MAX = 200  # at most this many paths in one rotating list


def path(name: str, *args: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=[str(a) for a in args])
    except NoReverseMatch as exc:
        return "missing: " + str(exc)[:200]


def _rotating(network: Any) -> list[list[Any]]:
    """[label, paths] for the partners, bodies and meetings of `network` (meetings: of its
    advisory board if it has one, else all; the latest first)."""
    from uebergang.bodies.models import Body
    from uebergang.meetings.models import Meeting
    from uebergang.networks.models import Partner

    slug = network.slug
    partners = Partner.objects.filter(network=network).order_by("id")[:ROTATE_MAX]
    bodies = Body.objects.filter(network=network).order_by("id")[:ROTATE_MAX]
    meetings = Meeting.objects.filter(network=network)
    board = Body.objects.filter(network=network, kind="advisory_board").first()
    if board is not None and meetings.filter(body=board).exists():
        meetings = meetings.filter(body=board)
    meetings = meetings.order_by("-starts_at", "id")[:ROTATE_MAX]
    rows = [
        ("meeting", [path("meetings:meeting_detail", slug, m.public_id) for m in meetings]),
        ("body", [path("bodies:body_detail", slug, b.public_id) for b in bodies]),
        ("partner", [path("networks:partner_detail", slug, p.public_id) for p in partners]),
    ]
    out = []
    for kind, paths in rows:
        paths = [p for p in paths if not p.startswith("missing:")] or paths[:1]
        if paths:
            out.append([f"{kind} pages, rotating over {len(paths)}", paths])
    return out


def demo_pages() -> dict[str, Any]:
    """The demo network's pages: {"pages": [[label, path, auth], …], "rotating": [[label,
    [path, …]], …], "member_pages": [[label, path], …]} (the last: pages a member sees)."""
    from uebergang.bodies.models import Body
    from uebergang.core.models import Network
    from uebergang.meetings.models import Meeting
    from uebergang.networks import demo
    from uebergang.networks.models import ConstituencySeat, Partner

    slug = demo.SLUG
    network = Network.objects.get(slug=slug)
    partner = (
        Partner.objects.filter(network=network, name="Landkreis Osterode am Harz").first()
        or Partner.objects.filter(network=network).order_by("id").first()
    )
    seat = ConstituencySeat.objects.filter(network=network).order_by("name").first()
    body = Body.objects.filter(network=network, kind="advisory_board").first()
    meeting = Meeting.objects.filter(network=network).order_by("-starts_at").first()
    from uebergang.topics.models import Topic

    topic = Topic.objects.filter(network=network, state="statements").order_by("created").first()
    api = f"/api/v1/networks/{slug}"
    pages = [
        ["start page", path("networks:start", slug), "session"],
        ["dashboard", path("networks:dashboard", slug), "session"],
        ["partner list", path("networks:partner_list", slug), "session"],
        ["partner detail", path("networks:partner_detail", slug, partner.public_id), "session"],
        ["seats", path("networks:seat_list", slug), "session"],
        ["seat detail", path("networks:seat_detail", slug, seat.public_id), "session"],
        ["people", path("networks:person_list", slug), "session"],
        ["history", path("networks:history", slug), "session"],
        ["bodies", path("bodies:body_list", slug), "session"],
        ["body detail (Beirat)", path("bodies:body_detail", slug, body.public_id), "session"],
        ["topics", path("topics:topic_list", slug), "session"],
        ["topic board", path("topics:topic_board", slug), "session"],
        ["topic page", path("topics:topic_detail", slug, topic.public_id), "session"],
        ["decisions and tasks", path("meetings:follow_up", slug), "session"],
        ["API partners", f"{api}/partners", "token"],
        ["API people", f"{api}/people", "token"],
        ["API seats", f"{api}/seats", "token"],
        ["API history", f"{api}/history", "token"],
        ["API bodies", f"{api}/bodies", "token"],
    ]
    member_pages = [
        ["body detail (Beirat)", path("bodies:body_detail", slug, body.public_id)],
        ["topic page", path("topics:topic_detail", slug, topic.public_id)],
    ]
    if meeting is not None:
        member_pages.append(
            ["meeting page", path("meetings:meeting_detail", slug, meeting.public_id)]
        )
    return {
        "slug": slug,
        "pages": pages,
        "rotating": _rotating(network),
        "member_pages": member_pages,
    }


def synthetic_pages(slug: str) -> dict[str, Any]:
    """The synthetic network's pages: body page, meeting page, meeting list (all signed in),
    the number of agenda items of that meeting, and the rotating lists."""
    from uebergang.bodies.models import Body
    from uebergang.core.models import Network
    from uebergang.meetings.models import Meeting

    network = Network.objects.get(slug=slug)
    body = Body.objects.get(network=network, kind="advisory_board")
    meeting = (
        Meeting.objects.filter(body=body, state="minutes_approved").order_by("-starts_at").first()
        or Meeting.objects.filter(body=body).order_by("-starts_at").first()
    )
    return {
        "slug": slug,
        "body": path("bodies:body_detail", slug, body.public_id),
        "meeting": path("meetings:meeting_detail", slug, meeting.public_id),
        "meeting_list": path("meetings:meeting_list", slug),
        "agenda_items": meeting.agenda_items.count(),
        "topic_list": path("topics:topic_list", slug),
        "topic_board": path("topics:topic_board", slug),
        "topic": path("topics:topic_detail", slug, _busy_topic(network).public_id),
        "follow_up": path("meetings:follow_up", slug),
        "rotating": _rotating(network),
    }


def _busy_topic(network):
    """The topic with the most statements (the advisory board collects them)."""
    from django.db.models import Count

    from uebergang.topics.models import Topic

    return (
        Topic.objects.filter(network=network, state="statements")
        .annotate(n=Count("referrals__statements"))
        .order_by("-n", "pk")
        .first()
    )


def analyze() -> bool:
    """Planner statistics for the data just loaded, on PostgreSQL: a production server's
    autovacuum gathers them within a minute of a bulk load, but it is off on these machines,
    and without them the planner takes every table for empty (the office's work queue ran a
    nested loop over all invitations). SQLite gathers none unless asked, in production as
    here, so it is left as it is. True when it ran."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
