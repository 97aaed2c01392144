"""The texts of "Ergebnisse und Beschlüsse" become decision records: one per agenda item
with a text, numbered per body and year in the order of the meetings and their items. The
outcome is read from the words (abgelehnt, vertagt, zur Kenntnis; otherwise angenommen) and
*einstimmig* is kept as such; the text itself stays the decision's wording, unchanged."""

import uuid

from django.db import migrations
from django.utils import timezone

# pure functions of the text, kept in the app so that imports of old files read them alike
from uebergang.meetings.decision_texts import is_unanimous, outcome_of


def forwards(apps, schema_editor):
    MinutesEntry = apps.get_model("meetings", "MinutesEntry")
    Decision = apps.get_model("meetings", "Decision")
    numbers: dict[tuple[int, int], int] = {}
    for row in (
        Decision.objects.values("body_id", "year", "number").order_by()
    ):  # none yet, unless rerun
        key = (row["body_id"], row["year"])
        numbers[key] = max(numbers.get(key, 0), row["number"])
    entries = (
        MinutesEntry.objects.exclude(decisions="")
        .select_related("agenda_item__meeting")
        .order_by("agenda_item__meeting__starts_at", "agenda_item__position", "id")
    )
    for entry in entries:
        text = entry.decisions.strip()
        if not text:
            continue
        meeting = entry.agenda_item.meeting
        key = (meeting.body_id, timezone.localtime(meeting.starts_at).year)
        numbers[key] = numbers.get(key, 0) + 1
        Decision.objects.create(
            public_id=uuid.uuid4(),
            network_id=entry.network_id,
            agenda_item_id=entry.agenda_item_id,
            body_id=meeting.body_id,
            year=key[1],
            number=numbers[key],
            wording=text,
            outcome=outcome_of(text),
            unanimous=is_unanimous(text),
            created=entry.created,
            modified=entry.modified,
        )


def backwards(apps, schema_editor):
    MinutesEntry = apps.get_model("meetings", "MinutesEntry")
    Decision = apps.get_model("meetings", "Decision")
    for decision in Decision.objects.order_by("year", "number"):
        entry = MinutesEntry.objects.filter(agenda_item_id=decision.agenda_item_id).first()
        if entry is not None:
            entry.decisions = "\n\n".join(t for t in (entry.decisions, decision.wording) if t)
            entry.save(update_fields=["decisions"])
    Decision.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_decisions")]

    operations = [migrations.RunPython(forwards, backwards)]
