"""Server-rendered pages, one module per area; every name lives in the `www` namespace."""

from cqp.www.catalogue.urls import urlpatterns as catalogue_urls
from cqp.www.certifier.urls import urlpatterns as certifier_urls
from cqp.www.dashboard import urlpatterns as dashboard_urls

app_name = "www"

urlpatterns = [*catalogue_urls, *dashboard_urls, *certifier_urls]
