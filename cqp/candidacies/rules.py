"""The rules of the sheet for candidacies, each returning the French reasons that refuse.

VAE: only on an active RNCP registration open to VAE, for employees and job seekers with at
least one year of experience related to the certification (dated periods, overlaps counted
once). CPF: only on an RNCP or RS registration, at the person's own initiative. Work-study
(contrat de professionnalisation, Pro-A) needs an employer and a tutor; the plan de
développement des compétences needs an employer. The contrat de professionnalisation is for
young people and job seekers, Pro-A for employees. Expired or replaced certifications take no
new candidacy.
"""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from cqp.catalogue.models import Certification, CertificationLineage

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


# Who each work-study contract is for (Code du travail: L6325-1 for the contrat de
# professionnalisation, L6324-1 for Pro-A).
FUNDING_SITUATIONS = {
    Funding.CONTRAT_PRO: {Situation.YOUNG, Situation.JOB_SEEKER},
    Funding.PRO_A: {Situation.EMPLOYEE},
}
VAE_SITUATIONS = {Situation.EMPLOYEE, Situation.JOB_SEEKER}


def certification_problems(certification, *, today: date | None = None) -> list[str]:
    """An expired or replaced version takes no new candidacy."""
    today = today or date.today()
    if not certification.active:
        return [_("Cette certification n'est plus active : elle ne reçoit plus de nouvelle candidature.")]
    if certification.registration_end and certification.registration_end < today:
        return [
            _("L'enregistrement de cette certification a pris fin le %(date)s : elle ne reçoit plus de candidature.")
            % {"date": certification.registration_end.strftime("%d/%m/%Y")}
        ]
    new_codes = list(
        CertificationLineage.objects.filter(old_code=certification.code)
        .exclude(new_code=certification.code)
        .values_list("new_code", flat=True)
    )
    # Its certifier's retirement date decides, when set; else a lineage closes it, except towards a new
    # version still in preparation on the platform (in the catalogue, inactive).
    if certification.retired_on is not None:
        if certification.retired_on > today:
            return []
        if new_codes:
            return [
                _(
                    "Cette version ne reçoit plus de candidature depuis le %(date)s : elle est remplacée par "
                    "%(codes)s, candidatez sur la nouvelle version."
                )
                % {"date": certification.retired_on.strftime("%d/%m/%Y"), "codes": ", ".join(sorted(new_codes))}
            ]
        return [
            _("Cette certification ne reçoit plus de candidature depuis le %(date)s.")
            % {"date": certification.retired_on.strftime("%d/%m/%Y")}
        ]
    if new_codes:
        preparing = set(Certification.objects.filter(code__in=new_codes, active=False).values_list("code", flat=True))
        new_codes = [code for code in new_codes if code not in preparing]
    if new_codes:
        return [
            _("Cette version a été remplacée par %(codes)s : candidatez sur la nouvelle version.")
            % {"codes": ", ".join(sorted(new_codes))}
        ]
    return []


def vae_problems(*, certification, situation, periods, today=None) -> list[str]:
    problems = []
    if certification.registry != "RNCP":
        problems.append(_("La VAE n'est possible que pour une certification enregistrée au RNCP."))
    elif not certification.vae_open:
        problems.append(_("Cette certification n'est pas ouverte à la VAE."))
    if situation not in VAE_SITUATIONS:
        problems.append(_("La VAE s'adresse aux salariés et aux demandeurs d'emploi qui ont une expérience du métier."))
    days = experience_days(periods, today=today)
    if days < VAE_MINIMUM_DAYS:
        months = days * 12 // 365
        problems.append(
            _(
                "La VAE demande au moins un an d'expérience en rapport avec la certification : "
                "les périodes déclarées en couvrent %(months)s mois (%(days)s jours)."
            )
            % {"months": months, "days": days}
        )
    return problems


def funding_problems(
    *, certification, path, funding, employer, tutor, initiated_by_candidate, situation=None
) -> list[str]:
    problems = []
    if path == Path.TRAINING and not funding:
        problems.append(_("Indiquez le financement de la formation."))
    if funding == Funding.CPF:
        if not certification.cpf_eligible:
            problems.append(
                _("Le CPF ne finance que les certifications enregistrées au RNCP ou au Répertoire spécifique.")
            )
        if not initiated_by_candidate:
            problems.append(_("Le CPF se mobilise à l'initiative de la personne : c'est au candidat de le choisir."))
    if situation and funding in FUNDING_SITUATIONS and situation not in FUNDING_SITUATIONS[funding]:
        if funding == Funding.CONTRAT_PRO:
            problems.append(
                _(
                    "Le contrat de professionnalisation s'adresse aux jeunes complétant leur formation initiale "
                    "et aux demandeurs d'emploi : pour un salarié, choisissez la Pro-A ou le plan de "
                    "développement des compétences."
                )
            )
        else:
            problems.append(
                _(
                    "La Pro-A s'adresse aux salariés en poste : pour un jeune ou un demandeur d'emploi, "
                    "choisissez le contrat de professionnalisation."
                )
            )
    if funding in FUNDING_NEEDS_EMPLOYER and employer is None:
        problems.append(_("Ce financement demande une entreprise (l'employeur du candidat)."))
    if funding in FUNDING_NEEDS_TUTOR and tutor is None:
        problems.append(_("Le contrat de professionnalisation et la Pro-A demandent un tuteur dans l'entreprise."))
    if tutor is not None and employer is not None and tutor.employer_id != employer.pk:
        problems.append(_("Le tuteur doit appartenir à l'entreprise du candidat."))
    return problems


def candidacy_problems(candidacy, *, today=None) -> list[str]:
    """Les règles de la fiche : certification en vigueur, VAE, financement, blocs restant à acquérir."""
    problems = certification_problems(candidacy.certification, today=today)
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
        situation=candidacy.situation,
    )
    if not candidacy.blocks.filter(status=BlockStatus.TO_ACQUIRE).exists():
        problems.append(_("Aucun bloc ne reste à acquérir : la personne détient déjà toute la certification."))
    return problems


def _initiated_by_candidate(candidacy) -> bool:
    user_id = candidacy.candidate.user_id
    return user_id is not None and candidacy.created_by_id == user_id


# Guards named by workflow.TRANSITIONS.
def _has_training_org(candidacy):
    """Un organisme de formation est désigné."""
    return [] if candidacy.training_org_id else [_("Désignez d'abord l'organisme de formation.")]


def _has_assessment_centre(candidacy):
    """Un organisme évaluateur est désigné."""
    return [] if candidacy.assessment_centre_id else [_("Désignez d'abord l'organisme évaluateur.")]


def _has_acquired_blocks(candidacy):
    """Au moins un bloc est acquis."""
    if candidacy.blocks.filter(status=BlockStatus.ACQUIRED).exists():
        return []
    return [_("Aucun bloc n'a été validé : il n'y a rien à délivrer.")]


def _has_missing_blocks(candidacy):
    """Au moins un bloc reste à acquérir ou n'a pas été acquis."""
    if candidacy.blocks.filter(status__in=[BlockStatus.TO_ACQUIRE, BlockStatus.NOT_ACQUIRED]).exists():
        return []
    return [_("Tous les blocs sont acquis : il n'y a rien à reprendre.")]


def _ready_for_jury(candidacy):
    """Chaque bloc visé a une évaluation transmise, ou une dispense."""
    from cqp.assessments.selectors import readiness_for_jury

    return readiness_for_jury(candidacy)[1]


def _has_positioning(candidacy):
    """Un positionnement est en vigueur, enregistré depuis la page Positionnement."""
    if candidacy.positionings.filter(is_current=True).exists():
        return []
    return [_("Enregistrez le positionnement depuis la page Positionnement de la candidature.")]


def _has_accepted_plan(candidacy):
    """Le parcours en vigueur est accepté et couvre les blocs que le positionnement laisse à former."""
    from cqp.assessments.enums import PlanStatus
    from cqp.assessments.selectors import training_plan_current, training_plan_mismatch

    plan = training_plan_current(candidacy)
    if plan is None:
        return [
            _(
                "Aucun parcours de formation n'est proposé : proposez-le depuis la page Parcours de formation "
                "de la candidature, puis faites-le accepter."
            )
        ]
    if plan.status != PlanStatus.ACCEPTED:
        return [
            _(
                "Le parcours de formation est « %(status)s » : la formation commence depuis la page Parcours de "
                "formation de la candidature, une fois le parcours accepté par le candidat (et l'entreprise "
                "quand elle finance)."
            )
            % {"status": plan.get_status_display()}
        ]
    return training_plan_mismatch(plan, candidacy=candidacy)


def _vae_eligibility_decided(candidacy):
    """VAE : un dossier de recevabilité a été déposé puis déclaré recevable, depuis la page Recevabilité VAE."""
    if candidacy.path != Path.VAE:
        return []
    from cqp.assessments.enums import EligibilityState

    current = candidacy.vae_eligibilities.order_by("-version").values_list("state", flat=True).first()
    if current is None:
        return [
            _(
                "Aucun dossier de recevabilité n'a été déposé : le candidat le dépose depuis la page Recevabilité "
                "VAE de la candidature, et le certificateur y décide de la recevabilité."
            )
        ]
    if current == EligibilityState.ADMISSIBLE:
        return []
    return [_("Décidez de la recevabilité depuis le dossier de recevabilité VAE du candidat.")]


def vae_dossier_missing_blocks(candidacy):
    """VAE : chaque bloc visé et non dispensé est décrit dans le dossier de validation."""
    from cqp.assessments.models import VaeDossierEntry

    described = set(VaeDossierEntry.objects.filter(candidacy=candidacy).values_list("block_id", flat=True))
    missing = [
        f"{cb.block.code} — {cb.block.title}"
        for cb in candidacy.blocks.select_related("block").order_by("block__position")
        if cb.status != BlockStatus.EXEMPTED and cb.block_id not in described
    ]
    if not missing:
        return []
    return [
        _("Décrivez encore votre expérience pour ces blocs : %(blocks)s.") % {"blocks": " ; ".join(missing)},
        _("Complétez-le depuis la page Dossier de validation de la candidature."),
    ]


def _on_jury_agenda(candidacy):
    """La candidature est à l'ordre du jour d'une session planifiée."""
    from cqp.juries.enums import SessionState

    if candidacy.agenda_items.filter(session__state=SessionState.PLANNED, corrects__isnull=True).exists():
        return []
    return [_("Inscrivez la candidature depuis la page de la session de jury : c'est l'ordre du jour qui l'y met.")]


def _off_jury_agenda(candidacy):
    """La candidature n'est plus à l'ordre du jour d'une session en cours, ou le jury l'a ajournée."""
    from cqp.juries.enums import SessionState

    pending = candidacy.agenda_items.filter(
        session__state__in=[SessionState.PLANNED, SessionState.OPEN, SessionState.CLOSED], corrects__isnull=True
    )
    if not pending.exists():
        return []
    return [_("Retirez la candidature depuis la page de la session de jury.")]


def _jury_decision_signed(candidacy):
    """Une délibération du jury sur cette candidature figure dans un procès-verbal signé."""
    from cqp.juries.selectors import current_deliberation

    if current_deliberation(candidacy) is not None:
        return []
    return [_("L'avis du jury s'enregistre par la signature du procès-verbal de la session.")]


def _award_numbered(candidacy):
    """Un numéro de délivrance est attribué sur la base de l'avis signé."""
    from cqp.juries.selectors import current_deliberation

    deliberation = current_deliberation(candidacy)
    if deliberation is not None and deliberation.awards.filter(revoked_at__isnull=True).exists():
        return []
    return [_("Délivrez depuis la page de délivrance du certificateur : elle attribue le numéro.")]


GUARDS = {
    "candidacy_rules": candidacy_problems,
    "vae_eligibility_decided": _vae_eligibility_decided,
    "has_positioning": _has_positioning,
    "has_accepted_plan": _has_accepted_plan,
    "vae_dossier_complete": vae_dossier_missing_blocks,
    "has_training_org": _has_training_org,
    "has_assessment_centre": _has_assessment_centre,
    "has_acquired_blocks": _has_acquired_blocks,
    "has_missing_blocks": _has_missing_blocks,
    "ready_for_jury": _ready_for_jury,
    "on_jury_agenda": _on_jury_agenda,
    "off_jury_agenda": _off_jury_agenda,
    "jury_decision_signed": _jury_decision_signed,
    "award_numbered": _award_numbered,
}
