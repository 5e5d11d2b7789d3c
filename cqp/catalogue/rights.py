"""What a registration opens: the rules of the sheet, in one place."""

from django.utils.translation import gettext as _

from . import enums


def vae_open(*, registry: str, active: bool, access_routes: list[str]) -> bool:
    """VAE only on an active RNCP registration whose access routes include VAE.

    A certification registered nowhere, or in the Répertoire spécifique, never opens VAE.
    Unregistered CQPs created on the platform list their own routes; the RNCP rule still applies.
    """
    return registry == enums.Registry.RNCP and active and enums.AccessRoute.VAE in access_routes


def cpf_eligible(*, registry: str, active: bool) -> bool:
    """CPF funding only for an active RNCP or RS registration."""
    return registry in (enums.Registry.RNCP, enums.Registry.RS) and active


def vae_reason(*, registry: str, active: bool, access_routes: list[str]) -> str:
    if registry != enums.Registry.RNCP:
        return _("La VAE n'est possible que pour une certification enregistrée au RNCP.")
    if not active:
        return _("L'enregistrement au RNCP n'est plus actif : aucune nouvelle VAE n'est possible.")
    if enums.AccessRoute.VAE not in access_routes:
        return _("Le certificateur n'ouvre pas cette certification à la VAE.")
    return _("Ouverte aux personnes justifiant d'au moins un an d'expérience en rapport avec la certification.")


def cpf_reason(*, registry: str, active: bool) -> str:
    if registry == enums.Registry.NONE:
        return _("Non éligible au CPF : la certification n'est enregistrée ni au RNCP ni au Répertoire spécifique.")
    if not active:
        return _("Non éligible au CPF : l'enregistrement n'est plus actif.")
    return _("Éligible au CPF, à l'initiative de la personne.")
