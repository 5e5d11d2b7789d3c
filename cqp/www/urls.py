"""Server-rendered pages, one module per area; every name lives in the `www` namespace."""

from cqp.www.accrochage.urls import urlpatterns as accrochage_urls
from cqp.www.assessor.urls import urlpatterns as assessor_urls
from cqp.www.candidacies.urls import urlpatterns as candidacy_urls
from cqp.www.candidate.urls import urlpatterns as candidate_urls
from cqp.www.catalogue.urls import urlpatterns as catalogue_urls
from cqp.www.certifier.urls import urlpatterns as certifier_urls
from cqp.www.dashboard import urlpatterns as dashboard_urls
from cqp.www.documentstyle.urls import urlpatterns as document_style_urls
from cqp.www.employer.urls import urlpatterns as employer_urls
from cqp.www.holders.urls import urlpatterns as holder_urls
from cqp.www.imports.urls import urlpatterns as import_urls
from cqp.www.juries.urls import urlpatterns as jury_urls
from cqp.www.jurysession.urls import urlpatterns as jury_session_urls
from cqp.www.orientation.urls import urlpatterns as orientation_urls
from cqp.www.pipeline.urls import urlpatterns as pipeline_urls
from cqp.www.reporting.urls import urlpatterns as reporting_urls
from cqp.www.training.urls import urlpatterns as training_urls
from cqp.www.vae.urls import urlpatterns as vae_urls
from cqp.www.verify.urls import urlpatterns as verify_urls

app_name = "www"

urlpatterns = [
    *catalogue_urls,
    *assessor_urls,
    *dashboard_urls,
    *certifier_urls,
    *candidacy_urls,
    *candidate_urls,
    *employer_urls,
    *jury_urls,
    *jury_session_urls,
    *pipeline_urls,
    *reporting_urls,
    *holder_urls,
    *training_urls,
    *vae_urls,
    *verify_urls,
    *orientation_urls,
    *document_style_urls,
    *import_urls,
    *accrochage_urls,
]
