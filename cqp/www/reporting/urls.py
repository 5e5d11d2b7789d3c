from django.urls import path

from . import views

urlpatterns = [
    path("espace/statistiques/", views.statistics, name="statistics"),
]
