"""Pages of this area; names live in the `www` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("espace/jurys/", views.jury_list, name="jury_list"),
    path("espace/jurys/nouveau/", views.jury_create, name="jury_create"),
    path("espace/jurys/<int:pk>/", views.jury_detail, name="jury_detail"),
    path("espace/jurys/<int:pk>/membres/ajouter/", views.jury_member_add, name="jury_member_add"),
    path("espace/jurys/<int:pk>/sessions/planifier/", views.jury_session_plan, name="jury_session_plan"),
    path("espace/jurys/sessions/<int:pk>/modifier/", views.jury_session_edit, name="jury_session_edit"),
    path("espace/jurys/sessions/<int:pk>/annuler/", views.jury_session_cancel, name="jury_session_cancel"),
    path("espace/jurys/sessions/<int:pk>/convocations/", views.jury_session_convene, name="jury_session_convene"),
    path("espace/jurys/sessions/<int:pk>/ordre-du-jour/", views.jury_session_agenda, name="jury_session_agenda"),
    path(
        "espace/jurys/sessions/<int:pk>/ordre-du-jour/ajouter/",
        views.jury_session_agenda_add,
        name="jury_session_agenda_add",
    ),
    path(
        "espace/jurys/sessions/<int:pk>/ordre-du-jour/retirer/",
        views.jury_session_agenda_remove,
        name="jury_session_agenda_remove",
    ),
    path(
        "espace/jurys/sessions/<int:pk>/ordre-du-jour/corriger/",
        views.jury_session_agenda_correct,
        name="jury_session_agenda_correct",
    ),
]
