from django.urls import path

from . import views

urlpatterns = [
    path("espace/entreprise/", views.employer_home, name="employer_home"),
    path("espace/entreprise/inscrire/", views.employer_enrol, name="employer_enrol"),
    path("espace/entreprise/tuteurs/", views.tutor_list, name="employer_tutors"),
    path("espace/entreprise/tuteurs/nouveau/", views.tutor_edit, name="employer_tutor_create"),
    path("espace/entreprise/tuteurs/<int:pk>/", views.tutor_edit, name="employer_tutor_update"),
]
