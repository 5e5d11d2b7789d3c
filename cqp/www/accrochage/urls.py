from django.urls import path

from . import views

urlpatterns = [
    path("espace/accrochage/", views.accrochage_home, name="accrochage"),
    path("espace/accrochage/produire/", views.accrochage_produce, name="accrochage_produce"),
    path("espace/accrochage/fichiers/<int:pk>.xml", views.accrochage_download, name="accrochage_download"),
    path("espace/accrochage/titulaires/<int:pk>/", views.holder_identity, name="accrochage_holder"),
    path("espace/accrochage/corrections/<int:pk>/", views.mark_corrected, name="accrochage_corrected"),
]
