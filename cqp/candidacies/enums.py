from django.db import models
from django.utils.translation import gettext_lazy as _


class Path(models.TextChoices):
    TRAINING = "TRAINING", _("Par la formation")
    VAE = "VAE", _("Par la VAE")


class Situation(models.TextChoices):
    EMPLOYEE = "EMPLOYEE", _("Salarié")
    YOUNG = "YOUNG", _("Jeune complétant sa formation initiale")
    JOB_SEEKER = "JOB_SEEKER", _("Demandeur d'emploi")


class Funding(models.TextChoices):
    PLAN = "PLAN", _("Plan de développement des compétences (employeur)")
    CONTRAT_PRO = "CONTRAT_PRO", _("Contrat de professionnalisation")
    PRO_A = "PRO_A", _("Pro-A (promotion ou reconversion par l'alternance)")
    CPF = "CPF", _("Compte personnel de formation (CPF)")
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", _("France Travail")
    REGION = "REGION", _("Région")
    PERSONAL = "PERSONAL", _("Financement personnel")
    OTHER = "OTHER", _("Autre")


# Funding routes that need an employer, and those that also need a tutor (work-study).
FUNDING_NEEDS_EMPLOYER = {Funding.PLAN, Funding.CONTRAT_PRO, Funding.PRO_A}
FUNDING_NEEDS_TUTOR = {Funding.CONTRAT_PRO, Funding.PRO_A}


class State(models.TextChoices):
    DRAFT = "DRAFT", _("Brouillon")
    SUBMITTED = "SUBMITTED", _("Déposée")
    ADMISSIBLE = "ADMISSIBLE", _("Recevable")
    INADMISSIBLE = "INADMISSIBLE", _("Non recevable")
    POSITIONED = "POSITIONED", _("Positionnement fait")
    IN_TRAINING = "IN_TRAINING", _("En formation")
    DOSSIER_SUBMITTED = "DOSSIER_SUBMITTED", _("Dossier de VAE déposé")
    IN_ASSESSMENT = "IN_ASSESSMENT", _("En évaluation")
    READY_FOR_JURY = "READY_FOR_JURY", _("Prête pour le jury")
    SCHEDULED_FOR_JURY = "SCHEDULED_FOR_JURY", _("Inscrite à une session de jury")
    DECIDED = "DECIDED", _("Décision du jury rendue")
    DELIVERED = "DELIVERED", _("Certification délivrée")
    CLOSED = "CLOSED", _("Clôturée")
    WITHDRAWN = "WITHDRAWN", _("Abandonnée")


class BlockStatus(models.TextChoices):
    TO_ACQUIRE = "to_acquire", _("À acquérir")
    EXEMPTED = "exempted", _("Dispensé (déjà détenu)")
    ACQUIRED = "acquired", _("Acquis")
    NOT_ACQUIRED = "not_acquired", _("Non acquis")


class DocumentKind(models.TextChoices):
    IDENTITY = "IDENTITY", _("Pièce d'identité")
    EXPERIENCE = "EXPERIENCE", _("Justificatif d'expérience")
    VAE_DOSSIER = "VAE_DOSSIER", _("Dossier de VAE")
    TRAINING = "TRAINING", _("Attestation de formation")
    OTHER = "OTHER", _("Autre pièce")
