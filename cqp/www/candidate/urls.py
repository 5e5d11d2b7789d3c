from django.urls import path

from . import views

urlpatterns = [
    path("espace/candidat/", views.candidate_home, name="candidate_home"),
    path("espace/candidat/candidater/", views.candidacy_apply, name="candidacy_apply"),
]
