from django.urls import path

from . import views

urlpatterns = [
    path("orientation/", views.simulator, name="orientation"),
    path("orientation/regles/", views.rules_page, name="orientation_rules"),
]
