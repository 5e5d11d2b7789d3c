"""The jury session pages for the certifier's staff and the convened members, the dossiers, the
deliberation, the minutes, and delivery with the awards register.

Thin views: a session comes through sessions_visible_to (404 for anyone else), who may act is the
service's rule (its French reasons are shown), one service per act; a refused act changes nothing.
Every page reads a constant number of rows whatever the length of the agenda or the number of blocks.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership
from cqp.assessments.enums import AssessmentState, PlanStatus
from cqp.assessments.models import PositioningBlock, TrainingModule
from cqp.awards import services as awards
from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.awards.selectors import awards_delivered_by
from cqp.candidacies.enums import BlockStatus
from cqp.candidacies.models import CandidacyEvent, Document
from cqp.catalogue.models import Certification
from cqp.credentials import services as credentials
from cqp.juries import selectors, services
from cqp.juries.enums import College, Opinion, ParityRule, SessionState
from cqp.juries.models import AgendaItem, Deliberation, DeliberationBlock, JuryMinutes
from cqp.www.candidacies.forms import add_service_errors
from cqp.www.candidacies.timeline import event_label
from cqp.www.candidacies.views import refusal_text

from . import award_documents, forms

STAFF_ROLES = frozenset({selectors.STAFF, selectors.ADMIN})
AGENDA_PAGE_SIZE = 50
LEADING_ROLES = STAFF_ROLES | {selectors.PRESIDENT}
HELD = (BlockStatus.EXEMPTED, BlockStatus.ACQUIRED)
CANDIDACY_RELATED = (
    "candidacy__candidate",
    "candidacy__certification",
    "candidacy__certifier",
    "candidacy__employer",
    "candidacy__tutor",
    "candidacy__training_org",
    "candidacy__assessment_centre",
)


def _history_label(name):
    return event_label(name)


def _link(name, **kwargs):
    """A page of another area, if it exists (None otherwise): the juries' own pages are optional here."""
    try:
        return reverse(f"www:{name}", kwargs=kwargs)
    except NoReverseMatch:
        return None


def _session_url(session, anchor=""):
    url = reverse("www:jury_session", kwargs={"pk": session.pk})
    return f"{url}#{anchor}" if anchor else url


def _dossier_url(session, candidacy_id, anchor=""):
    url = reverse("www:jury_dossier", kwargs={"pk": session.pk, "candidacy_pk": candidacy_id})
    return f"{url}#{anchor}" if anchor else url


def _session_or_404(user, pk):
    """The session and the roles the user acts in: certifier staff or convened member, else 404."""
    session = selectors.sessions_visible_to(user).select_related("jury__certifier").filter(pk=pk).first()
    if session is None:
        raise Http404(_("Aucune session de jury n° %(pk)s parmi celles que vous pouvez consulter.") % {"pk": pk})
    return session, selectors.session_roles(user, session)


def _agenda_item_or_404(session, candidacy_pk):
    item = (
        AgendaItem.objects.filter(session=session, candidacy_id=candidacy_pk)
        .select_related(*CANDIDACY_RELATED, "corrects")
        .first()
    )
    if item is None:
        raise Http404(_("Cette candidature n'est pas à l'ordre du jour de cette session."))
    return item


def _parity_in_words(jury) -> str:
    if jury.parity_rule == ParityRule.WEIGHTED:
        return _(
            "Vote pondéré : chaque collège pèse la moitié des voix, quel que soit le nombre de ses votants. "
            "Chaque collège doit compter au moins un votant."
        )
    return _(
        "Autant de votants dans chaque collège : le jury délibère avec le même nombre de membres employeurs "
        "et de membres salariés présents."
    )


# --- The session page ---------------------------------------------------------------------------


def _item_status(session, item) -> tuple[str, str]:
    """What the agenda says of a candidacy: its opinion, or where it stands (label, badge class)."""
    if item.deliberation is not None:
        opinion = item.deliberation.opinion
        badge = {Opinion.AWARD: "badge-ok", Opinion.PARTIAL: "badge-warn"}.get(opinion, "badge-bad")
        return item.deliberation.get_opinion_display(), badge
    if session.state == SessionState.OPEN:
        return _("À délibérer"), ""
    if session.state in (SessionState.CLOSED, SessionState.SIGNED):
        return _("Ajournée : pas de délibération"), "badge-warn"
    return _("En attente de la session"), ""


def _session_context(request, session, roles, *, attendance_form=None, reopen_form=None):
    attendance = selectors.session_attendance(session)
    # One page of the agenda at a time: a national session can hold hundreds of candidacies.
    page = Paginator(
        AgendaItem.objects.filter(session=session).order_by("position", "pk").values_list("pk", flat=True),
        AGENDA_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    items = selectors.agenda_rows(session, item_ids=page.object_list)
    conflicts = selectors.conflicts_for(session, [item.candidacy for item in items])
    minutes = JuryMinutes.objects.filter(session=session).select_related("president__user", "vice_president__user")
    minutes = minutes.first()
    for item in items:
        item.status_label, item.status_badge = _item_status(session, item)
        item.recusals = conflicts.get(item.candidacy_id, [])
    by_college = []
    for college in College:
        rows = [a for a in attendance if a.member.college == college.value]
        by_college.append({"college": college, "rows": rows, "present": sum(1 for a in rows if a.present)})
    counts = selectors.agenda_summary(session)
    by_opinion = counts["by_opinion"]
    decided = sum(by_opinion.values())
    summary = {
        "total": counts["total"],
        "decided": decided,
        "remaining": counts["total"] - decided,
        "opinions": [(label, by_opinion.get(value, 0)) for value, label in Opinion.choices],
    }
    state = session.state
    leading = bool(roles & LEADING_ROLES)
    staff = bool(roles & STAFF_ROLES)
    may_attend = leading and state in (SessionState.PLANNED, SessionState.OPEN)
    signer = None
    if minutes is not None and state == SessionState.CLOSED:
        if minutes.president.user_id == request.user.pk and not minutes.president_signed_at:
            signer = minutes.president
        elif minutes.vice_president.user_id == request.user.pk and not minutes.vice_president_signed_at:
            signer = minutes.vice_president
    problems = selectors.session_regularity(session, attendance) if state == SessionState.PLANNED else []
    jury_id = session.jury_id
    planning = staff and state == SessionState.PLANNED
    return {
        "session": session,
        "roles": roles,
        "is_staff": staff,
        "attendance": attendance,
        "by_college": by_college,
        "problems": problems,
        "parity_words": _parity_in_words(session.jury),
        "items": items,
        "page": page,
        "summary": summary,
        "minutes": minutes,
        "attendance_form": attendance_form
        or (forms.AttendanceForm(attendance=attendance, auto_id="id_att_%s") if may_attend else None),
        "may_open": leading and state == SessionState.PLANNED,
        "may_close": leading and state == SessionState.OPEN,
        "reopen_form": reopen_form
        or (
            forms.ReasonForm(label=_("Motif de la réouverture"), auto_id="id_reopen_%s")
            if leading and state == SessionState.CLOSED
            else None
        ),
        "signer": signer,
        "may_deliver": staff and state == SessionState.SIGNED,
        "links": {
            "jury": _link("jury_detail", pk=jury_id) if staff else None,
            "juries": _link("jury_list") if staff else None,
            "edit": _link("jury_session_edit", pk=session.pk) if planning else None,
            "agenda": _link("jury_session_agenda", pk=session.pk) if planning else None,
            "convene": _link("jury_session_convene", pk=session.pk) if planning else None,
            "cancel": _link("jury_session_cancel", pk=session.pk) if planning else None,
            "awards": reverse("www:award_list") if staff else None,
        },
    }


def _render_session(request, session, roles, *, status=200, **forms_given):
    context = _session_context(request, session, roles, **forms_given)
    return render(request, "www/jurysession/session.html", context, status=status)


@login_required
@require_GET
def session_detail(request, pk):
    session, roles = _session_or_404(request.user, pk)
    return _render_session(request, session, roles)


@login_required
@require_POST
def session_attendance(request, pk):
    session, roles = _session_or_404(request.user, pk)
    form = forms.AttendanceForm(request.POST, attendance=selectors.session_attendance(session), auto_id="id_att_%s")
    if form.is_valid():
        try:
            services.attendance_record(session=session, by=request.user, present=form.present())
        except PermissionDenied as error:
            messages.error(request, refusal_text(error))
            return redirect(_session_url(session))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect(_session_url(session, "presences"))
    return _render_session(request, session, roles, attendance_form=form, status=400)


def _session_act(request, pk, act, done, anchor=""):
    session, _roles = _session_or_404(request.user, pk)
    try:
        act(session=session, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _("Rien n'a été fait : %(reason)s") % {"reason": refusal_text(error)})
    else:
        messages.success(request, done)
    return redirect(_session_url(session, anchor))


@login_required
@require_POST
def session_open(request, pk):
    return _session_act(request, pk, services.session_open, _("La délibération est ouverte."), "ordre-du-jour")


@login_required
@require_POST
def session_close(request, pk):
    return _session_act(
        request,
        pk,
        services.session_close,
        _("Les délibérations sont closes : le projet de procès-verbal est prêt à être signé."),
        "proces-verbal",
    )


@login_required
@require_POST
def session_reopen(request, pk):
    session, roles = _session_or_404(request.user, pk)
    form = forms.ReasonForm(request.POST, label=_("Motif de la réouverture"), auto_id="id_reopen_%s")
    if form.is_valid():
        try:
            services.session_reopen(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            messages.error(request, refusal_text(error))
            return redirect(_session_url(session))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les délibérations sont rouvertes ; les signatures éventuelles sont annulées."))
            return redirect(_session_url(session))
    return _render_session(request, session, roles, reopen_form=form, status=400)


# --- Minutes -------------------------------------------------------------------------------------


@login_required
@require_GET
def minutes_pdf(request, pk):
    session, _roles = _session_or_404(request.user, pk)
    minutes = JuryMinutes.objects.filter(session=session).first()
    if minutes is None or not minutes.pdf:
        raise Http404(_("Le procès-verbal de cette session n'est pas encore rédigé."))
    final = session.state == SessionState.SIGNED
    name = f"proces-verbal-session-{session.pk}{'' if final else '-projet'}.pdf"
    response = FileResponse(minutes.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def minutes_sign(request, pk):
    session, roles = _session_or_404(request.user, pk)
    minutes = JuryMinutes.objects.filter(session=session).select_related("president", "vice_president").first()
    if minutes is None or session.state != SessionState.CLOSED:
        messages.error(request, _("Il n'y a pas de procès-verbal à signer pour cette session."))
        return redirect(_session_url(session))
    if request.user.pk not in (minutes.president.user_id, minutes.vice_president.user_id):
        raise PermissionDenied(_("Seuls le président et le vice-président de la session signent le procès-verbal."))
    form = forms.SignForm(request.POST or None, initial={"sha256": minutes.draft_sha256})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                minutes = services.minutes_sign(session=session, by=request.user, sha256=form.cleaned_data["sha256"])
            except PermissionDenied as error:
                messages.error(request, refusal_text(error))
                return redirect(_session_url(session))
            except ValidationError as error:
                # Shown again with the draft as it stands now, to be read before signing.
                minutes.refresh_from_db()
                form = forms.SignForm({"sha256": minutes.draft_sha256})
                form.is_valid()
                form.add_error(None, error)
                status = 400
            else:
                session.refresh_from_db()
                if session.state == SessionState.SIGNED:
                    messages.success(
                        request, _("Vous avez signé : le procès-verbal est signé par les deux signataires.")
                    )
                else:
                    messages.success(request, _("Vous avez signé le procès-verbal ; l'autre signature est attendue."))
                return redirect(_session_url(session, "proces-verbal"))
        else:
            status = 400
    context = {"session": session, "minutes": minutes, "form": form}
    return render(request, "www/jurysession/sign.html", context, status=status)


# --- One dossier ---------------------------------------------------------------------------------


def _decision_rows(item, blocks):
    """The blocks the jury decides on and those already held, as the deliberation service counts them."""
    if item.corrects_id:
        rows = list(DeliberationBlock.objects.filter(deliberation_id=item.corrects_id).select_related("block"))
        held = [row for row in blocks if row.status == BlockStatus.EXEMPTED]
        return rows, held
    return services.deliberated_blocks(item.candidacy), [row for row in blocks if row.status in HELD]


def _dossier_context(request, session, roles, item):
    candidacy = item.candidacy
    blocks = list(candidacy.blocks.select_related("block").order_by("block__position", "block__code"))
    rows, held = _decision_rows(item, blocks)
    positionings = list(
        candidacy.positionings.select_related("by")
        .prefetch_related(Prefetch("results", queryset=PositioningBlock.objects.select_related("block", "evidence")))
        .order_by("-version")
    )
    plans = list(
        candidacy.training_plans.select_related("training_org", "tutor")
        .prefetch_related(Prefetch("modules", queryset=TrainingModule.objects.select_related("block")))
        .order_by("-version")
    )
    assessments = selectors.submitted_assessments([candidacy.pk]).get(candidacy.pk, [])
    vae_entries = {e.block_id: e for e in candidacy.vae_dossier.prefetch_related("documents")}
    eligibility = candidacy.vae_eligibilities.select_related("decided_by").order_by("-version").first()
    documents = list(candidacy.documents.select_related("uploaded_by"))
    events = list(candidacy.events.select_related("by"))
    for event in events:
        event.label = _history_label(event.name)
    deliberation = (
        Deliberation.objects.filter(session=session, candidacy=candidacy)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("blocks", queryset=DeliberationBlock.objects.select_related("block")))
        .first()
    )
    earlier = list(
        Deliberation.objects.filter(candidacy=candidacy)
        .exclude(session=session)
        .select_related("session__jury")
        .order_by("session__starts_at", "pk")
    )
    candidacy_awards = list(Award.objects.filter(candidacy=candidacy).prefetch_related("blocks"))
    recusals = selectors.conflicts_for(session, [candidacy])[candidacy.pk]
    attendance = selectors.session_attendance(session)
    order = list(
        AgendaItem.objects.filter(session=session).order_by("position", "pk").values_list("candidacy_id", flat=True)
    )

    # Per block, everything the jury reads about it, in one place.
    plan = next((p for p in plans if p.status != PlanStatus.SUPERSEDED), None)
    positioning = next((p for p in positionings if p.is_current), positionings[0] if positionings else None)
    positioned = {r.block_id: r for r in positioning.results.all()} if positioning else {}
    modules = defaultdict(list)
    for module in plan.modules.all() if plan else ():
        modules[module.block_id].append(module)
    versions = defaultdict(list)
    for assessment in assessments:
        versions[assessment.block_id].append(assessment)
    decided = {row.block_id: row.validated for row in deliberation.blocks.all()} if deliberation else {}
    decided_ids = set(decided) if deliberation else {row.block_id for row in rows}
    block_views = []
    for row in blocks:
        history = versions.get(row.block_id, [])
        current = next((a for a in history if a.state == AssessmentState.SUBMITTED), None)
        block_views.append(
            {
                "row": row,
                "held": row in held and row.block_id not in decided_ids,
                "positioning": positioned.get(row.block_id),
                "modules": modules.get(row.block_id, []),
                "assessment": current,
                "earlier_versions": [a for a in history if a is not current],
                "vae": vae_entries.get(row.block_id),
                "decision": decided.get(row.block_id),
            }
        )

    position = order.index(candidacy.pk) if candidacy.pk in order else 0
    mine = next((a for a in attendance if a.member.user_id == request.user.pk), None)
    my_recusal = next((r for r in recusals if mine and r["member"] == mine.member_id), None)
    staff = bool(roles & STAFF_ROLES)
    may_deliberate = (
        session.state == SessionState.OPEN
        and (staff or (mine is not None and mine.present))
        and not (my_recusal and not staff)
    )
    recused_ids = {r["member"] for r in recusals}
    voters = selectors.voting_members(attendance, recused_ids)
    return {
        "session": session,
        "roles": roles,
        "is_staff": staff,
        "item": item,
        "candidacy": candidacy,
        "blocks": block_views,
        "decision_rows": rows,
        "held": held,
        "positioning": positioning,
        "positionings": positionings,
        "plan": plan,
        "plans": plans,
        "eligibility": eligibility,
        "documents": documents,
        "events": events,
        "deliberation": deliberation,
        "earlier": earlier,
        "awards": candidacy_awards,
        "recusals": recusals,
        "my_recusal": my_recusal,
        "voters": voters,
        "parity_problems": selectors.parity_problems(session, voters) if session.state == SessionState.OPEN else [],
        "may_deliberate": may_deliberate,
        "may_deliver": staff and session.state == SessionState.SIGNED and deliberation is not None,
        "previous": order[position - 1] if position > 0 else None,
        "next": order[position + 1] if position + 1 < len(order) else None,
        "position": position + 1,
        "count": len(order),
    }


def _render_dossier(request, session, roles, item, *, form=None, other=None, preview=None, status=200):
    context = _dossier_context(request, session, roles, item)
    if context["may_deliberate"] and form is None:
        initial = forms.deliberation_initial(context["deliberation"]) if context["deliberation"] else None
        form = forms.DeliberationForm(initial=initial, blocks=context["decision_rows"])
    form = form if context["may_deliberate"] else None
    votes = [(c, fields, len(context["voters"][c.value])) for c, fields in form.vote_fields()] if form else []
    if preview is None and form is not None and not form.is_bound and context["deliberation"]:
        preview = Opinion(context["deliberation"].opinion)
    context.update(form=form, vote_groups=votes, other=other, preview=preview)
    return render(request, "www/jurysession/dossier.html", context, status=status)


@login_required
@require_GET
def dossier(request, pk, candidacy_pk):
    session, roles = _session_or_404(request.user, pk)
    return _render_dossier(request, session, roles, _agenda_item_or_404(session, candidacy_pk))


def _opinion_of(form, rows, held):
    codes = set(form.validated_codes())
    return services.opinion_for(decided=len(rows), validated=len(codes), already_held=len(held))


@login_required
@require_POST
def deliberate(request, pk, candidacy_pk):
    session, roles = _session_or_404(request.user, pk)
    item = _agenda_item_or_404(session, candidacy_pk)
    if session.state != SessionState.OPEN:
        messages.error(
            request,
            _("Rien n'a été enregistré : la session est « %(state)s », la délibération n'est pas ouverte.")
            % {"state": session.get_state_display()},
        )
        return redirect(_dossier_url(session, item.candidacy_id))
    blocks = list(item.candidacy.blocks.select_related("block"))
    rows, held = _decision_rows(item, blocks)
    form = forms.DeliberationForm(request.POST, blocks=rows)
    if not form.is_valid():
        return _render_dossier(request, session, roles, item, form=form, status=400)
    preview = Opinion(_opinion_of(form, rows, held))
    if request.POST.get("action") == "preview":
        return _render_dossier(request, session, roles, item, form=form, preview=preview)
    revision = form.cleaned_data["revision"]
    try:
        services.deliberation_record(
            session=session,
            candidacy=item.candidacy,
            by=request.user,
            validated_blocks=form.validated_codes(),
            votes=form.votes(),
            motivation=form.cleaned_data["motivation"],
            revision=revision,
        )
    except services.DeliberationConflict as conflict:
        return _conflict(request, session, roles, item, rows, conflict.current, conflict.messages[0], preview)
    except PermissionDenied as error:
        messages.error(request, _("Rien n'a été enregistré : %(reason)s") % {"reason": refusal_text(error)})
        return redirect(_dossier_url(session, item.candidacy_id))
    except ValidationError as error:
        existing = Deliberation.objects.filter(session=session, candidacy=item.candidacy).first()
        if revision is None and existing is not None:
            # Two people recorded the first deliberation at once: the second is a conflict too.
            message = _(
                "%(who)s a enregistré cette délibération entre-temps : votre saisie n'a pas été enregistrée. "
                "Voici la version en vigueur ; reprenez vos modifications."
            ) % {"who": existing.recorded_by.get_full_name() or existing.recorded_by.email}
            return _conflict(request, session, roles, item, rows, existing, message, preview)
        add_service_errors(form, error)
        return _render_dossier(request, session, roles, item, form=form, preview=preview, status=400)
    messages.success(
        request,
        _("Délibération enregistrée : %(opinion)s.") % {"opinion": preview.label},
    )
    return redirect(_dossier_url(session, item.candidacy_id, "deliberation"))


def _conflict(request, session, roles, item, rows, current, message, preview):
    """Someone saved meanwhile: nothing written; their version is shown, the person's input is kept, and
    saving again from the form replaces theirs knowingly."""
    data = request.POST.copy()
    data["revision"] = current.revision
    form = forms.DeliberationForm(data, blocks=rows)
    form.is_valid()
    form.add_error(None, message)
    other = Deliberation.objects.select_related("recorded_by").prefetch_related("blocks__block").get(pk=current.pk)
    return _render_dossier(request, session, roles, item, form=form, other=other, preview=preview, status=409)


@login_required
@require_GET
def dossier_document(request, pk, candidacy_pk, document_pk):
    """A piece of a candidacy on the agenda of a session the person may see (the candidacy's own document
    view does not serve jury members, who see candidacies only through their sessions)."""
    session, _roles = _session_or_404(request.user, pk)
    item = _agenda_item_or_404(session, candidacy_pk)
    document = Document.objects.filter(candidacy_id=item.candidacy_id, pk=document_pk).first()
    if document is None:
        raise Http404(_("Aucune pièce n° %(pk)s sur cette candidature.") % {"pk": document_pk})
    handle = document.file.storage.open(document.file.name, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Delivery ------------------------------------------------------------------------------------


def _delivery_rows(session):
    deliberations = list(
        Deliberation.objects.filter(session=session, is_current=True)
        .select_related("candidacy__candidate", "candidacy__certification")
        .prefetch_related(
            Prefetch("blocks", queryset=DeliberationBlock.objects.select_related("block").order_by("block__position"))
        )
        .order_by("pk")
    )
    delivered = {a.deliberation_id: a for a in Award.objects.filter(deliberation__in=deliberations)}
    told = {
        event.data.get("deliberation")
        for event in CandidacyEvent.objects.filter(
            candidacy__in=[d.candidacy_id for d in deliberations], name="jury_refusal_notice"
        )
    }
    rows = []
    for d in deliberations:
        award = delivered.get(d.pk)
        rows.append(
            {
                "deliberation": d,
                "candidacy": d.candidacy,
                "kind": {
                    Opinion.AWARD: AwardKind.CERTIFICATE.label,
                    Opinion.PARTIAL: AwardKind.BLOCK_ATTESTATION.label,
                }.get(d.opinion, _("Notification du refus")),
                "validated": [b.block for b in d.blocks.all() if b.validated],
                "award": award,
                "done": award is not None or (d.opinion == Opinion.REFUSAL and d.pk in told),
            }
        )
    return rows


def _delivery_counts(rows):
    todo = [r for r in rows if not r["done"]]
    return {
        "certificates": sum(1 for r in todo if r["deliberation"].opinion == Opinion.AWARD),
        "attestations": sum(1 for r in todo if r["deliberation"].opinion == Opinion.PARTIAL),
        "refusals": sum(1 for r in todo if r["deliberation"].opinion == Opinion.REFUSAL),
        "done": len(rows) - len(todo),
        "todo": len(todo),
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_deliver(request, pk):
    session, roles = _session_or_404(request.user, pk)
    if not roles & STAFF_ROLES:
        raise PermissionDenied(_("Seul le personnel du certificateur délivre."))
    if session.state != SessionState.SIGNED:
        messages.error(request, _("La délivrance se fait sur la base du procès-verbal signé."))
        return redirect(_session_url(session))
    if request.method == "POST":
        one = request.POST.get("candidacy")
        try:
            if one:
                item = _agenda_item_or_404(session, one)
                results = [awards.candidacy_deliver(candidacy=item.candidacy, by=request.user)]
            else:
                results = awards.session_deliver(session=session, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, _("Rien n'a été délivré : %(reason)s") % {"reason": refusal_text(error)})
            return redirect(_dossier_url(session, one) if one else reverse("www:jury_session_deliver", args=[pk]))
        failed = [r for r in results if r.error]
        new = [r for r in results if not r.already and not r.error]
        result = {
            "certificates": sum(1 for r in new if r.award and r.award.kind == AwardKind.CERTIFICATE),
            "attestations": sum(1 for r in new if r.award and r.award.kind == AwardKind.BLOCK_ATTESTATION),
            "refusals": sum(1 for r in new if r.award is None),
            "already": sum(1 for r in results if r.already),
            "failed": len(failed),
            "results": [
                {
                    "candidacy": r.candidacy,
                    "award": r.award,
                    "opinion": Opinion(r.opinion).label,
                    "already": r.already,
                    "error": r.error,
                }
                for r in results
            ],
        }
        if one:
            messages.success(
                request,
                _("Délivrance faite pour cette candidature.")
                if new
                else _("Cette candidature était déjà délivrée ou notifiée."),
            )
            return redirect(_dossier_url(session, one, "delivrance"))
        context = {"session": session, "result": result, **_documents_context(session)}
        return render(request, "www/jurysession/delivered.html", context)
    rows = _delivery_rows(session)
    context = {"session": session, "rows": rows, "counts": _delivery_counts(rows), **_documents_context(session)}
    return render(request, "www/jurysession/deliver.html", context)


def _documents_context(session):
    progress = award_documents.session_progress(session)
    return {
        "documents": progress,
        # Shown before and during issuance: without a key, nothing leaves the queue.
        "signing_problem": award_documents.signing_problem(),
    }


def _staff_session_or_404(user, pk):
    session, roles = _session_or_404(user, pk)
    if not roles & STAFF_ROLES:
        raise PermissionDenied(_("Seul le personnel du certificateur suit l'émission des documents."))
    return session


@login_required
@require_GET
def session_documents(request, pk):
    """The issuance progress alone, polled by the delivery pages until every document is issued."""
    session = _staff_session_or_404(request.user, pk)
    context = {"session": session, **_documents_context(session)}
    return render(request, "www/jurysession/_documents_progress.html", context)


@login_required
@require_POST
def session_documents_relaunch(request, pk):
    session = _staff_session_or_404(request.user, pk)
    pending = [award.pk for award in award_documents.session_progress(session)["pending"]]
    queued = credentials.session_documents_enqueue(award_ids=pending)
    if queued:
        messages.success(
            request,
            ngettext(
                "L'émission de %(n)s document en attente est relancée.",
                "L'émission de %(n)s documents en attente est relancée.",
                queued,
            )
            % {"n": queued},
        )
    else:
        messages.info(request, _("Aucun document en attente : rien n'a été relancé."))
    if problem := award_documents.signing_problem():
        messages.error(request, problem)
    return redirect(f"{reverse('www:jury_session_deliver', args=[session.pk])}#documents")


# --- The awards register -------------------------------------------------------------------------


@login_required
@require_GET
def award_list(request):
    scope = awards_delivered_by(request.user)
    if not (
        request.user.is_superuser or Membership.objects.filter(user=request.user, role=Role.CERTIFIER_STAFF).exists()
    ):
        raise PermissionDenied(_("Le registre des délivrances est réservé au personnel des certificateurs."))
    years = sorted(set(scope.values_list("year", flat=True)), reverse=True)
    certifications = Certification.objects.filter(pk__in=scope.values("certification_id")).order_by("code")
    form = forms.AwardFilterForm(request.GET or None, years=years, certifications=certifications)
    awards_qs = scope.select_related("candidacy__candidate", "certification", "certifier", "document")
    awards_qs = awards_qs.prefetch_related("blocks")
    if form.is_bound:
        form.is_valid()  # a filter that does not clean is left out; the others apply
        data = {"year": None, "kind": "", "certification": None, **form.cleaned_data}
        if data["year"]:
            awards_qs = awards_qs.filter(year=data["year"])
        if data["kind"]:
            awards_qs = awards_qs.filter(kind=data["kind"])
        if data["certification"]:
            awards_qs = awards_qs.filter(certification_id=data["certification"])
    page = Paginator(awards_qs.order_by("-year", "-sequence"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "www/jurysession/award_list.html", context)


def _award_or_404(user, pk):
    award = (
        awards_delivered_by(user)
        .select_related(
            "candidacy__candidate",
            "certification",
            "certifier",
            "deliberation__session__jury",
            "delivered_by",
            "revoked_by",
            "document",
        )
        .prefetch_related("blocks")
        .filter(pk=pk)
        .first()
    )
    if award is None:
        raise Http404(_("Aucune délivrance n° %(pk)s dans votre registre.") % {"pk": pk})
    return award


def _render_award(request, award, *, form=None, status=200):
    if form is None and not award.revoked:
        form = forms.ReasonForm(label=_("Motif du retrait"))
    document = award_documents.document_of(award)
    context = {
        "award": award,
        "form": form,
        "document": document,
        "signing_problem": award_documents.signing_problem() if document is None and not award.revoked else "",
    }
    return render(request, "www/jurysession/award_detail.html", context, status=status)


@login_required
@require_GET
def award_detail(request, pk):
    return _render_award(request, _award_or_404(request.user, pk))


@login_required
@require_POST
def award_revoke(request, pk):
    award = _award_or_404(request.user, pk)
    form = forms.ReasonForm(request.POST, label=_("Motif du retrait"))
    if form.is_valid():
        try:
            awards.award_revoke(award=award, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            messages.error(request, refusal_text(error))
            return redirect("www:award_detail", pk=award.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La délivrance %(number)s est retirée.") % {"number": award.number})
            return redirect("www:award_detail", pk=award.pk)
    return _render_award(request, award, form=form, status=400)


# --- The award's documents -----------------------------------------------------------------------


@login_required
@require_GET
def award_document_pdf(request, pk):
    return award_documents.pdf_response(_award_or_404(request.user, pk))


@login_required
@require_GET
def award_credential_json(request, pk):
    return award_documents.credential_response(_award_or_404(request.user, pk))


@login_required
@require_POST
def award_document_reissue(request, pk):
    award = _award_or_404(request.user, pk)
    try:
        document = credentials.document_reissue(award=award, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _("Rien n'a été réédité : %(reason)s") % {"reason": refusal_text(error)})
    else:
        messages.success(
            request,
            _("Duplicata édité : même numéro %(number)s, même attestation numérique (réédition n° %(n)s).")
            % {"number": award.number, "n": document.reissue_count},
        )
    return redirect(f"{reverse('www:award_detail', args=[award.pk])}#document")


@login_required
@require_POST
def award_documents_issue(request, pk):
    award = _award_or_404(request.user, pk)
    if award.revoked:
        messages.error(request, _("Cette délivrance est retirée : aucun document n'est émis."))
    elif credentials.session_documents_enqueue(award_ids=[award.pk]):
        messages.success(request, _("L'émission du document est lancée."))
    else:
        messages.info(request, _("Le document est déjà émis."))
    if problem := award_documents.signing_problem():
        messages.error(request, problem)
    return redirect(f"{reverse('www:award_detail', args=[award.pk])}#document")
