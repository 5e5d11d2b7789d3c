from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("cqp.api.urls")),
    path("compte/", include("cqp.accounts.urls")),
    path("", include("cqp.www.urls")),
]
