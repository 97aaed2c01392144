"""The topic area as a filter of the follow-up list (`meetings.decision_filters`): the
decisions taken on agenda items that carry a topic of that area."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from uebergang.meetings.decision_filters import DecisionFilter, register_decision_filter

from .models import TOPIC_AREAS

register_decision_filter(
    DecisionFilter(
        key="themenkomplex",
        label=_("Themenkomplex"),
        choices=lambda: TOPIC_AREAS,
        condition=lambda value: Q(
            agenda_item__topic_link__topic__topic_area=value,
            agenda_item__topic_link__deleted_at__isnull=True,
            agenda_item__topic_link__topic__deleted_at__isnull=True,
        ),
        order=10,
    )
)
