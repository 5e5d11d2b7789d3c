from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    CERTIFICATE = "CERTIFICATE", _("Certificat")
    BLOCK_ATTESTATION = "BLOCK_ATTESTATION", _("Attestation de blocs de compétences")
