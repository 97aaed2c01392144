from django.urls import path

from uebergang.core.tabular import download_paths

from . import steps, views, views_export, views_follow_up

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("neu/", views.meeting_create, name="meeting_create"),
    *steps.step_paths(views.meeting_step),  # the meeting's page: …/<pid>/, …/<pid>/einladung/, …
    path("<uuid:pid>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("<uuid:pid>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("<uuid:pid>/top/", views.agenda_item_add, name="agenda_item_add"),
    path("<uuid:pid>/unterlage/", views.document_upload, name="document_upload"),
    path("<uuid:pid>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("<uuid:pid>/anwesenheit/erfassen/", views.attendance, name="attendance"),
    path("<uuid:pid>/protokoll/schreiben/", views.minutes_edit, name="minutes_edit"),
    path("<uuid:pid>/protokoll/versenden/", views.minutes_circulate, name="minutes_circulate"),
    path("<uuid:pid>/protokoll/genehmigen/", views.minutes_approve, name="minutes_approve"),
    path("<uuid:pid>/protokoll/berichtigen/", views.minutes_correct, name="minutes_correct"),
    path("<uuid:pid>/einladung.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("<uuid:pid>/termin.ics", views.meeting_ics, name="meeting_ics"),
    path("<uuid:pid>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(
        "<uuid:pid>/anwesenheitsliste.pdf",
        views_export.attendance_list_pdf,
        name="attendance_list_pdf",
    ),
    *download_paths("<uuid:pid>/eingeladene", views_export.invitee_export, "invitee_export"),
    path("top/<uuid:pid>/bearbeiten/", views.agenda_item_edit, name="agenda_item_edit"),
    path("top/<uuid:pid>/hoch/", views.agenda_item_up, name="agenda_item_up"),
    path("top/<uuid:pid>/runter/", views.agenda_item_down, name="agenda_item_down"),
    path("top/<uuid:pid>/entfernen/", views.agenda_item_delete, name="agenda_item_delete"),
    path("unterlage/<uuid:pid>/", views.document_download, name="document_download"),
    path("unterlage/<uuid:pid>/entfernen/", views.document_remove, name="document_remove"),
    path("einladung/<uuid:pid>/erneut/", views.invitation_resend, name="invitation_resend"),
    path("einladung/<uuid:pid>/antwort/", views.invitation_reply, name="invitation_reply"),
    path(
        "einladung/<uuid:pid>/vertretung/",
        views.invitation_substitute,
        name="invitation_substitute",
    ),
    path("top/<uuid:pid>/beschluss/", views.decision_add, name="decision_add"),
    path("beschluss/<uuid:pid>/bearbeiten/", views.decision_edit, name="decision_edit"),
    path("beschluss/<uuid:pid>/entfernen/", views.decision_remove, name="decision_remove"),
    path("abschnitt/<uuid:pid>/aufgabe/", views.task_add, name="task_add"),
    path("aufgabe/<uuid:pid>/erledigt/", views.task_done, name="task_done"),
    path("aufgabe/<uuid:pid>/", views_follow_up.task_detail, name="task_detail"),
    path("beschluesse/", views_follow_up.follow_up_list, name="follow_up"),
]
