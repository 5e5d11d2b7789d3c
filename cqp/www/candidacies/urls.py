from django.urls import path

from . import views

_candidacy = "espace/candidatures/<int:pk>/"

urlpatterns = [
    path(_candidacy, views.candidacy_detail, name="candidacy_detail"),
    path(f"{_candidacy}actions/<slug:name>/", views.candidacy_transition, name="candidacy_transition"),
    path(f"{_candidacy}pieces/", views.candidacy_document_upload, name="candidacy_document_upload"),
    path(f"{_candidacy}pieces/<int:document_pk>/", views.candidacy_document, name="candidacy_document"),
    path(f"{_candidacy}messages/", views.candidacy_message_post, name="candidacy_message_post"),
]
