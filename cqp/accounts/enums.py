from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the design brief, held through a Membership.

    Platform administrators are Django superusers, not members of an organisation: the
    permission checks read `is_superuser`, never a membership.
    """

    CANDIDATE = "candidate", _("Candidat")
    EMPLOYER = "employer", _("Entreprise (employeur)")
    TRAINING_ORG = "training_org", _("Organisme de formation")
    ASSESSOR = "assessor", _("Organisme évaluateur, évaluateur")
    JURY_MEMBER = "jury_member", _("Membre de jury paritaire")
    CERTIFIER_STAFF = "certifier_staff", _("Personnel du certificateur (CPNE)")
