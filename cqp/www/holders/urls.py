from django.urls import path

from . import views

urlpatterns = [
    path("espace/titulaires/<int:candidate_id>/blocs/", views.holder_blocks, name="holder_blocks"),
]
