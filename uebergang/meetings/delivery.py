"""Sending invitations and minutes by e-mail through the task queue (see the functions'
docstrings). Placeholder interface until the delivery module lands in this change."""

from __future__ import annotations


def enqueue_invitations(invitation_ids: list[int]) -> None:
    """After commit: one task per meeting invitation (REQUEST, update or CANCEL)."""


def enqueue_network_day_invitations(invitation_ids: list[int]) -> None:
    """After commit: one task per network-day invitation."""


def enqueue_minutes(meeting_id: int, stage: str) -> None:
    """Draft minutes circulated ("circulated") or approved ("approved")."""
