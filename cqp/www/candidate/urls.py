from django.urls import path

from . import views

urlpatterns = [
    path("espace/candidat/", views.candidate_home, name="candidate_home"),
    path("espace/candidat/identite/", views.candidate_identity, name="candidate_identity"),
    path("espace/candidat/candidater/", views.candidacy_apply, name="candidacy_apply"),
    path("espace/candidat/documents/<uuid:uuid>.pdf", views.award_document_pdf, name="candidate_award_pdf"),
    path("espace/candidat/documents/<uuid:uuid>.json", views.award_credential_json, name="candidate_award_credential"),
    path("espace/candidat/blocs.json", views.held_blocks_json, name="candidate_held_blocks_json"),
    path("espace/candidat/blocs.pdf", views.held_blocks_pdf, name="candidate_held_blocks_pdf"),
    path(
        "espace/candidat/passerelles/<str:code>/candidater/", views.passerelle_apply, name="candidate_passerelle_apply"
    ),
]
