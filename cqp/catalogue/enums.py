from django.db import models
from django.utils.translation import gettext_lazy as _


class Registry(models.TextChoices):
    RNCP = "RNCP", _("RNCP")
    RS = "RS", _("Répertoire spécifique")
    NONE = "NONE", _("Non enregistré")


class CertificationKind(models.TextChoices):
    CQP = "CQP", _("CQP")
    CQPI = "CQPI", _("CQPI (interbranche)")
    CQPM = "CQPM", _("CQPM (métallurgie)")
    OTHER = "OTHER", _("Autre certification")


class Source(models.TextChoices):
    REGISTRY = "REGISTRY", _("Import France compétences")
    PLATFORM = "PLATFORM", _("Saisie sur la plateforme")


class Lifecycle(models.TextChoices):
    """State shown to the public, derived from the registry facts."""

    ACTIVE = "ACTIVE", _("Active")
    EXPIRED = "EXPIRED", _("Expirée")
    REPLACED = "REPLACED", _("Remplacée")


class AccessRoute(models.TextChoices):
    """The `SI_JURY_*` access routes of a registry fiche."""

    INITIAL = "FI", _("Formation initiale (élève ou étudiant)")
    APPRENTICESHIP = "CA", _("Contrat d'apprentissage")
    CONTINUING = "FC", _("Formation continue")
    PROFESSIONALISATION = "CQ", _("Contrat de professionnalisation")
    INDIVIDUAL = "CL", _("Candidature individuelle")
    VAE = "VAE", _("Validation des acquis de l'expérience")


class PartnerHabilitation(models.TextChoices):
    TRAINING = "HABILITATION_ORGA_FORM", _("Habilité à former")
    TRAINING_AND_ASSESSMENT = "HABILITATION_FORM_EVAL", _("Habilité à former et à organiser l'évaluation")
    CERTIFICATION = "HABILITATION_ORGA_FORM_CERTIF", _("Habilité à former et certifier")
    OTHER = "OTHER", _("Autre habilitation")


class EquivalenceKind(models.TextChoices):
    COMMON = "COMMON", _("Bloc commun")
    EQUIVALENT = "EQUIVALENT", _("Correspondance")
    VERSION = "VERSION", _("Correspondance entre versions")


# National framework levels (décret du 8 janvier 2019) and their EQF equivalents are the same numbers.
LEVEL_LABELS = {
    1: _("Niveau 1 — maîtrise des savoirs de base"),
    2: _("Niveau 2 — activités simples"),
    3: _("Niveau 3 — CAP, BEP"),
    4: _("Niveau 4 — baccalauréat"),
    5: _("Niveau 5 — bac + 2"),
    6: _("Niveau 6 — bac + 3 ou 4"),
    7: _("Niveau 7 — bac + 5"),
    8: _("Niveau 8 — doctorat"),
}
