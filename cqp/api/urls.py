from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import (
    accrochage,
    assessments,
    awards,
    candidacies,
    juries,
    orientation,
    passerelles,
    stats,
    training,
    vae,
    views,
)

app_name = "api"

router = SimpleRouter()
router.register("certifications", views.CertificationViewSet, basename="certification")
router.register("branches", views.BranchViewSet, basename="branch")
router.register("certifiers", views.CertifierViewSet, basename="certifier")
router.register("candidacies", candidacies.CandidacyViewSet, basename="candidacy")
juries.register(router)
awards.register(router)
passerelles.register(router)
orientation.register(router)
stats.register(router)
accrochage.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.LocalSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("candidacies/<int:pk>/vae-eligibility/", vae.VaeEligibilityView.as_view(), name="vae-eligibility"),
    path("candidacies/<int:pk>/vae-eligibility/decide/", vae.VaeEligibilityDecideView.as_view(), name="vae-decide"),
    path("candidacies/<int:pk>/", include(training.urlpatterns)),
    path("candidacies/<int:pk>/", include(assessments.urlpatterns)),
    *router.urls,
]
