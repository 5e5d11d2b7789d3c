from django.urls import path

from . import views

urlpatterns = [
    path("espace/vae/<int:pk>/recevabilite/", views.vae_eligibility, name="vae_eligibility"),
    path("espace/vae/<int:pk>/dossier/", views.vae_dossier, name="vae_dossier"),
]
