from django.db import models
from django.utils.translation import gettext_lazy as _


class College(models.TextChoices):
    EMPLOYERS = "EMPLOYERS", _("Collège employeurs")
    EMPLOYEES = "EMPLOYEES", _("Collège salariés")


class MemberRole(models.TextChoices):
    PRESIDENT = "PRESIDENT", _("Président")
    VICE_PRESIDENT = "VICE_PRESIDENT", _("Vice-président")
    MEMBER = "MEMBER", _("Membre")


class ParityRule(models.TextChoices):
    """How the two colleges weigh the same in a vote."""

    EQUAL_MEMBERS = "EQUAL_MEMBERS", _("Autant de votants dans chaque collège")
    WEIGHTED = "WEIGHTED", _("Vote pondéré : chaque collège pèse la moitié des voix")


class SessionState(models.TextChoices):
    PLANNED = "PLANNED", _("Planifiée")
    OPEN = "OPEN", _("Délibération ouverte")
    CLOSED = "CLOSED", _("Délibérations closes, procès-verbal à signer")
    SIGNED = "SIGNED", _("Procès-verbal signé")
    CANCELLED = "CANCELLED", _("Annulée")


class Opinion(models.TextChoices):
    """L'avis du jury (JuryOpinion)."""

    AWARD = "AWARD", _("Obtention de la certification")
    PARTIAL = "PARTIAL", _("Attestation pour certains blocs")
    REFUSAL = "REFUSAL", _("Refus")
