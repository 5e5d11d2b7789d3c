"""Pages of this area; names live in the `www` namespace."""

urlpatterns = []
