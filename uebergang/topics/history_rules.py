"""Who reads the history of the topics (see `core.visibility`): whoever sees the topic
("topic.view"); hand-overs and statements are recorded under their topic."""

from __future__ import annotations

from uebergang.core.visibility import objects_in, parents_in, register_history_kind

from .rules import TOPIC_VIEW, visible_topics

TOPIC = "topics.topic"

register_history_kind(
    TOPIC,
    permission=TOPIC_VIEW,
    visible=lambda access: objects_in(visible_topics(access)),
    public={
        "title",
        "description",
        "reason",
        "topic_area",
        "desired_date",
        "confidential",
        "state",
        "state_since",
        "body",
        "origin",
        "opened_by",
        "on_behalf",
        "paused_at",
        "end_note",
        "round",
        "outcome",
    },
)
register_history_kind(
    "topics.referral",
    permission=TOPIC_VIEW,
    guard=lambda referral: referral.topic,
    visible=lambda access: parents_in(TOPIC, visible_topics(access)),
    public={
        "topic",
        "number",
        "from_body",
        "to_body",
        "role",
        "handed_at",
        "handed_by",
        "handed_by_name",
        "due_date",
        "note",
        "snapshot_title",
        "snapshot_description",
        "snapshot_reason",
        "closed_at",
        "mandate",
        "result",
        "result_at",
        "result_by_name",
        "outcome",
    },
)
register_history_kind(
    "topics.statement",
    permission=TOPIC_VIEW,
    guard=lambda statement: statement.referral.topic,
    visible=lambda access: parents_in(TOPIC, visible_topics(access)),
    public={"referral", "seat", "text", "author", "author_name", "by_office", "given_at"},
)
FILE_FIELDS = {"title", "file_name", "content_type", "size", "sha256"}
register_history_kind(
    "topics.topicdocument",
    permission=TOPIC_VIEW,
    guard=lambda document: document.topic,
    visible=lambda access: parents_in(TOPIC, visible_topics(access)),
    public={"topic", "mandate", *FILE_FIELDS},
)
register_history_kind(
    "topics.handeddocument",
    permission=TOPIC_VIEW,
    guard=lambda document: document.referral.topic,
    visible=lambda access: parents_in(TOPIC, visible_topics(access)),
    public={"referral", "source", *FILE_FIELDS},
)
register_history_kind(
    "topics.agendalink",
    permission=TOPIC_VIEW,
    guard=lambda link: link.topic,
    visible=lambda access: parents_in(TOPIC, visible_topics(access)),
    public={"topic", "agenda_item"},
)
