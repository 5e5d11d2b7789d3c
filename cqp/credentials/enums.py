from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("retrait")
