from django.urls import path

from . import views

urlpatterns = [
    path("espace/evaluation/", views.worklist, name="assessor_worklist"),
    path("espace/evaluation/<int:pk>/preparation-jury/", views.jury_readiness, name="jury_readiness"),
    path("espace/evaluation/<int:pk>/<str:code>/", views.grid, name="assessment_grid"),
]
