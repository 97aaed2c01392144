"""Reading a decision's outcome from free text: for the texts written before decisions were
records of their own (migration 0008 and exchange files of that time). Nothing is guessed
beyond the words: abgelehnt, vertagt / zurückgestellt, zur Kenntnis; otherwise angenommen.
*einstimmig* is kept as such."""

from __future__ import annotations


def outcome_of(text: str) -> str:
    words = text.lower()
    if "abgelehnt" in words:
        return "rejected"
    if "vertagt" in words or "zurückgestellt" in words:
        return "postponed"
    if "kenntnis" in words:
        return "noted"
    return "adopted"


def is_unanimous(text: str) -> bool:
    return "einstimmig" in text.lower()
