"""Writes of the assessments app: one function each, keyword-only, transactional, leaving a trail."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.candidacies import workflow
from cqp.candidacies.enums import FUNDING_NEEDS_EMPLOYER, FUNDING_NEEDS_TUTOR, BlockStatus, Funding, Path, State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from cqp.candidacies.selectors import actor_roles
from cqp.candidacies.services import candidacy_transition

from .enums import PlanStatus, PositioningResult
from .models import Positioning, PositioningBlock, TrainingModule, TrainingPlan
from .selectors import (
    positioning_remaining_blocks,
    training_plan_pending_acceptances,
    training_plan_required_acceptances,
)

# --------------------------------------------------------------------------- positioning and training plan


def _locked_candidacy(candidacy):
    return Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)


POSITIONING_STATES = frozenset({State.ADMISSIBLE, State.POSITIONED, State.IN_TRAINING})
POSITIONING_ROLES = frozenset({workflow.TRAINING_ORG, workflow.CERTIFIER, workflow.ADMIN})
TRAINING_ORG_ROLES = frozenset({workflow.TRAINING_ORG, workflow.ADMIN})


def positioning_record(*, candidacy, by, results: dict, comment: str = "", revision_reason: str = "") -> Positioning:
    """Record the évaluation préalable: `results` maps each targeted, non-exempted block code to
    (result, comment). A second record is a revision: a new version with its reason, the previous
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
        targeted = list(
            candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block").order_by("block__position")
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
            result, block_comment = (value, "") if isinstance(value, str) else (tuple(value) + ("",))[:2]
            if result not in PositioningResult.values:
                errors.append(
                    _("Bloc %(code)s : choisissez acquis, partiellement acquis ou à acquérir.") % {"code": code}
                )
                continue
            given[key] = (result, (block_comment or "").strip())
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
            PositioningBlock(positioning=positioning, block=by_code[key], result=result, comment=block_comment)
            for key, (result, block_comment) in given.items()
        )
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="positioning",
            comment=revision_reason if previous is not None else "",
            data={"version": version, "results": {by_code[key].code: result for key, (result, _c) in given.items()}},
        )
        if previous is None and candidacy.state == State.ADMISSIBLE:
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
        if candidacy.state not in {State.POSITIONED, State.IN_TRAINING}:
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
        if previous is not None and previous.status == PlanStatus.COMPLETED:
            refuse(None, _("Le parcours est terminé : il ne se remplace plus."))
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise ValidationError({(field or "__all__"): messages for field, messages in errors.items()})

        version = (candidacy.training_plans.aggregate(top=Max("version"))["top"] or 0) + 1
        if previous is not None:
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
