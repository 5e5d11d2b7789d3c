"""Every write on a candidacy: one function each, transactional, leaving a trail."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership
from cqp.catalogue.selectors import certification_current_blocks

from . import rules, uploads, workflow
from .enums import BlockStatus, DocumentKind, Funding, Path, Situation, State
from .models import Candidacy, CandidacyBlock, CandidacyEvent, Document, ExperiencePeriod, Message
from .selectors import actor_roles, candidacies_idle


def held_block_ids(candidate) -> set[int]:
    """Blocks the person holds now, and every block equivalent to them (transitively, both ways).

    A block counts as held once a jury validated it AND the certifier delivered it (a certificate or
    a block attestation), or once certifier staff recorded it from an earlier certification: the
    capitalisation register (cqp.capitalisation.HeldBlock), not the candidacies' ACQUIRED statuses,
    which a jury correction can still undo before delivery. Expired rows do not count; a revoked
    award withdraws its blocks. One query."""
    from cqp.capitalisation.selectors import held_block_ids_in_force

    if candidate is None or candidate.pk is None:
        return set()
    return held_block_ids_in_force(candidate)


@transaction.atomic
def candidacy_create(
    *,
    by,
    candidate,
    certification,
    path,
    situation,
    funding="",
    certifier=None,
    employer=None,
    tutor=None,
    training_org=None,
    assessment_centre=None,
    experience_periods=(),
    block_codes=None,
) -> Candidacy:
    """A new candidacy in draft. Blocks the person already holds are exempted; `block_codes` narrows
    the target to some blocks. Raises ValidationError (French) and writes nothing when refused."""
    errors = {}
    problems = rules.certification_problems(certification)
    if problems:
        errors["certification"] = problems
    certifiers = list(certification.certifiers.all())
    if certifier is None and certifiers:
        certifier = certifiers[0]
    if certifier is None or certifier not in certifiers:
        errors.setdefault("certifier", []).append(_("Choisissez l'un des certificateurs de cette certification."))
    if path not in Path.values:
        errors["path"] = [_("Choisissez la voie : par la formation ou par la VAE.")]
    if situation not in Situation.values:
        errors["situation"] = [_("Choisissez une situation dans la liste.")]
    if funding not in {"", *Funding.values}:
        errors["funding"] = [_("Choisissez un financement dans la liste.")]
    if tutor is not None and (employer is None or tutor.employer_id != employer.pk):
        errors.setdefault("tutor", []).append(_("Le tuteur doit appartenir à l'entreprise du candidat."))
    blocks = list(certification_current_blocks(certification))
    if block_codes is not None:
        wanted = {code.strip().upper() for code in block_codes}
        unknown = wanted - {b.code.upper() for b in blocks}
        if unknown:
            errors.setdefault("blocks", []).append(
                _("Blocs inconnus pour cette certification : %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
        blocks = [b for b in blocks if b.code.upper() in wanted]
    if not blocks:
        errors.setdefault("blocks", []).append(_("Cette certification n'a aucun bloc de compétences à viser."))
    for period in experience_periods:
        if period.get("end") and period["end"] < period["start"]:
            errors.setdefault("experience_periods", []).append(
                _("Une période d'expérience finit avant d'avoir commencé.")
            )
    if errors:
        raise ValidationError(errors)

    candidacy = Candidacy.objects.create(
        candidate=candidate,
        certification=certification,
        certifier=certifier,
        path=path,
        situation=situation,
        funding=funding,
        employer=employer,
        tutor=tutor,
        training_org=training_org,
        assessment_centre=assessment_centre,
        created_by=by,
    )
    held = held_block_ids(candidate)
    CandidacyBlock.objects.bulk_create(
        CandidacyBlock(
            candidacy=candidacy,
            block=block,
            status=BlockStatus.EXEMPTED if block.pk in held else BlockStatus.TO_ACQUIRE,
        )
        for block in blocks
    )
    ExperiencePeriod.objects.bulk_create(
        ExperiencePeriod(candidacy=candidacy, **period) for period in experience_periods
    )
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        by=by,
        name="create",
        to_state=State.DRAFT,
        data={"exempted": sorted(b.code for b in blocks if b.pk in held)},
    )
    return candidacy


def candidacy_transition(
    *, candidacy: Candidacy, name: str, by, comment: str = "", acting_as: str | None = None
) -> Candidacy:
    """Apply one transition of the workflow: lock, check, move, record, notify after commit.

    Raises PermissionDenied when `by` may not apply it, ValidationError (French) when it is not
    allowed from the current state or its conditions are not met. `acting_as` is for services that
    have checked a role the candidacy does not know of themselves (the jury, through its session);
    pages and the API never pass it.
    """
    with transaction.atomic():
        candidacy = (
            Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)
        )
        transition = workflow.TRANSITIONS.get(name)
        if transition is None:
            raise ValidationError(_("Action inconnue : « %(name)s ».") % {"name": name})
        roles = actor_roles(by, candidacy) | ({acting_as} if acting_as else set())
        if not (transition.roles & roles):
            raise PermissionDenied(_("Vous ne pouvez pas effectuer cette action sur cette candidature."))
        if candidacy.path not in transition.paths:
            raise ValidationError(
                _("« %(action)s » ne s'applique pas à la voie %(path)s.")
                % {"action": transition.label, "path": candidacy.get_path_display().lower()}
            )
        if candidacy.state not in transition.sources:
            raise ValidationError(
                _("« %(action)s » n'est pas possible quand la candidature est « %(state)s ».")
                % {"action": transition.label, "state": candidacy.get_state_display()}
            )
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            raise ValidationError(_("Donnez le motif de cette décision : il sera communiqué aux personnes concernées."))
        problems = [reason for guard in transition.guards for reason in rules.GUARDS[guard](candidacy)]
        if problems:
            raise ValidationError(problems)
        from_state = candidacy.state
        candidacy.state = transition.target
        candidacy.state_changed_at = timezone.now()
        candidacy.save(update_fields=["state", "state_changed_at", "updated_at"])
        if name == "reopen":
            candidacy.blocks.filter(status=BlockStatus.NOT_ACQUIRED).update(status=BlockStatus.TO_ACQUIRE)
        event = CandidacyEvent.objects.create(
            candidacy=candidacy, by=by, name=name, from_state=from_state, to_state=transition.target, comment=comment
        )
        if transition.notify:
            from .notifications import notify_event

            transaction.on_commit(lambda: notify_event(event_id=event.pk))
    return candidacy


def _locked(candidacy) -> Candidacy:
    return Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)


def _notice_after_commit(event) -> None:
    from .notifications import notify_notice

    transaction.on_commit(lambda: notify_notice(event_id=event.pk))


UPDATABLE = ("funding", "situation", "employer", "tutor", "experience_periods", "block_codes")


def _may_update(by, candidacy) -> bool:
    roles = actor_roles(by, candidacy)
    if roles & {workflow.CANDIDATE, workflow.CERTIFIER, workflow.ADMIN}:
        return True
    # An employer edits the drafts it made itself, not those of a candidate who named it.
    return (
        workflow.EMPLOYER in roles
        and Membership.objects.filter(
            user_id=candidacy.created_by_id, role=Role.EMPLOYER, organisation_id=candidacy.employer_id
        ).exists()
    )


def candidacy_update(*, candidacy: Candidacy, by, **changes) -> Candidacy:
    """Change a draft: funding, situation, employer, tutor, experience periods (replaced as a whole:
    a list of {start, end, job_title, employer_name}) and targeted blocks (`block_codes`, blocks held
    are exempted again). Raises PermissionDenied or ValidationError (French) and changes nothing then."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"candidacy_update() got unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        candidacy = _locked(candidacy)
        if not _may_update(by, candidacy):
            raise PermissionDenied(_("Vous ne pouvez pas modifier cette candidature."))
        if candidacy.state != State.DRAFT:
            raise ValidationError(
                _("Seul un brouillon se modifie : cette candidature est « %(state)s ».")
                % {"state": candidacy.get_state_display()}
            )
        errors = {}
        if "funding" in changes and changes["funding"] not in {"", *Funding.values}:
            errors["funding"] = [_("Choisissez un financement dans la liste.")]
        if "situation" in changes and changes["situation"] not in Situation.values:
            errors["situation"] = [_("Choisissez une situation dans la liste.")]
        employer = changes.get("employer", candidacy.employer)
        tutor = changes.get("tutor", candidacy.tutor)
        if employer is not None and employer.kind != OrganisationKind.EMPLOYER:
            errors["employer"] = [_("Choisissez une entreprise.")]
        roles = actor_roles(by, candidacy)
        if (
            "employer" in changes
            and employer != candidacy.employer
            and not roles & {workflow.CANDIDATE, workflow.CERTIFIER, workflow.ADMIN}
        ):
            errors["employer"] = [_("Seuls le candidat et le certificateur peuvent changer d'entreprise.")]
        if tutor is not None and (employer is None or tutor.employer_id != employer.pk):
            errors["tutor"] = [_("Le tuteur doit appartenir à l'entreprise du candidat.")]
        periods = changes.get("experience_periods")
        if periods is not None:
            for period in periods:
                if not period.get("start") or not (period.get("job_title") or "").strip():
                    errors.setdefault("experience_periods", []).append(
                        _("Chaque période d'expérience demande une date de début et l'emploi occupé.")
                    )
                elif period.get("end") and period["end"] < period["start"]:
                    errors.setdefault("experience_periods", []).append(
                        _("Une période d'expérience finit avant d'avoir commencé.")
                    )
        blocks = None
        if changes.get("block_codes") is not None:
            blocks, block_errors = _targeted_blocks(candidacy.certification, changes["block_codes"])
            if block_errors:
                errors["blocks"] = block_errors
        if errors:
            raise ValidationError(errors)

        changed = {}
        for field in ("funding", "situation"):
            if field in changes and changes[field] != getattr(candidacy, field):
                changed[field] = [getattr(candidacy, field), changes[field]]
                setattr(candidacy, field, changes[field])
        for field, value in (("employer", employer), ("tutor", tutor)):
            if field in changes and value != getattr(candidacy, field):
                before = getattr(candidacy, field)
                changed[field] = [str(before) if before else "", str(value) if value else ""]
                setattr(candidacy, field, value)
        candidacy.save()
        if periods is not None:
            before = [str(p) for p in candidacy.experience_periods.all()]
            candidacy.experience_periods.all().delete()
            created = ExperiencePeriod.objects.bulk_create(
                ExperiencePeriod(
                    candidacy=candidacy,
                    start=p["start"],
                    end=p.get("end"),
                    job_title=p["job_title"].strip(),
                    employer_name=(p.get("employer_name") or "").strip(),
                )
                for p in periods
            )
            after = [str(p) for p in created]
            if before != after:
                changed["experience_periods"] = [before, after]
        if blocks is not None:
            before = sorted(candidacy.blocks.values_list("block__code", flat=True))
            wanted = {b.pk for b in blocks}
            candidacy.blocks.exclude(block_id__in=wanted).delete()
            present = set(candidacy.blocks.values_list("block_id", flat=True))
            held = held_block_ids(candidacy.candidate)
            CandidacyBlock.objects.bulk_create(
                CandidacyBlock(
                    candidacy=candidacy,
                    block=b,
                    status=BlockStatus.EXEMPTED if b.pk in held else BlockStatus.TO_ACQUIRE,
                )
                for b in blocks
                if b.pk not in present
            )
            after = sorted(b.code for b in blocks)
            if before != after:
                changed["blocks"] = [before, after]
        if changed:
            CandidacyEvent.objects.create(candidacy=candidacy, by=by, name="update", data={"changed": changed})
    return candidacy


def _targeted_blocks(certification, block_codes):
    blocks = list(certification_current_blocks(certification))
    wanted = {code.strip().upper() for code in block_codes if code.strip()}
    unknown = wanted - {b.code.upper() for b in blocks}
    errors = []
    if unknown:
        errors.append(_("Blocs inconnus pour cette certification : %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    chosen = [b for b in blocks if b.code.upper() in wanted]
    if not chosen and not unknown:
        errors.append(_("Choisissez au moins un bloc de compétences."))
    return chosen, errors


def candidacy_assign(*, candidacy: Candidacy, by, training_org=None, assessment_centre=None) -> Candidacy:
    """Certifier staff name the training organisation and/or the assessment centre (accredited for the
    certification). `None` leaves a side as it is. Notifies the organisations named, after commit."""
    with transaction.atomic():
        candidacy = _locked(candidacy)
        if not actor_roles(by, candidacy) & {workflow.CERTIFIER, workflow.ADMIN}:
            raise PermissionDenied(_("Seul le certificateur de la candidature désigne les organismes."))
        if candidacy.state in workflow.FINAL_STATES or candidacy.state in {State.DECIDED, State.DELIVERED}:
            raise ValidationError(
                _("Les organismes ne se désignent plus quand la candidature est « %(state)s ».")
                % {"state": candidacy.get_state_display()}
            )
        errors = {}
        if training_org is None and assessment_centre is None:
            errors["__all__"] = [_("Choisissez un organisme de formation ou un organisme évaluateur.")]
        if training_org is not None:
            if candidacy.path != Path.TRAINING:
                errors["training_org"] = [_("Une candidature par la VAE n'a pas d'organisme de formation.")]
            elif training_org.kind != OrganisationKind.TRAINING_ORG:
                errors["training_org"] = [
                    _("« %(name)s » n'est pas un organisme de formation.") % {"name": training_org.name}
                ]
        if assessment_centre is not None:
            if assessment_centre.kind != OrganisationKind.ASSESSMENT_CENTRE:
                errors["assessment_centre"] = [
                    _("« %(name)s » n'est pas un organisme évaluateur.") % {"name": assessment_centre.name}
                ]
            elif not assessment_centre.accredited_certifications.filter(pk=candidacy.certification_id).exists():
                errors["assessment_centre"] = [
                    _("« %(name)s » n'est pas habilité à évaluer pour %(code)s.")
                    % {"name": assessment_centre.name, "code": candidacy.certification.code}
                ]
        if errors:
            raise ValidationError(errors)
        data, notify = {}, [workflow.CANDIDATE]
        if training_org is not None and training_org.pk != candidacy.training_org_id:
            candidacy.training_org = training_org
            data["training_org"] = training_org.name
            notify.append(workflow.TRAINING_ORG)
        if assessment_centre is not None and assessment_centre.pk != candidacy.assessment_centre_id:
            candidacy.assessment_centre = assessment_centre
            data["assessment_centre"] = assessment_centre.name
            notify.append(workflow.ASSESSOR)
        if not data:
            return candidacy
        candidacy.save(update_fields=["training_org", "assessment_centre", "updated_at"])
        event = CandidacyEvent.objects.create(
            candidacy=candidacy, by=by, name="assign", data={**data, "notify": notify}
        )
        _notice_after_commit(event)
    return candidacy


def document_upload(*, candidacy: Candidacy, by, kind: str, uploaded_file) -> Document:
    """Store a piece of evidence after reading its type from its content (PDF, PNG, JPEG) and checking
    its size. The file goes to the default storage under a name of our own, never the uploaded one."""
    with transaction.atomic():
        candidacy = _locked(candidacy)
        if not actor_roles(by, candidacy):
            raise PermissionDenied(_("Vous ne pouvez pas déposer de pièce sur cette candidature."))
        if candidacy.state in workflow.FINAL_STATES:
            raise ValidationError(
                _("La candidature est « %(state)s » : elle ne reçoit plus de pièce.")
                % {"state": candidacy.get_state_display()}
            )
        errors = {}
        if kind not in DocumentKind.values:
            errors["kind"] = [_("Choisissez la nature de la pièce dans la liste.")]
        file_type, problems = uploads.upload_problems(uploaded_file)
        if problems:
            errors["file"] = problems
        if errors:
            raise ValidationError(errors)
        document = Document(
            candidacy=candidacy,
            kind=kind,
            original_name=PurePath(uploaded_file.name).name[:255],
            content_type=file_type.content_type,
            size=uploaded_file.size,
            uploaded_by=by,
        )
        document.file.save("upload", uploaded_file, save=False)
        try:
            document.save()
            CandidacyEvent.objects.create(
                candidacy=candidacy,
                by=by,
                name="document",
                data={"document_id": document.pk, "kind": kind, "name": document.original_name},
            )
        except Exception:
            # The row is rolled back: do not leave its file behind.
            document.file.storage.delete(document.file.name)
            raise
    return document


MESSAGE_MAX_LENGTH = 5000


def message_post(*, candidacy: Candidacy, by, body: str) -> Message:
    """A message on the candidacy, read by everyone who may see it; e-mailed to the others after commit."""
    with transaction.atomic():
        candidacy = _locked(candidacy)
        if not actor_roles(by, candidacy):
            raise PermissionDenied(_("Vous ne pouvez pas écrire sur cette candidature."))
        body = (body or "").strip()
        if not body:
            raise ValidationError({"body": [_("Écrivez votre message.")]})
        if len(body) > MESSAGE_MAX_LENGTH:
            raise ValidationError(
                {
                    "body": [
                        _("Le message fait %(length)s caractères : raccourcissez-le à %(max)s au plus.")
                        % {"length": len(body), "max": MESSAGE_MAX_LENGTH}
                    ]
                }
            )
        message = Message.objects.create(candidacy=candidacy, author=by, body=body)
        event = CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="message",
            data={"message_id": message.pk, "body": body, "notify": sorted(workflow.ALL_ROLES)},
        )
        _notice_after_commit(event)
    return message


def reminder_roles(candidacy: Candidacy) -> list[str]:
    """Who can move the candidacy on from where it stands (read from the workflow); a draft concerns the
    candidate and the employer only, not the certifier who has not received it yet."""
    if candidacy.state == State.DRAFT:
        return sorted({workflow.CANDIDATE, workflow.EMPLOYER})
    roles = set()
    for transition in workflow.transitions_from(candidacy.state, candidacy.path):
        if transition.name != "withdraw":
            roles |= transition.roles
    return sorted(roles - {workflow.ADMIN})


def candidacies_remind_idle(*, days: int | None = None, now=None) -> list[int]:
    """Record a reminder on each open candidacy idle for `days` days (no event other than a reminder
    since then) and e-mail the people who can move it on, once per idle period. Returns their ids."""
    days = settings.CQP_IDLE_REMINDER_DAYS if days is None else days
    if days < 1:
        raise ValidationError(_("Le délai d'inactivité se compte en jours, au moins un."))
    now = now or timezone.now()
    reminded = []
    for candidacy_id in candidacies_idle(days=days, now=now).values_list("pk", flat=True):
        with transaction.atomic():
            candidacy = _locked(Candidacy(pk=candidacy_id))
            # Checked again under the lock: two runs at once send one reminder.
            if not candidacies_idle(days=days, now=now).filter(pk=candidacy_id).exists():
                continue
            event = CandidacyEvent.objects.create(
                candidacy=candidacy,
                at=now,
                name="reminder",
                data={
                    "state": candidacy.state,
                    "idle_days": days,
                    "notify": reminder_roles(candidacy),
                    "next": [
                        str(t.label)
                        for t in workflow.transitions_from(candidacy.state, candidacy.path)
                        if t.name != "withdraw"
                    ],
                },
            )
            _notice_after_commit(event)
        reminded.append(candidacy_id)
    return reminded
