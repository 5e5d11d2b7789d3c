from django.urls import path

from . import views

urlpatterns = [
    path("espace/pipeline/", views.pipeline, name="pipeline"),
    path("espace/pipeline/<int:pk>/decision/", views.pipeline_decide, name="pipeline_decide"),
    path("espace/pipeline/inscrire/", views.pipeline_enrol, name="pipeline_enrol"),
    path("espace/candidatures/", views.assigned_candidacies, name="assigned_candidacies"),
    path("espace/candidatures/<int:pk>/organismes/", views.candidacy_assign, name="candidacy_assign"),
]
