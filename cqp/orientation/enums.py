from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    EMPLOYEE = "EMPLOYEE", _("Salarié ou salariée")
    JOB_SEEKER = "JOB_SEEKER", _("Demandeur ou demandeuse d'emploi")
    YOUNG = "YOUNG", _("Jeune (études, sortie d'études, premier emploi)")
    OTHER = "OTHER", _("Autre situation (indépendant, agent public…)")


class PathName(models.TextChoices):
    TRAINING = "TRAINING", _("Formation")
    VAE = "VAE", _("VAE (validation des acquis de l'expérience)")


class FundingName(models.TextChoices):
    PLAN = "PLAN", _("Plan de développement des compétences (employeur)")
    CONTRAT_PRO = "CONTRAT_PRO", _("Contrat de professionnalisation")
    PRO_A = "PRO_A", _("Pro-A (reconversion ou promotion par l'alternance)")
    CPF = "CPF", _("CPF (compte personnel de formation)")
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", _("Aides de France Travail (AIF, POEI…)")
    APPRENTISSAGE = "APPRENTISSAGE", _("Contrat d'apprentissage")


class ContactKind(models.TextChoices):
    OPCO = "OPCO", _("OPCO (opérateur de compétences)")
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", _("France Travail")
    MISSION_LOCALE = "MISSION_LOCALE", _("Mission locale")
    CAP_EMPLOI = "CAP_EMPLOI", _("Cap emploi")
