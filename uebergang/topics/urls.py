from django.urls import path

from . import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_list, name="topic_list"),
    path("neu/", views.topic_open, name="topic_open"),
    path("uebersicht/", views.topic_board, name="topic_board"),
    path("<uuid:pid>/", views.topic_detail, name="topic_detail"),
    path("<uuid:pid>/verlauf/", views.topic_history, name="topic_history"),
    path("<uuid:pid>/bearbeiten/", views.topic_edit, name="topic_edit"),
    path("<uuid:pid>/an-beirat/", views.topic_refer, name="topic_refer"),
    path("<uuid:pid>/pausieren/", views.topic_pause, name="topic_pause"),
    path("<uuid:pid>/fortsetzen/", views.topic_resume, name="topic_resume"),
    path("<uuid:pid>/zurueckziehen/", views.topic_withdraw, name="topic_withdraw"),
    path("<uuid:pid>/stellungnahme/", views.statement_edit, name="statement_edit"),
    path("<uuid:pid>/an-arbeitsgremium/", views.topic_refer_working, name="topic_refer_working"),
    path("<uuid:pid>/ohne-arbeitsgremium/", views.topic_skip_working, name="topic_skip_working"),
    path("<uuid:pid>/ergebnis/", views.mandate_result, name="mandate_result"),
    path("<uuid:pid>/zurueck-an-beirat/", views.topic_return, name="topic_return"),
    path("<uuid:pid>/unterlagen/neu/", views.document_upload, name="document_upload"),
    path("unterlage/<uuid:pid>/", views.document_download, name="document_download"),
    path("unterlage/<uuid:pid>/entfernen/", views.document_remove, name="document_remove"),
    path("uebergeben/<uuid:pid>/", views.handed_download, name="handed_download"),
    path("<uuid:pid>/tagesordnung/", views.topic_agenda, name="topic_agenda"),
    path("sitzung/<uuid:pid>/unterlage/", views.attach_papers, name="attach_papers"),
    path("<uuid:pid>/empfehlung/", views.topic_recommend, name="topic_recommend"),
    path("<uuid:pid>/entscheidung/", views.topic_decide, name="topic_decide"),
]
