"""Pages of this area; names live in the `www` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("espace/documents/", views.document_style, name="document_style"),
    path("espace/documents/apercu/", views.document_style_preview, name="document_style_preview"),
    path("espace/documents/apercu.pdf", views.document_style_preview_pdf, name="document_style_preview_pdf"),
]
