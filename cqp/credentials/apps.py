from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "cqp.credentials"
    verbose_name = _("Parchemins et attestations vérifiables")
    default_auto_field = "django.db.models.BigAutoField"
