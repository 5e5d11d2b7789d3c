"""Pages of this area; names live in the `www` namespace."""

from django.urls import path

from . import views

_session = "espace/jurys/sessions/<int:pk>/"
_dossier = f"{_session}candidatures/<int:candidacy_pk>/"

urlpatterns = [
    path(_session, views.session_detail, name="jury_session"),
    path(f"{_session}presences/", views.session_attendance, name="jury_session_attendance"),
    path(f"{_session}ouvrir/", views.session_open, name="jury_session_open"),
    path(f"{_session}clore/", views.session_close, name="jury_session_close"),
    path(f"{_session}rouvrir/", views.session_reopen, name="jury_session_reopen"),
    path(f"{_session}proces-verbal.pdf", views.minutes_pdf, name="jury_minutes_pdf"),
    path(f"{_session}proces-verbal/signer/", views.minutes_sign, name="jury_minutes_sign"),
    path(f"{_session}delivrance/", views.session_deliver, name="jury_session_deliver"),
    path(f"{_session}delivrance/documents/", views.session_documents, name="jury_session_documents"),
    path(
        f"{_session}delivrance/documents/relancer/",
        views.session_documents_relaunch,
        name="jury_session_documents_relaunch",
    ),
    path(_dossier, views.dossier, name="jury_dossier"),
    path(f"{_dossier}deliberation/", views.deliberate, name="jury_deliberate"),
    path(f"{_dossier}pieces/<int:document_pk>/", views.dossier_document, name="jury_dossier_document"),
    path("espace/delivrances/", views.award_list, name="award_list"),
    path("espace/delivrances/<int:pk>/", views.award_detail, name="award_detail"),
    path("espace/delivrances/<int:pk>/retrait/", views.award_revoke, name="award_revoke"),
    path("espace/delivrances/<int:pk>/document.pdf", views.award_document_pdf, name="award_document_pdf"),
    path("espace/delivrances/<int:pk>/attestation.json", views.award_credential_json, name="award_credential_json"),
    path("espace/delivrances/<int:pk>/reedition/", views.award_document_reissue, name="award_document_reissue"),
    path("espace/delivrances/<int:pk>/emission/", views.award_documents_issue, name="award_documents_issue"),
]
