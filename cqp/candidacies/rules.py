"""The rules of the sheet for candidacies, each returning the French reasons that refuse.

VAE: only on an active RNCP registration open to VAE, for employees and job seekers with at
least one year of experience related to the certification (dated periods, overlaps counted
once). CPF: only on an RNCP or RS registration, at the person's own initiative. Work-study
(contrat de professionnalisation, Pro-A) needs an employer and a tutor; the plan de
développement des compétences needs an employer.
"""

from datetime import date, timedelta

from cqp.catalogue.models import CertificationLineage

from .enums import FUNDING_NEEDS_EMPLOYER, FUNDING_NEEDS_TUTOR, BlockStatus, Funding, Path, Situation

VAE_MINIMUM_DAYS = 365


def experience_days(periods, *, today: date | None = None) -> int:
    """Days covered by the periods, each day counted once however many periods overlap it."""
    today = today or date.today()
    spans = sorted((p.start, min(p.end or today, today)) for p in periods if p.start <= (p.end or today))
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is None or start > current_end + timedelta(days=1):
            if current_end is not None:
                total += (current_end - current_start).days + 1
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def certification_problems(certification) -> list[str]:
    if not certification.active:
        return ["Cette certification n'est plus active : elle ne reçoit plus de nouvelle candidature."]
    if CertificationLineage.objects.filter(old_code=certification.code).exists():
        return ["Cette version a été remplacée par une nouvelle : candidatez sur la nouvelle version."]
    return []


def vae_problems(*, certification, situation, periods, today=None) -> list[str]:
    problems = []
    if certification.registry != "RNCP":
        problems.append("La VAE n'est possible que pour une certification enregistrée au RNCP.")
    elif not certification.vae_open:
        problems.append("Cette certification n'est pas ouverte à la VAE.")
    if situation == Situation.YOUNG:
        problems.append("La VAE s'adresse aux salariés et aux demandeurs d'emploi qui ont une expérience du métier.")
    days = experience_days(periods, today=today)
    if days < VAE_MINIMUM_DAYS:
        months = days * 12 // 365
        problems.append(
            f"La VAE demande au moins un an d'expérience en rapport avec la certification : "
            f"les périodes déclarées en couvrent {months} mois ({days} jours)."
        )
    return problems


def funding_problems(*, certification, path, funding, employer, tutor, initiated_by_candidate) -> list[str]:
    problems = []
    if path == Path.TRAINING and not funding:
        problems.append("Indiquez le financement de la formation.")
    if funding == Funding.CPF:
        if not certification.cpf_eligible:
            problems.append(
                "Le CPF ne finance que les certifications enregistrées au RNCP ou au Répertoire spécifique."
            )
        if not initiated_by_candidate:
            problems.append("Le CPF se mobilise à l'initiative de la personne : c'est au candidat de le choisir.")
    if funding in FUNDING_NEEDS_EMPLOYER and employer is None:
        problems.append("Ce financement demande une entreprise (l'employeur du candidat).")
    if funding in FUNDING_NEEDS_TUTOR and tutor is None:
        problems.append("Le contrat de professionnalisation et la Pro-A demandent un tuteur dans l'entreprise.")
    if tutor is not None and employer is not None and tutor.employer_id != employer.pk:
        problems.append("Le tuteur doit appartenir à l'entreprise du candidat.")
    return problems


def candidacy_problems(candidacy, *, today=None) -> list[str]:
    """Everything that forbids submitting (or admitting) this candidacy now."""
    problems = certification_problems(candidacy.certification)
    if candidacy.path == Path.VAE:
        problems += vae_problems(
            certification=candidacy.certification,
            situation=candidacy.situation,
            periods=list(candidacy.experience_periods.all()),
            today=today,
        )
    problems += funding_problems(
        certification=candidacy.certification,
        path=candidacy.path,
        funding=candidacy.funding,
        employer=candidacy.employer,
        tutor=candidacy.tutor,
        initiated_by_candidate=_initiated_by_candidate(candidacy),
    )
    if not candidacy.blocks.filter(status=BlockStatus.TO_ACQUIRE).exists():
        problems.append("Aucun bloc ne reste à acquérir : la personne détient déjà toute la certification.")
    return problems


def _initiated_by_candidate(candidacy) -> bool:
    user_id = candidacy.candidate.user_id
    return user_id is not None and candidacy.created_by_id == user_id


# Guards named by workflow.TRANSITIONS.
def _has_training_org(candidacy):
    return [] if candidacy.training_org_id else ["Désignez d'abord l'organisme de formation."]


def _has_assessment_centre(candidacy):
    return [] if candidacy.assessment_centre_id else ["Désignez d'abord l'organisme évaluateur."]


def _has_acquired_blocks(candidacy):
    if candidacy.blocks.filter(status=BlockStatus.ACQUIRED).exists():
        return []
    return ["Aucun bloc n'a été validé : il n'y a rien à délivrer."]


def _has_missing_blocks(candidacy):
    if candidacy.blocks.filter(status__in=[BlockStatus.TO_ACQUIRE, BlockStatus.NOT_ACQUIRED]).exists():
        return []
    return ["Tous les blocs sont acquis : il n'y a rien à reprendre."]


GUARDS = {
    "candidacy_rules": candidacy_problems,
    "has_training_org": _has_training_org,
    "has_assessment_centre": _has_assessment_centre,
    "has_acquired_blocks": _has_acquired_blocks,
    "has_missing_blocks": _has_missing_blocks,
}
