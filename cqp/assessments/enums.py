from django.db import models
from django.utils.translation import gettext_lazy as _


class PositioningResult(models.TextChoices):
    ACQUIRED = "ACQUIRED", _("Acquis")
    PARTLY = "PARTLY", _("Partiellement acquis")
    TO_ACQUIRE = "TO_ACQUIRE", _("À acquérir")


class PlanStatus(models.TextChoices):
    PROPOSED = "PROPOSED", _("Proposé")
    ACCEPTED = "ACCEPTED", _("Accepté")
    IN_PROGRESS = "IN_PROGRESS", _("En cours")
    COMPLETED = "COMPLETED", _("Terminé")
    SUPERSEDED = "SUPERSEDED", _("Remplacé par une nouvelle version")


class AssessmentSituation(models.TextChoices):
    WORKPLACE = "WORKPLACE", _("Observation en situation de travail")
    SIMULATION = "SIMULATION", _("Mise en situation reconstituée")
    INTERVIEW = "INTERVIEW", _("Entretien")
    PORTFOLIO = "PORTFOLIO", _("Examen d'un portefeuille de preuves")


class Verdict(models.TextChoices):
    ACQUIRED = "ACQUIRED", _("Acquis")
    NOT_ACQUIRED = "NOT_ACQUIRED", _("Non acquis")


class AssessmentState(models.TextChoices):
    DRAFT = "DRAFT", _("En cours de saisie")
    SUBMITTED = "SUBMITTED", _("Transmise")
    SUPERSEDED = "SUPERSEDED", _("Corrigée par une nouvelle version")


class EligibilityState(models.TextChoices):
    DRAFT = "DRAFT", _("En préparation")
    SUBMITTED = "SUBMITTED", _("Déposée")
    ADMISSIBLE = "ADMISSIBLE", _("Recevable")
    INADMISSIBLE = "INADMISSIBLE", _("Non recevable")
    INCOMPLETE = "INCOMPLETE", _("Incomplète")
