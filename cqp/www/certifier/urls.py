from django.urls import path

from . import views

_certification = "espace/certifications/<str:code>/"

urlpatterns = [
    path("espace/certifications/", views.certification_list, name="certifier_certification_list"),
    path("espace/certifications/nouvelle/", views.certification_create, name="certifier_certification_create"),
    path(_certification, views.certification_edit, name="certifier_certification_edit"),
    path(f"{_certification}informations/", views.certification_update, name="certifier_certification_update"),
    path(f"{_certification}branches/", views.certification_branches, name="certifier_certification_branches"),
    path(f"{_certification}blocs/nouveau/", views.block_create, name="certifier_block_create"),
    path(f"{_certification}blocs/<int:block_id>/", views.block_update, name="certifier_block_update"),
    path(f"{_certification}blocs/<int:block_id>/supprimer/", views.block_delete, name="certifier_block_delete"),
    path(f"{_certification}blocs/<int:block_id>/deplacer/", views.block_move, name="certifier_block_move"),
    path(
        f"{_certification}blocs/<int:block_id>/criteres/nouveau/",
        views.criterion_create,
        name="certifier_criterion_create",
    ),
    path(f"{_certification}criteres/<int:criterion_id>/", views.criterion_update, name="certifier_criterion_update"),
    path(
        f"{_certification}criteres/<int:criterion_id>/supprimer/",
        views.criterion_delete,
        name="certifier_criterion_delete",
    ),
    path(
        f"{_certification}blocs/<int:block_id>/equivalences/nouvelle/",
        views.equivalence_create,
        name="certifier_equivalence_create",
    ),
    path(
        f"{_certification}equivalences/<int:equivalence_id>/supprimer/",
        views.equivalence_delete,
        name="certifier_equivalence_delete",
    ),
    path(f"{_certification}nouvelle-version/", views.version_create, name="certifier_version_create"),
    path(f"{_certification}correspondances/", views.version_equivalences, name="certifier_version_equivalences"),
    path(f"{_certification}correspondances/proposer/", views.version_propose, name="certifier_version_propose"),
    path(f"{_certification}retrait/", views.certification_retire, name="certifier_certification_retire"),
    path(
        f"{_certification}candidatures-nouvelle-version/",
        views.candidacies_migrate,
        name="certifier_candidacies_migrate",
    ),
]
