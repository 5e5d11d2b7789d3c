from django.urls import path

from . import views

urlpatterns = [
    path("espace/import/", views.import_upload, name="imports_upload"),
    path("espace/import/modele.<str:fmt>", views.import_template, name="imports_template"),
    path("espace/import/<int:pk>/", views.import_preview, name="imports_preview"),
]
