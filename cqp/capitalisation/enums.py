from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldSource(models.TextChoices):
    JURY = "JURY", _("Validé par un jury et délivré")
    EARLIER = "EARLIER", _("Certification antérieure enregistrée par le certificateur")
    # Never stored: a block held through an equivalence is derived by the selectors.
    EQUIVALENCE = "EQUIVALENCE", _("Par équivalence")
