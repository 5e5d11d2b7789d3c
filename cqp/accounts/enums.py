from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CERTIFIER_STAFF = "certifier_staff", _("Personnel du certificateur (CPNE)")
