"""Writes of the assessments app: one function each, keyword-only, transactional, leaving a trail."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.candidacies import rules, workflow
from cqp.candidacies.enums import (
    FUNDING_NEEDS_EMPLOYER,
    FUNDING_NEEDS_TUTOR,
    BlockStatus,
    DocumentKind,
    Funding,
    Path,
    State,
)
from cqp.candidacies.models import Candidacy, CandidacyEvent, ExperiencePeriod
from cqp.candidacies.selectors import actor_roles
from cqp.candidacies.services import candidacy_transition

from .enums import EligibilityState, PlanStatus, PositioningResult
from .models import (
    Positioning,
    PositioningBlock,
    TrainingModule,
    TrainingPlan,
    VaeDossierEntry,
    VaeEligibility,
)
from .selectors import (
    positioning_remaining_blocks,
    training_plan_current,
    training_plan_mismatch,
    training_plan_pending_acceptances,
    training_plan_required_acceptances,
)

# --- VAE: the recevabilité file and the dossier de validation -------------------------------------

VAE_ACTIVE_STATES = (EligibilityState.SUBMITTED, EligibilityState.ADMISSIBLE)
VAE_DECISIONS = (EligibilityState.ADMISSIBLE, EligibilityState.INADMISSIBLE, EligibilityState.INCOMPLETE)
VAE_PERIOD_FIELDS = ("start", "end", "job_title", "employer_name", "activities", "blocks")


def _vae_locked(candidacy):
    return Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)


def _vae_current(candidacy):
    return VaeEligibility.objects.filter(candidacy=candidacy).order_by("-version").first()


def _vae_require_candidate(by, candidacy, message):
    roles = actor_roles(by, candidacy)
    if not roles & {workflow.CANDIDATE, workflow.CERTIFIER, workflow.ADMIN}:
        raise PermissionDenied(message)


def _vae_periods_editable(candidacy):
    if candidacy.path != Path.VAE:
        raise ValidationError(_("Cette candidature ne passe pas par la VAE."))
    if candidacy.state not in (State.DRAFT, State.SUBMITTED):
        raise ValidationError(
            _("La recevabilité est close : la candidature est « %(state)s ».")
            % {"state": candidacy.get_state_display()}
        )
    current = _vae_current(candidacy)
    if current is not None and current.state in VAE_ACTIVE_STATES:
        raise ValidationError(
            _("Votre dossier de recevabilité est en cours d'examen : attendez la décision avant de le modifier.")
        )


def _vae_period_values(candidacy, *, start, end, job_title, employer_name="", activities="", blocks=(), today=None):
    today = today or date.today()
    errors = {}
    if start is None:
        errors["start"] = [_("Indiquez la date de début de la période.")]
    elif start > today:
        errors["start"] = [_("La période commence dans le futur : déclarez seulement l'expérience déjà acquise.")]
    if end is not None:
        if end > today:
            errors["end"] = [_("La date de fin est dans le futur : laissez-la vide si l'emploi est en cours.")]
        elif start is not None and end < start:
            errors["end"] = [_("La période se termine avant de commencer : vérifiez les dates.")]
    job_title = (job_title or "").strip()
    if not job_title:
        errors["job_title"] = [_("Indiquez l'emploi occupé.")]
    blocks = list(blocks or ())
    foreign = [b.code for b in blocks if b.certification_id != candidacy.certification_id]
    if foreign:
        errors["blocks"] = [
            _("Ces blocs n'appartiennent pas à la certification visée : %(codes)s.") % {"codes": ", ".join(foreign)}
        ]
    if errors:
        raise ValidationError(errors)
    values = {
        "start": start,
        "end": end,
        "job_title": job_title[:200],
        "employer_name": (employer_name or "").strip()[:200],
        "activities": (activities or "").strip(),
    }
    return values, blocks


@transaction.atomic
def vae_period_add(
    *, candidacy, by, start, end=None, job_title, employer_name="", activities="", blocks=(), today=None
):
    """Declare a dated period of experience on a VAE candidacy (before or between recevabilité decisions)."""
    candidacy = _vae_locked(candidacy)
    _vae_require_candidate(by, candidacy, _("Seuls le candidat et le certificateur déclarent l'expérience."))
    _vae_periods_editable(candidacy)
    values, blocks = _vae_period_values(
        candidacy,
        start=start,
        end=end,
        job_title=job_title,
        employer_name=employer_name,
        activities=activities,
        blocks=blocks,
        today=today,
    )
    period = ExperiencePeriod.objects.create(candidacy=candidacy, **values)
    period.blocks.set(blocks)
    CandidacyEvent.objects.create(
        candidacy=candidacy, by=by, name="vae_period_add", data={"period_id": period.pk, "job_title": period.job_title}
    )
    return period


@transaction.atomic
def vae_period_update(*, period, by, today=None, **changes):
    """Change a declared period; the fields not given keep their value."""
    unknown = set(changes) - set(VAE_PERIOD_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(names)s.") % {"names": ", ".join(sorted(unknown))})
    candidacy = _vae_locked(period.candidacy)
    _vae_require_candidate(by, candidacy, _("Seuls le candidat et le certificateur déclarent l'expérience."))
    _vae_periods_editable(candidacy)
    period = ExperiencePeriod.objects.select_for_update().get(pk=period.pk, candidacy=candidacy)
    current = {name: getattr(period, name) for name in VAE_PERIOD_FIELDS if name != "blocks"}
    current["blocks"] = list(period.blocks.all())
    current.update(changes)
    values, blocks = _vae_period_values(candidacy, today=today, **current)
    for name, value in values.items():
        setattr(period, name, value)
    period.save()
    period.blocks.set(blocks)
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        by=by,
        name="vae_period_update",
        data={"period_id": period.pk, "job_title": period.job_title},
    )
    return period


@transaction.atomic
def vae_period_remove(*, period, by):
    candidacy = _vae_locked(period.candidacy)
    _vae_require_candidate(by, candidacy, _("Seuls le candidat et le certificateur déclarent l'expérience."))
    _vae_periods_editable(candidacy)
    data = {"period_id": period.pk, "job_title": period.job_title}
    ExperiencePeriod.objects.filter(pk=period.pk, candidacy=candidacy).delete()
    CandidacyEvent.objects.create(candidacy=candidacy, by=by, name="vae_period_remove", data=data)


def vae_missing_experience(days: int) -> list[str]:
    """The French reason refusing a file under one year of relevant experience, or nothing."""
    if days >= rules.VAE_MINIMUM_DAYS:
        return []
    return [
        _(
            "La VAE demande au moins un an d'expérience en rapport avec la certification : les périodes "
            "déclarées couvrent %(months)s mois (%(days)s jours) ; il manque %(missing)s jours."
        )
        % {"months": days * 12 // 365, "days": days, "missing": rules.VAE_MINIMUM_DAYS - days}
    ]


def vae_eligibility_submit(*, candidacy, by, today=None):
    """File the recevabilité: at least one year of relevant experience (overlaps once) and one proof.
    A draft candidacy is submitted with it; after INCOMPLETE a new version is filed, history kept."""
    with transaction.atomic():
        candidacy = _vae_locked(candidacy)
        _vae_require_candidate(by, candidacy, _("Seuls le candidat et le certificateur déposent la recevabilité."))
        _vae_periods_editable(candidacy)
        current = _vae_current(candidacy)
        if current is not None and current.state == EligibilityState.INADMISSIBLE:
            raise ValidationError(_("La candidature a été déclarée non recevable : elle ne peut plus être déposée."))
        days = rules.experience_days(candidacy.experience_periods.all(), today=today)
        problems = vae_missing_experience(days)
        if not candidacy.documents.filter(kind=DocumentKind.EXPERIENCE).exists():
            problems.append(
                _("Joignez au moins un justificatif d'expérience (certificat de travail, bulletin de salaire…).")
            )
        if problems:
            raise ValidationError(problems)
        if candidacy.state == State.DRAFT:
            candidacy = candidacy_transition(candidacy=candidacy, name="submit", by=by)
        eligibility = VaeEligibility.objects.create(
            candidacy=candidacy,
            version=(current.version + 1) if current else 1,
            state=EligibilityState.SUBMITTED,
            relevant_days=days,
            submitted_at=timezone.now(),
        )
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="vae_eligibility_submit",
            data={"version": eligibility.version, "relevant_days": days, "notify": [workflow.CERTIFIER]},
        )
    return eligibility


def vae_eligibility_decide(*, eligibility, by, decision, reasons=""):
    """The certifier's decision on a filed recevabilité. ADMISSIBLE and INADMISSIBLE move the candidacy
    through the workflow; INCOMPLETE leaves it submitted for the candidate to complete and resubmit."""
    with transaction.atomic():
        candidacy = _vae_locked(eligibility.candidacy)
        if not actor_roles(by, candidacy) & {workflow.CERTIFIER, workflow.ADMIN}:
            raise PermissionDenied(_("Seul le certificateur de la candidature décide de sa recevabilité."))
        eligibility = VaeEligibility.objects.select_for_update().get(pk=eligibility.pk)
        if decision not in VAE_DECISIONS:
            raise ValidationError({"decision": [_("Choisissez : recevable, non recevable ou incomplète.")]})
        if eligibility.state != EligibilityState.SUBMITTED or eligibility != _vae_current(candidacy):
            raise ValidationError(
                _("Ce dossier est « %(state)s » : seul le dossier déposé en dernier attend une décision.")
                % {"state": eligibility.get_state_display()}
            )
        reasons = (reasons or "").strip()
        if decision != EligibilityState.ADMISSIBLE and not reasons:
            raise ValidationError(
                {"reasons": [_("Donnez les motifs : ils seront communiqués au candidat pour qu'il sache quoi faire.")]}
            )
        eligibility.state = decision
        eligibility.reasons = reasons
        eligibility.decided_by = by
        eligibility.decided_at = timezone.now()
        eligibility.save(update_fields=["state", "reasons", "decided_by", "decided_at"])
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="vae_eligibility_decide",
            comment=reasons,
            data={"version": eligibility.version, "decision": decision, "notify": [workflow.CANDIDATE]},
        )
        if decision == EligibilityState.ADMISSIBLE:
            candidacy_transition(candidacy=candidacy, name="declare_admissible", by=by, comment=reasons)
        elif decision == EligibilityState.INADMISSIBLE:
            candidacy_transition(candidacy=candidacy, name="declare_inadmissible", by=by, comment=reasons)
    return eligibility


def _vae_dossier_editable(by, candidacy):
    _vae_require_candidate(by, candidacy, _("Seuls le candidat et le certificateur rédigent le dossier de validation."))
    if candidacy.path != Path.VAE:
        raise ValidationError(_("Cette candidature ne passe pas par la VAE."))
    if candidacy.state != State.ADMISSIBLE:
        raise ValidationError(
            _("Le dossier de validation se rédige une fois la candidature recevable ; elle est « %(state)s ».")
            % {"state": candidacy.get_state_display()}
        )


VAE_NARRATIVE_MAX_LENGTH = 20000


@transaction.atomic
def vae_dossier_save(*, candidacy, by, block, narrative, documents=()):
    """Write (or rewrite) the part of the dossier for one targeted block, with its evidence."""
    candidacy = _vae_locked(candidacy)
    _vae_dossier_editable(by, candidacy)
    errors = {}
    target = candidacy.blocks.filter(block=block).first()
    if target is None:
        errors["block"] = [_("Ce bloc n'est pas visé par la candidature.")]
    elif target.status == BlockStatus.EXEMPTED:
        errors["block"] = [_("Ce bloc est déjà détenu : il n'a pas à être décrit.")]
    narrative = (narrative or "").strip()
    if not narrative:
        errors["narrative"] = [_("Décrivez l'expérience qui montre que vous maîtrisez ce bloc.")]
    elif len(narrative) > VAE_NARRATIVE_MAX_LENGTH:
        errors["narrative"] = [
            _("Le texte fait %(length)s caractères : raccourcissez-le à %(max)s au plus.")
            % {"length": len(narrative), "max": VAE_NARRATIVE_MAX_LENGTH}
        ]
    documents = list(documents or ())
    if any(d.candidacy_id != candidacy.pk for d in documents):
        errors["documents"] = [_("Choisissez des pièces déposées sur cette candidature.")]
    if errors:
        raise ValidationError(errors)
    entry, _created = VaeDossierEntry.objects.update_or_create(
        candidacy=candidacy, block=block, defaults={"narrative": narrative}
    )
    entry.documents.set(documents)
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        by=by,
        name="vae_dossier_save",
        data={"block": block.code, "documents": [d.pk for d in documents]},
    )
    return entry


def vae_dossier_submit(*, candidacy, by, comment=""):
    """Submit the dossier de validation; the transition's guard refuses it until every block not
    exempted is described (rules.vae_dossier_missing_blocks)."""
    with transaction.atomic():
        candidacy = _vae_locked(candidacy)
        _vae_dossier_editable(by, candidacy)
        return candidacy_transition(candidacy=candidacy, name="submit_vae_dossier", by=by, comment=comment)


# --- Block assessments ----------------------------------------------------------------------------


class AssessmentConflict(ValidationError):
    """Someone else saved the grid since it was opened: nothing is written; `current` is their version."""

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


ASSESSABLE_STATES = ("IN_ASSESSMENT",)


def assessment_problems_for(*, candidacy, by) -> list[str]:
    """Why `by` may not assess this candidacy (empty when they may): a member of the assigned assessment
    centre, accredited for the certification, with no link to the candidate."""
    from django.utils.translation import gettext as _

    from cqp.accounts.enums import Role
    from cqp.accounts.models import Membership

    if not (by and by.is_authenticated and by.is_active):
        return [_("Identifiez-vous pour évaluer.")]
    centre = candidacy.assessment_centre
    if centre is None:
        return [_("Aucun organisme évaluateur n'est désigné pour cette candidature.")]
    if not Membership.objects.filter(user=by, role=Role.ASSESSOR, organisation=centre).exists():
        return [
            _("Seul un évaluateur de l'organisme évaluateur désigné (%(centre)s) peut évaluer.") % {"centre": centre}
        ]
    problems = []
    if not centre.accredited_certifications.filter(pk=candidacy.certification_id).exists():
        problems.append(
            _("%(centre)s n'est pas habilité à évaluer pour la certification %(code)s.")
            % {"centre": centre, "code": candidacy.certification.code}
        )
    linked = {
        candidacy.employer_id: _("vous êtes membre de l'entreprise qui emploie le candidat"),
        candidacy.training_org_id: _("vous êtes membre de l'organisme qui forme le candidat"),
    }
    for organisation_id in Membership.objects.filter(
        user=by, organisation_id__in=[pk for pk in linked if pk]
    ).values_list("organisation_id", flat=True):
        problems.append(
            _("Vous ne pouvez pas évaluer ce candidat : %(link)s (conflit d'intérêts).")
            % {"link": linked[organisation_id]}
        )
    tutor = candidacy.tutor
    if tutor is not None and tutor.email and tutor.email.strip().lower() == by.email.strip().lower():
        problems.append(_("Vous ne pouvez pas évaluer ce candidat : vous êtes son tuteur (conflit d'intérêts)."))
    return list(dict.fromkeys(str(p) for p in problems))


def _assessor_check(*, candidacy, by):
    from django.core.exceptions import PermissionDenied

    problems = assessment_problems_for(candidacy=candidacy, by=by)
    if problems:
        raise PermissionDenied(" ".join(problems))


def _locked_assessment(assessment):
    from .models import BlockAssessment

    return (
        BlockAssessment.objects.select_for_update(of=("self",))
        .select_related("candidacy__certification", "candidacy__assessment_centre", "candidacy__tutor", "block")
        .get(pk=assessment.pk)
    )


def _assessment_event(assessment, by, name, comment="", **data):
    from cqp.candidacies.models import CandidacyEvent

    CandidacyEvent.objects.create(
        candidacy_id=assessment.candidacy_id,
        by=by,
        name=name,
        comment=comment,
        data={"assessment_id": assessment.pk, "block": assessment.block.code, "version": assessment.version, **data},
    )


def assessment_start(*, candidacy, block, by):
    """A draft grid for one targeted block: one result per criterion of the block's referential."""
    from django.utils.translation import gettext as _

    from cqp.candidacies.enums import BlockStatus
    from cqp.candidacies.models import Candidacy

    from .enums import AssessmentState
    from .models import BlockAssessment, CriterionResult

    with transaction.atomic():
        candidacy = (
            Candidacy.objects.select_for_update(of=("self",))
            .select_related("certification", "assessment_centre", "tutor")
            .get(pk=candidacy.pk)
        )
        _assessor_check(candidacy=candidacy, by=by)
        if candidacy.state not in ASSESSABLE_STATES:
            raise ValidationError(
                _("La candidature est « %(state)s » : elle n'est pas en évaluation.")
                % {"state": candidacy.get_state_display()}
            )
        row = candidacy.blocks.filter(block=block).first()
        if row is None:
            raise ValidationError(_("Ce bloc n'est pas visé par cette candidature."))
        if row.status == BlockStatus.EXEMPTED:
            raise ValidationError(_("Ce bloc est dispensé : il n'a pas à être évalué."))
        if row.status == BlockStatus.ACQUIRED:
            raise ValidationError(_("Ce bloc est déjà validé par le jury : il reste acquis et ne se réévalue pas."))
        existing = BlockAssessment.objects.filter(candidacy=candidacy, block=block, judged=False).exclude(
            state=AssessmentState.SUPERSEDED
        )
        if existing.exists():
            raise ValidationError(
                _("Ce bloc a déjà une évaluation : reprenez-la, ou demandez une correction si elle est transmise.")
            )
        # After a jury round the block's history goes on: the new assessment is the next version.
        last = BlockAssessment.objects.filter(candidacy=candidacy, block=block).order_by("-version").first()
        assessment = BlockAssessment.objects.create(
            candidacy=candidacy,
            block=block,
            version=last.version + 1 if last else 1,
            assessment_centre=candidacy.assessment_centre,
            assessor=by,
        )
        CriterionResult.objects.bulk_create(
            CriterionResult(assessment=assessment, criterion=criterion) for criterion in block.criteria.all()
        )
        _assessment_event(assessment, by, "assessment_started")
    return assessment


def assessment_save(
    *,
    assessment,
    by,
    revision: int,
    situation=None,
    assessed_on=None,
    results=None,
    summary=None,
    verdict=None,
    no_conflict_declared=None,
):
    """Save a draft grid. `results`: {criterion_id: (met, observation)}; None leaves a field as it is.

    Refused with AssessmentConflict when someone saved since `revision` was read: nothing is written,
    and the exception carries their version so that both can be shown."""
    from django.utils.translation import gettext as _

    from .enums import AssessmentSituation, AssessmentState, Verdict

    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        _assessor_check(candidacy=assessment.candidacy, by=by)
        if assessment.state != AssessmentState.DRAFT:
            raise ValidationError(
                _("Cette évaluation est transmise : elle ne se modifie plus. Demandez une correction.")
            )
        if int(revision) != assessment.revision:
            raise AssessmentConflict(
                _(
                    "Quelqu'un d'autre a modifié cette grille pendant que vous la remplissiez : rien n'a été "
                    "enregistré. Votre saisie et la version enregistrée sont affichées côte à côte : reprenez "
                    "votre saisie sur la version enregistrée."
                ),
                current=assessment,
            )
        errors = {}
        if situation is not None:
            if situation and situation not in AssessmentSituation.values:
                errors["situation"] = [_("Choisissez la situation d'évaluation dans la liste.")]
            assessment.situation = situation
        if assessed_on is not None:
            assessment.assessed_on = assessed_on or None
        if verdict is not None:
            if verdict and verdict not in Verdict.values:
                errors["verdict"] = [_("Choisissez la décision : acquis ou non acquis.")]
            assessment.verdict = verdict
        if summary is not None:
            assessment.summary = summary.strip()
        if no_conflict_declared is not None:
            assessment.no_conflict_declared = bool(no_conflict_declared)
        rows = {r.criterion_id: r for r in assessment.results.all()}
        changed_rows = []
        for criterion_id, (met, observation) in (results or {}).items():
            row = rows.get(int(criterion_id))
            if row is None:
                errors.setdefault("results", []).append(_("Un critère transmis n'appartient pas à ce bloc."))
                continue
            row.met = None if met is None else bool(met)
            row.observation = (observation or "").strip()
            changed_rows.append(row)
        if errors:
            raise ValidationError(errors)
        from .models import CriterionResult

        CriterionResult.objects.bulk_update(changed_rows, ["met", "observation"])
        assessment.revision += 1
        assessment.save()
        _assessment_event(assessment, by, "assessment_saved", revision=assessment.revision)
    return assessment


def assessment_submit_problems(assessment, *, today=None) -> dict:
    """What keeps a draft from being submitted, by field, in French."""
    from datetime import date

    from django.utils.translation import gettext as _

    from .selectors import assessment_expected_verdict

    today = today or date.today()
    errors = {}
    results = list(assessment.results.select_related("criterion").order_by("criterion__position", "criterion_id"))
    for row in results:
        text = row.criterion.text
        if row.met is None:
            errors.setdefault("results", []).append(_("Indiquez si le critère « %(c)s » est satisfait.") % {"c": text})
        elif not row.observation and not row.met:
            errors.setdefault("results", []).append(
                _("Le critère « %(c)s » n'est pas satisfait : écrivez une observation qui dit pourquoi.") % {"c": text}
            )
        elif not row.observation and row.criterion.mandatory:
            errors.setdefault("results", []).append(
                _(
                    "Le critère obligatoire « %(c)s » demande une observation : le référentiel d'évaluation "
                    "l'exige pour chaque critère obligatoire."
                )
                % {"c": text}
            )
    if not assessment.situation:
        errors["situation"] = [_("Indiquez la situation d'évaluation.")]
    if not assessment.assessed_on:
        errors["assessed_on"] = [_("Indiquez la date de l'évaluation.")]
    elif assessment.assessed_on > today:
        errors["assessed_on"] = [_("La date de l'évaluation ne peut pas être dans le futur.")]
    if not assessment.no_conflict_declared:
        errors["no_conflict_declared"] = [
            _("Déclarez n'avoir aucun lien avec le candidat (ni employeur, ni formateur, ni tuteur).")
        ]
    if "results" not in errors:
        threshold = assessment.candidacy.certification.optional_criteria_threshold
        expected = assessment_expected_verdict(((r.criterion.mandatory, r.met) for r in results), threshold)
        if not assessment.verdict:
            errors["verdict"] = [_("Indiquez la décision : acquis ou non acquis.")]
        elif assessment.verdict != expected:
            unmet = [r.criterion.text for r in results if r.criterion.mandatory and not r.met]
            if expected == "NOT_ACQUIRED" and unmet:
                reason = _("le critère obligatoire « %(c)s » n'est pas satisfait") % {"c": unmet[0]}
            elif expected == "NOT_ACQUIRED":
                reason = _("moins de %(t)s %% des critères non obligatoires sont satisfaits") % {"t": threshold}
            else:
                reason = _(
                    "tous les critères obligatoires sont satisfaits et le seuil de %(t)s %% des autres est atteint"
                ) % {"t": threshold}
            errors["verdict"] = [
                _(
                    "La décision « %(verdict)s » ne correspond pas à la grille : %(reason)s. "
                    "La grille donne « %(expected)s »."
                )
                % {
                    "verdict": assessment.get_verdict_display(),
                    "reason": reason,
                    "expected": assessment.__class__(verdict=expected).get_verdict_display(),
                }
            ]
    elif not assessment.verdict:
        errors["verdict"] = [_("Indiquez la décision : acquis ou non acquis.")]
    return errors


def assessment_submit(*, assessment, by):
    """Lock the grid after checking it is complete and its verdict consistent; a correction supersedes its
    predecessor. The block's status is the jury's to decide: it is left unchanged."""
    from django.utils.translation import gettext as _

    from .enums import AssessmentState

    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        _assessor_check(candidacy=assessment.candidacy, by=by)
        if assessment.state != AssessmentState.DRAFT:
            raise ValidationError(_("Cette évaluation est déjà transmise."))
        errors = assessment_submit_problems(assessment)
        if errors:
            raise ValidationError(errors)
        assessment.state = AssessmentState.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.revision += 1
        assessment.save()
        if assessment.supersedes_id:
            type(assessment).objects.filter(pk=assessment.supersedes_id).update(state=AssessmentState.SUPERSEDED)
        _assessment_event(assessment, by, "assessment_submitted", verdict=assessment.verdict)
    return assessment


def assessment_correct(*, assessment, by, reason: str):
    """A submitted grid is never edited: its correction is a new draft version, copied, with the reason."""
    from django.utils.translation import gettext as _

    from .enums import AssessmentState
    from .models import AssessmentEvidence, BlockAssessment, CriterionResult

    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        _assessor_check(candidacy=assessment.candidacy, by=by)
        reason = (reason or "").strip()
        if assessment.state != AssessmentState.SUBMITTED:
            raise ValidationError(_("Seule une évaluation transmise et en vigueur peut être corrigée."))
        if assessment.judged:
            raise ValidationError(
                _("Le jury a déjà délibéré sur cette évaluation : une correction passe par une nouvelle délibération.")
            )
        if BlockAssessment.objects.filter(supersedes=assessment).exists():
            raise ValidationError(_("Une correction de cette évaluation est déjà en cours."))
        if not reason:
            raise ValidationError({"reason": [_("Donnez le motif de la correction : il sera montré au jury.")]})
        correction = BlockAssessment.objects.create(
            candidacy=assessment.candidacy,
            block=assessment.block,
            version=assessment.version + 1,
            assessment_centre=assessment.assessment_centre,
            assessor=by,
            situation=assessment.situation,
            assessed_on=assessment.assessed_on,
            verdict=assessment.verdict,
            summary=assessment.summary,
            supersedes=assessment,
            correction_reason=reason,
        )
        CriterionResult.objects.bulk_create(
            CriterionResult(assessment=correction, criterion_id=r.criterion_id, met=r.met, observation=r.observation)
            for r in assessment.results.all()
        )
        AssessmentEvidence.objects.bulk_create(
            AssessmentEvidence(assessment=correction, document_id=e.document_id) for e in assessment.evidence.all()
        )
        _assessment_event(correction, by, "assessment_correction", comment=reason, corrects=assessment.pk)
    return correction


def assessment_attach_evidence(*, assessment, by, document):
    """Attach one of the candidacy's documents to a draft grid."""
    from django.utils.translation import gettext as _

    from .enums import AssessmentState
    from .models import AssessmentEvidence

    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        _assessor_check(candidacy=assessment.candidacy, by=by)
        if assessment.state != AssessmentState.DRAFT:
            raise ValidationError(_("Cette évaluation est transmise : elle ne reçoit plus de pièce."))
        if document.candidacy_id != assessment.candidacy_id:
            raise ValidationError(_("Cette pièce n'appartient pas à cette candidature."))
        evidence, _created = AssessmentEvidence.objects.get_or_create(assessment=assessment, document=document)
        _assessment_event(assessment, by, "assessment_evidence", document_id=document.pk)
    return evidence


# --------------------------------------------------------------------------- positioning and training plan


def _locked_candidacy(candidacy):
    return Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)


POSITIONING_STATES = frozenset({State.ADMISSIBLE, State.POSITIONED, State.IN_TRAINING})
POSITIONING_ROLES = frozenset({workflow.TRAINING_ORG, workflow.CERTIFIER, workflow.ADMIN})
TRAINING_ORG_ROLES = frozenset({workflow.TRAINING_ORG, workflow.ADMIN})
PLAN_STATES = frozenset({State.POSITIONED, State.IN_TRAINING})


def positioning_record(*, candidacy, by, results: dict, comment: str = "", revision_reason: str = "") -> Positioning:
    """Record the évaluation préalable: `results` maps each targeted, non-exempted block code to
    (result, comment) or (result, comment, evidence), the evidence a Document of this candidacy or None.
    A second record is a revision: a new version with its reason, the previous
    one kept. The first one on an admissible candidacy moves it to POSITIONED. Raises
    PermissionDenied or ValidationError (French) and writes nothing then."""
    with transaction.atomic():
        candidacy = _locked_candidacy(candidacy)
        if not actor_roles(by, candidacy) & POSITIONING_ROLES:
            raise PermissionDenied(
                _("Seuls l'organisme de formation de la candidature et son certificateur font le positionnement.")
            )
        if candidacy.path != Path.TRAINING:
            raise ValidationError(_("Le positionnement concerne les candidatures par la voie de la formation."))
        if candidacy.state not in POSITIONING_STATES:
            raise ValidationError(
                _("Le positionnement n'est pas possible quand la candidature est « %(state)s ».")
                % {"state": candidacy.get_state_display()}
            )
        # Blocks held already (exempted, or validated by a jury and capitalised) are not positioned again.
        targeted = list(
            candidacy.blocks.exclude(status__in=[BlockStatus.EXEMPTED, BlockStatus.ACQUIRED])
            .select_related("block")
            .order_by("block__position")
        )
        by_code = {item.block.code.upper(): item.block for item in targeted}
        errors = []
        given = {}
        for code, value in (results or {}).items():
            key = (code or "").strip().upper()
            if key not in by_code:
                errors.append(
                    _("Le bloc %(code)s n'est pas visé par cette candidature (ou il est dispensé).") % {"code": code}
                )
                continue
            result, block_comment, evidence = (value, "", None) if isinstance(value, str) else (*value, None, None)[:3]
            if result not in PositioningResult.values:
                errors.append(
                    _("Bloc %(code)s : choisissez acquis, partiellement acquis ou à acquérir.") % {"code": code}
                )
                continue
            if evidence is not None and evidence.candidacy_id != candidacy.pk:
                errors.append(
                    _("Bloc %(code)s : la preuve doit être une pièce déposée sur cette candidature.") % {"code": code}
                )
            given[key] = (result, (block_comment or "").strip(), evidence)
        missing = [block.code for key, block in by_code.items() if key not in given]
        if missing:
            errors.append(_("Positionnez chaque bloc visé ; il manque : %(codes)s.") % {"codes": ", ".join(missing)})
        previous = candidacy.positionings.filter(is_current=True).first()
        revision_reason = (revision_reason or "").strip()
        if previous is not None and not revision_reason:
            errors.append(_("Donnez le motif de la révision : le positionnement précédent reste dans l'historique."))
        if errors:
            raise ValidationError(errors)

        version = 1
        if previous is not None:
            version = previous.version + 1
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        positioning = Positioning.objects.create(
            candidacy=candidacy,
            version=version,
            by=by,
            comment=(comment or "").strip(),
            revision_reason=revision_reason if previous is not None else "",
        )
        PositioningBlock.objects.bulk_create(
            PositioningBlock(
                positioning=positioning, block=by_code[key], result=result, comment=block_comment, evidence=evidence
            )
            for key, (result, block_comment, evidence) in given.items()
        )
        data = {"version": version, "results": {by_code[key].code: row[0] for key, row in given.items()}}
        # A plan proposed for the previous positioning must be proposed again when its blocks no longer
        # match (accepting and starting it are refused); a plan under way is kept, its difference shown.
        plan = training_plan_current(candidacy) if previous is not None else None
        if (
            plan is not None
            and plan.status != PlanStatus.COMPLETED
            and training_plan_mismatch(plan, candidacy=candidacy)
        ):
            data["plan_outdated"] = plan.version
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="positioning",
            comment=revision_reason if previous is not None else "",
            data=data,
        )
        # The first positioning, or a revision after the candidacy was reopened, moves it to POSITIONED.
        if candidacy.state == State.ADMISSIBLE:
            candidacy_transition(candidacy=candidacy, name="record_positioning", by=by)
    return positioning


def _as_date(value, label, errors):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(
            _("%(label)s : la date « %(value)s » n'est pas valide (AAAA-MM-JJ).") % {"label": label, "value": value}
        )
        return None


MODULE_MAX_HOURS = 2000


def training_plan_propose(*, candidacy, by, modules, start, end, funding, tutor=None) -> TrainingPlan:
    """The training organisation proposes the individual path: modules for the blocks that remain after
    the positioning, and only for them, within the plan's dates. A new proposal supersedes the previous
    plan. Raises PermissionDenied or ValidationError (French) and writes nothing then."""
    with transaction.atomic():
        candidacy = _locked_candidacy(candidacy)
        if not actor_roles(by, candidacy) & TRAINING_ORG_ROLES:
            raise PermissionDenied(_("Seul l'organisme de formation de la candidature propose le parcours."))
        if candidacy.state not in PLAN_STATES:
            raise ValidationError(
                _("Le parcours se propose après le positionnement : la candidature est « %(state)s ».")
                % {"state": candidacy.get_state_display()}
            )
        remaining = positioning_remaining_blocks(candidacy)
        if not remaining:
            raise ValidationError(
                _("Le positionnement ne laisse aucun bloc à former : il n'y a pas de parcours à proposer.")
            )
        by_code = {block.code.upper(): block for block in remaining}
        errors = {}

        def refuse(field, message):
            errors.setdefault(field, []).append(message)

        start_date = _as_date(start, _("Début du parcours"), errors.setdefault("start", []))
        end_date = _as_date(end, _("Fin du parcours"), errors.setdefault("end", []))
        if start_date is None and not errors["start"]:
            refuse("start", _("Indiquez la date de début du parcours."))
        if end_date is None and not errors["end"]:
            refuse("end", _("Indiquez la date de fin du parcours."))
        if start_date and end_date and end_date < start_date:
            refuse("end", _("La fin du parcours doit venir après son début."))
        if funding not in Funding.values:
            refuse("funding", _("Choisissez le financement du parcours dans la liste."))
        if funding in FUNDING_NEEDS_EMPLOYER and candidacy.employer_id is None:
            refuse("funding", _("Ce financement demande une entreprise (l'employeur du candidat)."))
        if funding in FUNDING_NEEDS_TUTOR and tutor is None:
            refuse("tutor", _("Le contrat de professionnalisation et la Pro-A demandent un tuteur dans l'entreprise."))
        if tutor is not None and tutor.employer_id != candidacy.employer_id:
            refuse("tutor", _("Le tuteur doit appartenir à l'entreprise du candidat."))
        rows, covered = [], set()
        for number, module in enumerate(modules or [], start=1):
            code = (module.get("block_code") or "").strip().upper()
            label = _("Module %(number)s") % {"number": number}
            if code not in by_code:
                refuse(
                    "modules",
                    _(
                        "%(label)s : le bloc %(code)s ne reste pas à former après le positionnement "
                        "(il est acquis, dispensé ou hors de la candidature)."
                    )
                    % {"label": label, "code": module.get("block_code") or "—"},
                )
                continue
            title = (module.get("title") or "").strip()
            if not title:
                refuse("modules", _("%(label)s : donnez l'intitulé du module.") % {"label": label})
            hours = module.get("hours")
            try:
                hours = int(hours)
            except (TypeError, ValueError):
                hours = 0
            if not 1 <= hours <= MODULE_MAX_HOURS:
                refuse(
                    "modules",
                    _("%(label)s : la durée se compte en heures, de 1 à %(max)s.")
                    % {"label": label, "max": MODULE_MAX_HOURS},
                )
            module_errors = []
            module_start = _as_date(module.get("start"), label, module_errors)
            module_end = _as_date(module.get("end"), label, module_errors)
            for message in module_errors:
                refuse("modules", message)
            if module_start and module_end and module_end < module_start:
                refuse("modules", _("%(label)s : la fin doit venir après le début.") % {"label": label})
            if (
                start_date
                and end_date
                and any(d and not start_date <= d <= end_date for d in (module_start, module_end))
            ):
                refuse(
                    "modules",
                    _("%(label)s : ses dates doivent tenir dans celles du parcours (du %(start)s au %(end)s).")
                    % {"label": label, "start": start_date.strftime("%d/%m/%Y"), "end": end_date.strftime("%d/%m/%Y")},
                )
            covered.add(code)
            rows.append((by_code[code], title, hours, module_start, module_end))
        uncovered = [block.code for key, block in by_code.items() if key not in covered]
        if uncovered:
            refuse(
                "modules",
                _("Chaque bloc qui reste à former demande au moins un module ; il manque : %(codes)s.")
                % {"codes": ", ".join(uncovered)},
            )
        previous = candidacy.training_plans.exclude(status=PlanStatus.SUPERSEDED).first()
        # A finished plan stays as it is; after a jury's partial opinion the reopened candidacy, positioned
        # again, gets a plan of its own for the missing blocks.
        if previous is not None and previous.status == PlanStatus.COMPLETED and candidacy.state != State.POSITIONED:
            refuse(None, _("Le parcours est terminé : il ne se remplace plus."))
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise ValidationError({(field or "__all__"): messages for field, messages in errors.items()})

        version = (candidacy.training_plans.aggregate(top=Max("version"))["top"] or 0) + 1
        if previous is not None and previous.status != PlanStatus.COMPLETED:
            previous.status = PlanStatus.SUPERSEDED
            previous.save(update_fields=["status"])
        plan = TrainingPlan.objects.create(
            candidacy=candidacy,
            version=version,
            training_org_id=candidacy.training_org_id,
            funding=funding,
            tutor=tutor,
            start=start_date,
            end=end_date,
            created_by=by,
        )
        TrainingModule.objects.bulk_create(
            TrainingModule(plan=plan, block=block, title=title, hours=hours, start=s, end=e)
            for block, title, hours, s, e in rows
        )
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="training_plan",
            data={
                "version": version,
                "blocks": sorted({block.code for block, *_rest in rows}),
                "hours": sum(hours for _b, _t, hours, _s, _e in rows),
                "funding": funding,
                "supersedes": previous.version if previous is not None else None,
            },
        )
    return plan


def _locked_plan(plan):
    return TrainingPlan.objects.select_for_update().get(pk=plan.pk)


def training_plan_accept(*, plan, by) -> TrainingPlan:
    """The candidate, and the employer when it pays, accept the proposed plan; once every required
    acceptance is there the plan is ACCEPTED. Raises PermissionDenied or ValidationError (French)."""
    with transaction.atomic():
        candidacy = _locked_candidacy(plan.candidacy)
        plan = _locked_plan(plan)
        roles = actor_roles(by, candidacy)
        required = training_plan_required_acceptances(plan, candidacy=candidacy)
        mine = roles & required
        if not mine:
            raise PermissionDenied(_("Seuls le candidat, et l'entreprise quand elle finance, acceptent le parcours."))
        if plan.status != PlanStatus.PROPOSED:
            raise ValidationError(
                _("Ce parcours est « %(status)s » : il n'attend plus d'acceptation.")
                % {"status": plan.get_status_display()}
            )
        mismatch = training_plan_mismatch(plan, candidacy=candidacy)
        if mismatch:
            raise ValidationError(mismatch)
        now = timezone.now()
        accepted = []
        if workflow.CANDIDATE in mine and plan.accepted_by_candidate_at is None:
            plan.accepted_by_candidate_at = now
            accepted.append(workflow.CANDIDATE)
        if workflow.EMPLOYER in mine and plan.accepted_by_employer_at is None:
            plan.accepted_by_employer_at = now
            accepted.append(workflow.EMPLOYER)
        if not accepted:
            raise ValidationError(_("Vous avez déjà accepté ce parcours."))
        if not training_plan_pending_acceptances(plan, candidacy=candidacy):
            plan.status = PlanStatus.ACCEPTED
        plan.save(update_fields=["accepted_by_candidate_at", "accepted_by_employer_at", "status"])
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="training_plan_accept",
            data={"version": plan.version, "as": sorted(str(role) for role in accepted), "status": plan.status},
        )
    return plan


def training_plan_start(*, plan, by) -> TrainingPlan:
    """The training organisation starts an accepted plan: the candidacy goes into training."""
    with transaction.atomic():
        candidacy = _locked_candidacy(plan.candidacy)
        plan = _locked_plan(plan)
        if not actor_roles(by, candidacy) & TRAINING_ORG_ROLES:
            raise PermissionDenied(_("Seul l'organisme de formation de la candidature commence la formation."))
        if plan.status != PlanStatus.ACCEPTED:
            raise ValidationError(
                _("Seul un parcours accepté commence : celui-ci est « %(status)s ».")
                % {"status": plan.get_status_display()}
            )
        # Also checked by the start_training guard, but a plan replaced during training starts without it.
        mismatch = training_plan_mismatch(plan, candidacy=candidacy)
        if mismatch:
            raise ValidationError(mismatch)
        if candidacy.state == State.POSITIONED:
            candidacy_transition(candidacy=candidacy, name="start_training", by=by)
        elif candidacy.state != State.IN_TRAINING:
            raise ValidationError(
                _("La formation ne commence pas quand la candidature est « %(state)s ».")
                % {"state": candidacy.get_state_display()}
            )
        plan.status = PlanStatus.IN_PROGRESS
        plan.save(update_fields=["status"])
        CandidacyEvent.objects.create(
            candidacy=candidacy, by=by, name="training_plan_start", data={"version": plan.version}
        )
    return plan


def training_module_progress(*, module, by, hours_attended, completed_on=None) -> TrainingModule:
    """The training organisation declares attendance (hours) and completion of a module; the plan is
    COMPLETED when all its modules are. Raises PermissionDenied or ValidationError (French)."""
    with transaction.atomic():
        candidacy = _locked_candidacy(module.plan.candidacy)
        plan = _locked_plan(module.plan)
        module = TrainingModule.objects.select_for_update().select_related("block").get(pk=module.pk)
        if not actor_roles(by, candidacy) & TRAINING_ORG_ROLES:
            raise PermissionDenied(_("Seul l'organisme de formation de la candidature déclare la progression."))
        if plan.status != PlanStatus.IN_PROGRESS:
            raise ValidationError(
                _("La progression se déclare pendant la formation : ce parcours est « %(status)s ».")
                % {"status": plan.get_status_display()}
            )
        errors = {}
        try:
            hours = int(hours_attended)
        except (TypeError, ValueError):
            hours = -1
        if not 0 <= hours <= module.hours:
            errors["hours_attended"] = [
                _("Les heures suivies vont de 0 à %(hours)s, la durée prévue du module.") % {"hours": module.hours}
            ]
        if completed_on is not None:
            if completed_on > timezone.localdate():
                errors["completed_on"] = [_("La date de fin du module ne peut pas être dans le futur.")]
            elif plan.start and completed_on < plan.start:
                errors["completed_on"] = [
                    _("Le module ne peut pas finir avant le début du parcours (%(start)s).")
                    % {"start": plan.start.strftime("%d/%m/%Y")}
                ]
        if errors:
            raise ValidationError(errors)
        before = [module.hours_attended, module.completed_at.isoformat() if module.completed_at else None]
        module.hours_attended = hours
        module.completed_at = completed_on
        module.save(update_fields=["hours_attended", "completed_at"])
        after = [hours, completed_on.isoformat() if completed_on else None]
        if before != after:
            CandidacyEvent.objects.create(
                candidacy=candidacy,
                by=by,
                name="training_progress",
                data={"module": module.title, "block": module.block.code, "before": before, "after": after},
            )
        if not plan.modules.filter(completed_at__isnull=True).exists():
            plan.status = PlanStatus.COMPLETED
            plan.completed_at = timezone.now()
            plan.save(update_fields=["status", "completed_at"])
            CandidacyEvent.objects.create(
                candidacy=candidacy, by=by, name="training_plan_complete", data={"version": plan.version}
            )
    return module
