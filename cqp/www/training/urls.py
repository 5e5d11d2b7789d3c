from django.urls import path

from . import views

_training = "espace/formation/<int:pk>/"

urlpatterns = [
    path(f"{_training}positionnement/", views.positioning, name="training_positioning"),
    path(f"{_training}parcours/", views.training_plan, name="training_plan"),
    path(f"{_training}parcours/accepter/", views.training_plan_accept, name="training_plan_accept"),
    path(f"{_training}parcours/commencer/", views.training_plan_start, name="training_plan_start"),
    path(
        f"{_training}parcours/modules/<int:module_pk>/",
        views.training_module_progress,
        name="training_module_progress",
    ),
]
