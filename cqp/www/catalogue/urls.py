from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="www/home.html"), name="home"),
    path("certifications/", TemplateView.as_view(template_name="www/home.html"), name="certification_list"),
    path(
        "certifications/<str:code>/", TemplateView.as_view(template_name="www/home.html"), name="certification_detail"
    ),
]
