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


class OrganisationKind(models.TextChoices):
    EMPLOYER = "EMPLOYER", _("Entreprise")
    TRAINING_ORG = "TRAINING_ORG", _("Organisme de formation")
    ASSESSMENT_CENTRE = "ASSESSMENT_CENTRE", _("Organisme évaluateur")
    ADVISER = "ADVISER", _("Conseil (OPCO, France Travail, Mission locale, Cap emploi)")


# Which organisation kind a membership role belongs to (certifier staff belong to a Certifier).
ROLE_ORGANISATION_KIND = {
    Role.EMPLOYER: OrganisationKind.EMPLOYER,
    Role.TRAINING_ORG: OrganisationKind.TRAINING_ORG,
    Role.ASSESSOR: OrganisationKind.ASSESSMENT_CENTRE,
}
