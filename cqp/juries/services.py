"""The actions of the parity jury. Each one locks what it changes, checks, writes, records who acted,
and sends e-mails only after commit. They raise PermissionDenied, or ValidationError with French
reasons, and then write nothing.
"""

import hashlib
from datetime import date
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership
from cqp.assessments.models import BlockAssessment
from cqp.candidacies import workflow
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent
from cqp.candidacies.services import candidacy_transition
from cqp.core.models import AuditEvent

from . import selectors
from .enums import College, MemberRole, Opinion, ParityRule, SessionState
from .models import (
    AgendaItem,
    Deliberation,
    DeliberationBlock,
    Jury,
    JuryMember,
    JuryMinutes,
    JurySession,
    SessionMember,
)

EDITABLE_STATES = frozenset({SessionState.PLANNED})
STAFF_ROLES = frozenset({selectors.STAFF, selectors.ADMIN})


def _audit(by, action, obj, *, before=None, after=None, reason=""):
    AuditEvent.objects.create(
        actor=by,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
    )


def _require_staff_of(by, certifier_id):
    if not (by and by.is_authenticated and by.is_active):
        raise PermissionDenied(_("Connectez-vous."))
    if by.is_superuser:
        return
    if not Membership.objects.filter(user=by, role=Role.CERTIFIER_STAFF, certifier_id=certifier_id).exists():
        raise PermissionDenied(_("Seul le personnel du certificateur organise ses jurys."))


def _locked_session(session) -> JurySession:
    return JurySession.objects.select_for_update().select_related("jury").get(pk=session.pk)


def _session_roles(by, session):
    return selectors.session_roles(by, session)


def _require_session_staff(by, session):
    if not _session_roles(by, session) & STAFF_ROLES:
        raise PermissionDenied(_("Seul le personnel du certificateur organise cette session."))


def _require_state(session, states, message):
    if session.state not in states:
        raise ValidationError(message % {"state": session.get_state_display()})


# --- Juries and mandates --------------------------------------------------------------------------


def jury_create(*, certifier, by, name, certifications, parity_rule=ParityRule.EQUAL_MEMBERS) -> Jury:
    _require_staff_of(by, certifier.pk)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Donnez un nom au jury.")]
    certifications = list(certifications)
    if not certifications:
        errors["certifications"] = [_("Choisissez au moins une certification.")]
    foreign = [c.code for c in certifications if not c.certifiers.filter(pk=certifier.pk).exists()]
    if foreign:
        errors["certifications"] = [
            _("Ces certifications ne relèvent pas de ce certificateur : %(codes)s.") % {"codes": ", ".join(foreign)}
        ]
    if parity_rule not in ParityRule.values:
        errors["parity_rule"] = [_("Choisissez une règle de parité.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        jury = Jury.objects.create(certifier=certifier, name=name, parity_rule=parity_rule)
        jury.certifications.set(certifications)
        _audit(by, "jury_create", jury, after={"name": name, "parity_rule": parity_rule})
    return jury


def jury_member_add(
    *, jury, by, user, college, represents, role=MemberRole.MEMBER, mandate_start, mandate_end
) -> JuryMember:
    """A mandate on the jury. One president and one vice-president at a time, from different colleges."""
    _require_staff_of(by, jury.certifier_id)
    errors = {}
    if college not in College.values:
        errors["college"] = [_("Choisissez le collège : employeurs ou salariés.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Choisissez la fonction : président, vice-président ou membre.")]
    if not (represents or "").strip():
        errors["represents"] = [_("Indiquez l'organisation que ce membre représente.")]
    if mandate_start and mandate_end and mandate_end < mandate_start:
        errors["mandate_end"] = [_("La fin du mandat précède son début.")]
    if not (mandate_start and mandate_end):
        errors["mandate_start"] = [_("Indiquez les dates du mandat.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Jury.objects.select_for_update().get(pk=jury.pk)
        overlapping = JuryMember.objects.filter(
            jury=jury, mandate_start__lte=mandate_end, mandate_end__gte=mandate_start
        )
        if overlapping.filter(user=user).exists():
            raise ValidationError(_("Cette personne a déjà un mandat sur ce jury pour ces dates."))
        if role in (MemberRole.PRESIDENT, MemberRole.VICE_PRESIDENT):
            if overlapping.filter(role=role).exists():
                raise ValidationError(
                    _("Ce jury a déjà un %(role)s pour ces dates.") % {"role": MemberRole(role).label.lower()}
                )
            other = MemberRole.VICE_PRESIDENT if role == MemberRole.PRESIDENT else MemberRole.PRESIDENT
            if overlapping.filter(role=other, college=college).exists():
                raise ValidationError(_("Le président et le vice-président appartiennent à des collèges différents."))
        member = JuryMember.objects.create(
            jury=jury,
            user=user,
            college=college,
            represents=represents.strip(),
            role=role,
            mandate_start=mandate_start,
            mandate_end=mandate_end,
        )
        Membership.objects.get_or_create(user=user, role=Role.JURY_MEMBER, certifier_id=jury.certifier_id)
        _audit(by, "jury_member_add", member, after={"college": college, "role": role, "represents": represents})
    return member


def jury_member_add_by_email(
    *,
    jury,
    by,
    email,
    first_name="",
    last_name="",
    college,
    represents,
    role=MemberRole.MEMBER,
    mandate_start,
    mandate_end,
) -> tuple[JuryMember, bool]:
    """A mandate for the person with this address; without an account, one is opened for them with no
    usable password, and once the mandate is saved they get the e-mail that lets them choose one.
    Returns (member, account_created). A refused mandate opens no account."""
    from cqp.accounts import services as accounts
    from cqp.accounts.models import User

    _require_staff_of(by, jury.certifier_id)
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise ValidationError({"email": [_("Indiquez l'adresse e-mail du membre.")]})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
            if not (first_name and last_name):
                raise ValidationError(
                    {
                        "first_name": [
                            _("Aucun compte ne porte cette adresse : indiquez le prénom et le nom pour en ouvrir un.")
                        ]
                    }
                )
            user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
            _audit(by, "account.open_for_jury", user, after={"jury": jury.pk})
        member = jury_member_add(
            jury=jury,
            by=by,
            user=user,
            college=college,
            represents=represents,
            role=role,
            mandate_start=mandate_start,
            mandate_end=mandate_end,
        )
        if created:
            accounts.password_reset_request(users=[user])
    return member, created


# --- Sessions, convocations and the agenda -------------------------------------------------------------


def session_plan(*, jury, by, starts_at, place="", video_url="", members=None) -> JurySession:
    """Plan a session; convene the members whose mandate covers its date (or those given)."""
    _require_staff_of(by, jury.certifier_id)
    if not jury.active:
        raise ValidationError(_("Ce jury n'est plus actif."))
    errors = {}
    # A past date is allowed: a branch records the sessions it held before using the platform.
    if starts_at is None:
        errors["starts_at"] = [_("Indiquez la date et l'heure de la session.")]
    if not (place or "").strip() and not (video_url or "").strip():
        errors["place"] = [_("Indiquez un lieu ou un lien de visioconférence.")]
    if errors:
        raise ValidationError(errors)
    day = timezone.localdate(starts_at)
    eligible = JuryMember.objects.filter(jury=jury, mandate_start__lte=day, mandate_end__gte=day)
    if members is not None:
        chosen = {m.pk for m in members}
        outside = [str(m) for m in members if m.jury_id != jury.pk or not m.on(day)]
        if outside:
            raise ValidationError(
                _("Ces personnes n'ont pas de mandat sur ce jury à cette date : %(names)s.")
                % {"names": ", ".join(outside)}
            )
        eligible = eligible.filter(pk__in=chosen)
    with transaction.atomic():
        session = JurySession.objects.create(
            jury=jury,
            starts_at=starts_at,
            place=(place or "").strip(),
            video_url=(video_url or "").strip(),
            created_by=by,
        )
        SessionMember.objects.bulk_create(SessionMember(session=session, member=m) for m in eligible)
        _audit(by, "jury_session_plan", session, after={"starts_at": starts_at.isoformat(), "place": session.place})
    return session


def session_update(*, session, by, starts_at=None, place=None, video_url=None) -> JurySession:
    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : elle ne se modifie plus."))
        before = {"starts_at": session.starts_at.isoformat(), "place": session.place, "video_url": session.video_url}
        old_day = timezone.localdate(session.starts_at)
        if starts_at is not None:
            session.starts_at = starts_at
        if place is not None:
            session.place = place.strip()
        if video_url is not None:
            session.video_url = video_url.strip()
        if not session.place and not session.video_url:
            raise ValidationError({"place": [_("Indiquez un lieu ou un lien de visioconférence.")]})
        session.save(update_fields=["starts_at", "place", "video_url"])
        day = timezone.localdate(session.starts_at)
        if day != old_day:
            # Mandates decide who sits on the new date: those whose mandate no longer covers it leave the
            # session, those whose mandate covers it and did not cover the former date join it.
            SessionMember.objects.filter(session=session).exclude(
                member__mandate_start__lte=day, member__mandate_end__gte=day
            ).delete()
            joining = JuryMember.objects.filter(
                jury=session.jury, mandate_start__lte=day, mandate_end__gte=day
            ).exclude(mandate_start__lte=old_day, mandate_end__gte=old_day)
            SessionMember.objects.bulk_create(
                (SessionMember(session=session, member=m) for m in joining), ignore_conflicts=True
            )
        # Members convened before the change are convened again with the new date or place.
        SessionMember.objects.filter(session=session).update(convened_at=None)
        AgendaItem.objects.filter(session=session).update(candidate_convened_at=None)
        _audit(by, "jury_session_update", session, before=before, after={"starts_at": session.starts_at.isoformat()})
    return session


def session_convene(*, session, by) -> dict:
    """Send the convocations (e-mail with the PDF) to the members and candidates not convened yet."""
    from .notifications import send_convocations

    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : les convocations sont parties."))
        now = timezone.now()
        members = list(
            SessionMember.objects.filter(session=session, convened_at__isnull=True).values_list("pk", flat=True)
        )
        items = list(
            AgendaItem.objects.filter(session=session, candidate_convened_at__isnull=True).values_list("pk", flat=True)
        )
        SessionMember.objects.filter(pk__in=members).update(convened_at=now)
        AgendaItem.objects.filter(pk__in=items).update(candidate_convened_at=now)
        _audit(by, "jury_session_convene", session, after={"members": len(members), "candidates": len(items)})
        transaction.on_commit(lambda: send_convocations.enqueue(session.pk, members, items))
    return {"members": len(members), "candidates": len(items)}


def _agenda_problems(session, candidacy) -> list[str]:
    label = f"{candidacy.candidate} ({candidacy.certification.code})"
    if candidacy.certifier_id != session.jury.certifier_id:
        return [_("%(who)s : cette candidature ne relève pas du certificateur de ce jury.") % {"who": label}]
    if not session.jury.certifications.filter(pk=candidacy.certification_id).exists():
        return [_("%(who)s : ce jury ne couvre pas cette certification.") % {"who": label}]
    if candidacy.state != State.READY_FOR_JURY:
        return [
            _("%(who)s : la candidature est « %(state)s », pas prête pour le jury.")
            % {"who": label, "state": candidacy.get_state_display()}
        ]
    return []


def agenda_add(*, session, candidacies, by) -> list[AgendaItem]:
    """Put candidacies ready for the jury on the agenda (all or none): each moves to SCHEDULED_FOR_JURY."""
    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : son ordre du jour est arrêté."))
        ids = [c.pk for c in candidacies]
        locked = list(
            Candidacy.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("candidate", "certification")
            .order_by("pk")
        )
        problems = [p for candidacy in locked for p in _agenda_problems(session, candidacy)]
        if not locked:
            problems.append(_("Choisissez au moins une candidature prête pour le jury."))
        if problems:
            raise ValidationError(problems)
        position = (AgendaItem.objects.filter(session=session).aggregate(m=Max("position"))["m"] or 0) + 1
        items = []
        for offset, candidacy in enumerate(locked):
            items.append(
                AgendaItem.objects.create(session=session, candidacy=candidacy, position=position + offset, added_by=by)
            )
            candidacy_transition(candidacy=candidacy, name="schedule_for_jury", by=by)
    return items


def agenda_add_correction(*, session, deliberation, by, reason) -> AgendaItem:
    """Put an earlier, signed deliberation back before the jury for correction, with its reason."""
    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : son ordre du jour est arrêté."))
        deliberation = Deliberation.objects.select_related("session", "candidacy").get(pk=deliberation.pk)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Donnez le motif de la correction.")]})
        if deliberation.session.state != SessionState.SIGNED or not deliberation.is_current:
            raise ValidationError(_("Seule une délibération signée et en vigueur se corrige."))
        if deliberation.session.jury_id != session.jury_id:
            raise ValidationError(_("La correction revient au jury qui a délibéré."))
        if deliberation.candidacy.state not in (State.DECIDED, State.DELIVERED):
            raise ValidationError(
                _("La candidature est « %(state)s » : la décision ne se corrige plus par le jury.")
                % {"state": deliberation.candidacy.get_state_display()}
            )
        if AgendaItem.objects.filter(
            corrects=deliberation, session__state__in=[SessionState.PLANNED, SessionState.OPEN, SessionState.CLOSED]
        ).exists():
            raise ValidationError(_("Une correction de cette délibération est déjà à l'ordre du jour d'une session."))
        position = (AgendaItem.objects.filter(session=session).aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            session=session,
            candidacy=deliberation.candidacy,
            position=position,
            corrects=deliberation,
            correction_reason=reason,
            added_by=by,
        )
        CandidacyEvent.objects.create(
            candidacy=deliberation.candidacy,
            by=by,
            name="jury_correction_scheduled",
            comment=reason,
            data={"session": session.pk, "corrects": deliberation.pk},
        )
    return item


def _unschedule(candidacy, *, by, comment, acting_as=None):
    """Back among the candidacies ready for the jury, unless it left the jury's way meanwhile (a candidate
    may withdraw while on an agenda): then it stays as it is."""
    if Candidacy.objects.filter(pk=candidacy.pk, state=State.SCHEDULED_FOR_JURY).exists():
        candidacy_transition(
            candidacy=candidacy, name="unschedule_from_jury", by=by, comment=comment, acting_as=acting_as
        )


def agenda_remove(*, session, candidacy, by) -> None:
    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : son ordre du jour est arrêté."))
        item = AgendaItem.objects.filter(session=session, candidacy=candidacy).first()
        if item is None:
            raise ValidationError(_("Cette candidature n'est pas à l'ordre du jour."))
        item.delete()
        if item.corrects_id is None:
            _unschedule(candidacy, by=by, comment=_("Retirée de l'ordre du jour."))


def session_cancel(*, session, by, reason) -> JurySession:
    with transaction.atomic():
        session = _locked_session(session)
        _require_session_staff(by, session)
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : elle ne s'annule plus."))
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("Donnez le motif de l'annulation.")]})
        session.state = SessionState.CANCELLED
        session.save(update_fields=["state"])
        for item in AgendaItem.objects.filter(session=session, corrects__isnull=True).select_related("candidacy"):
            _unschedule(item.candidacy, by=by, comment=reason.strip())
        _audit(by, "jury_session_cancel", session, reason=reason.strip())
    return session


# --- Attendance and opening ---------------------------------------------------------------------------


def attendance_record(*, session, by, present: dict) -> list[SessionMember]:
    """Record who is present (`present` maps SessionMember or JuryMember ids to True/False)."""
    with transaction.atomic():
        session = _locked_session(session)
        roles = _session_roles(by, session)
        if not roles & (STAFF_ROLES | {selectors.PRESIDENT}):
            raise PermissionDenied(_("Le personnel du certificateur ou le président relève les présences."))
        _require_state(
            session,
            {SessionState.PLANNED, SessionState.OPEN},
            _("La session est « %(state)s » : les présences ne se modifient plus."),
        )
        attendance = {a.member_id: a for a in SessionMember.objects.select_for_update().filter(session=session)}
        unknown = [key for key in present if int(key) not in attendance]
        if unknown:
            raise ValidationError(
                _("Ces personnes ne sont pas convoquées à cette session : %(ids)s.") % {"ids": unknown}
            )
        for key, value in present.items():
            attendance[int(key)].present = bool(value)
        SessionMember.objects.bulk_update(list(attendance.values()), ["present"])
        _audit(by, "jury_attendance", session, after={str(k): bool(v) for k, v in present.items()})
    return list(attendance.values())


def session_open(*, session, by) -> JurySession:
    """Open the deliberation once the session is regular (attendance, both colleges, parity, signatories)."""
    with transaction.atomic():
        session = _locked_session(session)
        if not _session_roles(by, session) & (STAFF_ROLES | {selectors.PRESIDENT}):
            raise PermissionDenied(_("Le personnel du certificateur ou le président ouvre la délibération."))
        _require_state(session, EDITABLE_STATES, _("La session est « %(state)s » : elle ne s'ouvre pas."))
        if timezone.localdate(session.starts_at) > timezone.localdate():
            raise ValidationError(_("La délibération s'ouvre le jour de la session, pas avant."))
        problems = selectors.session_regularity(session)
        if problems:
            raise ValidationError(problems)
        if not AgendaItem.objects.filter(session=session).exists():
            raise ValidationError(_("L'ordre du jour est vide."))
        session.state = SessionState.OPEN
        session.opened_at = timezone.now()
        session.save(update_fields=["state", "opened_at"])
        _audit(by, "jury_session_open", session)
    return session


# --- Deliberation ---------------------------------------------------------------------------------


class DeliberationConflict(ValidationError):
    """Someone else saved this deliberation since it was opened: nothing is written; `current` is theirs."""

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


def deliberated_blocks(candidacy) -> list[CandidacyBlock]:
    """The blocks the jury decides on: those targeted and not already held (exempted or capitalised)."""
    return [
        row
        for row in candidacy.blocks.select_related("block").order_by("block__position", "block__code")
        if row.status not in (BlockStatus.EXEMPTED, BlockStatus.ACQUIRED)
    ]


def opinion_for(*, decided: int, validated: int, already_held: int) -> str:
    """All required blocks held or validated: AWARD; some validated: PARTIAL; none: REFUSAL."""
    if validated == decided and decided + already_held > 0:
        return Opinion.AWARD
    if validated:
        return Opinion.PARTIAL
    return Opinion.REFUSAL


def _votes_problems(session, voters, votes, opinion) -> tuple[list[str], dict]:
    problems, fields = [], {}
    weighted = session.jury.parity_rule == ParityRule.WEIGHTED
    # Exact fractions: with floats, 7 x 1/10 against 2 x 1/10 + 5 x 1/10 passed for a majority.
    totals = {"for": Fraction(0), "against": Fraction(0)}
    for college in College:
        key = college.value.lower()
        raw = (votes or {}).get(college.value) or (votes or {}).get(key) or {}
        try:
            counts = {k: int(raw.get(k, 0) or 0) for k in ("for", "against", "abstain")}
        except (TypeError, ValueError, AttributeError):
            problems.append(_("%(college)s : les voix sont des nombres entiers.") % {"college": college.label})
            continue
        if any(v < 0 for v in counts.values()):
            problems.append(_("%(college)s : les voix ne sont pas négatives.") % {"college": college.label})
            continue
        expected = len(voters[college.value])
        if sum(counts.values()) != expected:
            problems.append(
                _("%(college)s : %(given)s voix pour %(expected)s votant(s) ; chaque votant vote une fois.")
                % {"college": college.label, "given": sum(counts.values()), "expected": expected}
            )
        weight = (Fraction(1, expected) if expected else 0) if weighted else 1
        totals["for"] += counts["for"] * weight
        totals["against"] += counts["against"] * weight
        for k, v in counts.items():
            fields[f"{key}_{k}"] = v
    if not problems and totals["for"] <= totals["against"]:
        problems.append(
            _("Le vote ne donne pas la majorité à cet avis (%(for)s pour, %(against)s contre) : revoyez la décision.")
            % {"for": _number(totals["for"]), "against": _number(totals["against"])}
        )
    return problems, fields


def _number(value) -> str:
    return f"{int(value)}" if value == int(value) else f"{float(value):.2f}".replace(".", ",")


def deliberation_record(
    *, session, candidacy, by, validated_blocks, votes, motivation="", revision=None
) -> Deliberation:
    """Record, or amend before the minutes are drafted, the jury's decision on a candidacy of the agenda.

    `validated_blocks` are block codes; the opinion follows from them. `votes` maps each college to
    {for, against, abstain}. `revision` is the revision the person saw when amending: if someone saved
    since, DeliberationConflict carries their version and nothing is written."""
    with transaction.atomic():
        session = _locked_session(session)
        roles = _session_roles(by, session)
        attendance = selectors.session_attendance(session)
        mine = next((a for a in attendance if a.member.user_id == by.pk), None)
        if not roles & STAFF_ROLES and not (mine and mine.present):
            raise PermissionDenied(
                _("Seuls les membres présents et le secrétariat du certificateur saisissent les délibérations.")
            )
        _require_state(
            session, {SessionState.OPEN}, _("La session est « %(state)s » : la délibération n'est pas ouverte.")
        )
        # Attendance may change once the deliberation is open: a session that lost its regularity does not
        # deliberate until it is restored.
        irregular = selectors.session_regularity(session, attendance)
        if irregular:
            raise ValidationError(irregular)
        candidacy = (
            Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)
        )
        item = AgendaItem.objects.filter(session=session, candidacy=candidacy).select_related("corrects").first()
        if item is None:
            raise ValidationError(_("Cette candidature n'est pas à l'ordre du jour de la session."))
        if item.corrects_id is None and candidacy.state != State.SCHEDULED_FOR_JURY:
            raise ValidationError(
                _("La candidature est « %(state)s » : le jury ne délibère pas dessus.")
                % {"state": candidacy.get_state_display()}
            )
        conflicts = selectors.conflicts_for(session, [candidacy])[candidacy.pk]
        recused_ids = {c["member"] for c in conflicts}
        if mine is not None and mine.member_id in recused_ids and not roles & STAFF_ROLES:
            raise PermissionDenied(
                _("Vous avez un lien avec ce candidat (%(reason)s) : vous ne délibérez pas sur sa candidature.")
                % {"reason": next(c["reason"] for c in conflicts if c["member"] == mine.member_id)}
            )
        existing = Deliberation.objects.select_for_update().filter(session=session, candidacy=candidacy).first()
        if existing is not None:
            if revision is None:
                raise ValidationError(_("Le jury a déjà délibéré sur cette candidature dans cette session."))
            if int(revision) != existing.revision:
                raise DeliberationConflict(
                    _(
                        "%(who)s a enregistré cette délibération entre-temps : votre saisie n'a pas été "
                        "enregistrée. Voici la version en vigueur ; reprenez vos modifications."
                    )
                    % {"who": existing.recorded_by.get_full_name() or existing.recorded_by.email},
                    current=existing,
                )

        # What the jury decides on: for a correction, the blocks the corrected deliberation decided.
        if item.corrects_id:
            rows = {b.block.code.upper(): b.block for b in item.corrects.blocks.select_related("block")}
            held = candidacy.blocks.filter(status=BlockStatus.EXEMPTED).count()
        else:
            rows = {row.block.code.upper(): row.block for row in deliberated_blocks(candidacy)}
            held = candidacy.blocks.filter(status__in=[BlockStatus.EXEMPTED, BlockStatus.ACQUIRED]).count()
        codes = {(code or "").strip().upper() for code in validated_blocks or ()}
        problems = []
        unknown = sorted(codes - set(rows))
        if unknown:
            problems.append(
                _("Ces blocs ne sont pas soumis au jury pour cette candidature : %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        if not rows:
            problems.append(_("Aucun bloc n'est à décider pour cette candidature."))
        opinion = opinion_for(decided=len(rows), validated=len(codes & set(rows)), already_held=held)
        motivation = (motivation or "").strip()
        if opinion in (Opinion.PARTIAL, Opinion.REFUSAL) and not motivation:
            problems.append(
                _("Motivez l'avis « %(opinion)s » : la motivation est communiquée au candidat.")
                % {"opinion": Opinion(opinion).label}
            )
        departures = _departures_from_assessments(candidacy, rows, codes)
        if departures and not motivation:
            problems.append(
                _("La décision s'écarte de l'évaluation pour %(codes)s : motivez-la.")
                % {"codes": ", ".join(departures)}
            )
        voters = selectors.voting_members(attendance, recused_ids)
        problems += selectors.parity_problems(session, voters, votes=votes)
        vote_problems, vote_fields = _votes_problems(session, voters, votes, opinion)
        problems += vote_problems
        if problems:
            raise ValidationError(problems)

        values = dict(
            opinion=opinion,
            motivation=motivation,
            recusals=conflicts,
            recorded_by=by,
            corrects=item.corrects,
            correction_reason=item.correction_reason,
            # A correction is in force only once its session is signed.
            is_current=item.corrects_id is None,
            **vote_fields,
        )
        if existing is None:
            deliberation = Deliberation.objects.create(session=session, candidacy=candidacy, **values)
        else:
            deliberation = existing
            for field, value in values.items():
                setattr(deliberation, field, value)
            deliberation.revision += 1
            deliberation.save()
            deliberation.blocks.all().delete()
        DeliberationBlock.objects.bulk_create(
            DeliberationBlock(deliberation=deliberation, block=block, validated=code in codes)
            for code, block in rows.items()
        )
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="jury_deliberation",
            comment=motivation,
            data={
                "session": session.pk,
                "opinion": opinion,
                "validated": sorted(codes),
                "revision": deliberation.revision,
                "recusals": [c["member"] for c in conflicts],
            },
        )
    return deliberation


def _departures_from_assessments(candidacy, rows, codes) -> list[str]:
    """Blocks where the jury's decision differs from the last submitted assessment's verdict."""
    from cqp.assessments.enums import AssessmentState, Verdict
    from cqp.assessments.models import BlockAssessment

    verdicts = {}
    for block_id, verdict in (
        BlockAssessment.objects.filter(candidacy=candidacy, state=AssessmentState.SUBMITTED)
        .order_by("version", "submitted_at")
        .values_list("block_id", "verdict")
    ):
        verdicts[block_id] = verdict
    departures = []
    for code, block in rows.items():
        verdict = verdicts.get(block.pk)
        if verdict and (verdict == Verdict.ACQUIRED) != (code in codes):
            departures.append(block.code)
    return departures


# --- Minutes -----------------------------------------------------------------------------------------


def _signatories(session):
    day = timezone.localdate(session.starts_at)
    present = [a.member for a in selectors.session_attendance(session) if a.present]
    president = next((m for m in present if m.role == MemberRole.PRESIDENT and m.on(day)), None)
    vice = next((m for m in present if m.role == MemberRole.VICE_PRESIDENT and m.on(day)), None)
    return president, vice


def session_close(*, session, by) -> JuryMinutes:
    """Close the deliberations and draft the minutes for signature. Candidacies of the agenda without a
    deliberation are postponed (they go back to the candidacies ready for the jury at signature)."""
    from .documents import render_minutes

    with transaction.atomic():
        session = _locked_session(session)
        if not _session_roles(by, session) & (STAFF_ROLES | {selectors.PRESIDENT}):
            raise PermissionDenied(_("Le personnel du certificateur ou le président clôt les délibérations."))
        _require_state(session, {SessionState.OPEN}, _("La session est « %(state)s » : rien à clore."))
        president, vice = _signatories(session)
        if president is None or vice is None:
            raise ValidationError(_("Le président et le vice-président doivent être présents pour signer."))
        session.state = SessionState.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["state", "closed_at"])
        pdf = render_minutes(session=session)
        minutes, _created = JuryMinutes.objects.update_or_create(
            session=session,
            defaults={
                "draft_sha256": hashlib.sha256(pdf).hexdigest(),
                "drafted_at": session.closed_at,
                "president": president,
                "vice_president": vice,
                "president_signed_at": None,
                "vice_president_signed_at": None,
            },
        )
        minutes.pdf.save("proces-verbal-projet.pdf", ContentFile(pdf), save=True)
        _audit(by, "jury_session_close", session, after={"sha256": minutes.draft_sha256})
    return minutes


def session_reopen(*, session, by, reason) -> JurySession:
    """Before both signatures, reopen the deliberations to amend them: the draft and any signature lapse."""
    with transaction.atomic():
        session = _locked_session(session)
        if not _session_roles(by, session) & (STAFF_ROLES | {selectors.PRESIDENT}):
            raise PermissionDenied(_("Le personnel du certificateur ou le président rouvre les délibérations."))
        _require_state(session, {SessionState.CLOSED}, _("La session est « %(state)s » : elle ne se rouvre pas."))
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("Donnez le motif de la réouverture.")]})
        JuryMinutes.objects.filter(session=session).update(president_signed_at=None, vice_president_signed_at=None)
        session.state = SessionState.OPEN
        session.closed_at = None
        session.save(update_fields=["state", "closed_at"])
        _audit(by, "jury_session_reopen", session, reason=reason.strip())
    return session


def minutes_sign(*, session, by, sha256=None) -> JuryMinutes:
    """The president or the vice-president accepts the draft minutes (its SHA-256, if given, must be the
    one they read). With both signatures the session is signed: the final PDF is stored, the decisions
    apply to the candidacies, postponed candidacies go back to those ready for the jury."""
    from .documents import render_minutes

    with transaction.atomic():
        session = _locked_session(session)
        _require_state(
            session, {SessionState.CLOSED}, _("La session est « %(state)s » : pas de procès-verbal à signer.")
        )
        minutes = (
            JuryMinutes.objects.select_for_update().select_related("president", "vice_president").get(session=session)
        )
        now = timezone.now()
        if minutes.president.user_id == by.pk:
            if minutes.president_signed_at:
                raise ValidationError(_("Vous avez déjà signé ce procès-verbal."))
            minutes.president_signed_at = now
            as_role = MemberRole.PRESIDENT
        elif minutes.vice_president.user_id == by.pk:
            if minutes.vice_president_signed_at:
                raise ValidationError(_("Vous avez déjà signé ce procès-verbal."))
            minutes.vice_president_signed_at = now
            as_role = MemberRole.VICE_PRESIDENT
        else:
            raise PermissionDenied(_("Seuls le président et le vice-président de la session signent le procès-verbal."))
        if sha256 and sha256 != minutes.draft_sha256:
            raise ValidationError(
                _("Le procès-verbal a changé depuis que vous l'avez ouvert : relisez-le avant de signer.")
            )
        minutes.save(update_fields=["president_signed_at", "vice_president_signed_at"])
        _audit(by, "jury_minutes_sign", session, after={"as": as_role, "sha256": minutes.draft_sha256})
        if minutes.president_signed_at and minutes.vice_president_signed_at:
            session.state = SessionState.SIGNED
            session.signed_at = now
            session.save(update_fields=["state", "signed_at"])
            _apply_decisions(session, by)
            pdf = render_minutes(session=session, minutes=minutes)
            minutes.pdf.save("proces-verbal.pdf", ContentFile(pdf), save=False)
            minutes.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            minutes.save(update_fields=["pdf", "pdf_sha256"])
    return minutes


def _apply_decisions(session, by):
    """At signature: block statuses and candidacy states follow each deliberation of the session."""
    deliberations = {
        d.candidacy_id: d
        for d in Deliberation.objects.filter(session=session).select_related("corrects").prefetch_related("blocks")
    }
    for item in AgendaItem.objects.filter(session=session).select_related("candidacy").order_by("position", "pk"):
        candidacy = item.candidacy
        deliberation = deliberations.get(candidacy.pk)
        if deliberation is None:
            if item.corrects_id is None:
                _unschedule(
                    candidacy,
                    by=by,
                    comment=_("Ajournée : le jury n'a pas délibéré sur cette candidature lors de la session."),
                    acting_as=workflow.JURY,
                )
            continue
        statuses = {
            b.block_id: BlockStatus.ACQUIRED if b.validated else BlockStatus.NOT_ACQUIRED
            for b in deliberation.blocks.all()
        }
        rows = list(CandidacyBlock.objects.filter(candidacy=candidacy, block_id__in=statuses))
        for row in rows:
            row.status = statuses[row.block_id]
        CandidacyBlock.objects.bulk_update(rows, ["status"])
        # The assessments the jury examined stay in the history; a later round assesses anew.
        BlockAssessment.objects.filter(candidacy=candidacy, block_id__in=statuses, judged=False).update(judged=True)
        if deliberation.corrects_id:
            Deliberation.objects.filter(pk=deliberation.corrects_id).update(is_current=False)
            deliberation.is_current = True
            deliberation.save(update_fields=["is_current"])
            _revoke_for_correction(deliberation, by)
            candidacy_transition(
                candidacy=candidacy,
                name="record_corrected_decision",
                by=by,
                comment=deliberation.correction_reason,
                acting_as=workflow.JURY,
            )
        else:
            candidacy_transition(
                candidacy=candidacy,
                name="record_decision",
                by=by,
                comment=deliberation.motivation,
                acting_as=workflow.JURY,
            )


def _revoke_for_correction(deliberation, by):
    from cqp.awards.models import Award
    from cqp.capitalisation.services import held_blocks_withdraw_for_award
    from cqp.credentials.services import credential_revoke

    now = timezone.now()
    revoked = list(Award.objects.filter(deliberation=deliberation.corrects, revoked_at__isnull=True))
    Award.objects.filter(pk__in=[award.pk for award in revoked]).update(
        revoked_at=now,
        revoked_by=by,
        revocation_reason=_("Décision corrigée par le jury : %(reason)s") % {"reason": deliberation.correction_reason},
    )
    for award in revoked:
        credential_revoke(award=award)
        held_blocks_withdraw_for_award(award=award, by=by, reason=deliberation.correction_reason)


def session_day(session) -> date:
    return timezone.localdate(session.starts_at)
