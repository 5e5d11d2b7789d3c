from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<uuid:uuid>/", views.verify_award, name="verify_award"),
    path("verify/<uuid:uuid>/credential.json", views.credential_json, name="verify_credential_json"),
    path("verify/<uuid:uuid>/document.pdf", views.document_pdf, name="verify_document_pdf"),
    path(".well-known/did.json", views.did_document, name="did_document"),
    path("status/<int:number>/", views.status_list, name="status_list"),
]
