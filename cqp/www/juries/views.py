"""The certifier staff's pages for juries and sessions: the juries, a jury and its members, planning a
session, its agenda, its convocations, cancelling it. A jury member who is not staff finds here the
sessions they are convened to.

Thin views: juries and sessions come through the staff's scope (404 outside it); each act is one
service; a refusal is shown on the form or as a message and changes nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cqp.candidacies.enums import Path
from cqp.catalogue.models import Certification
from cqp.catalogue.permissions import certifiers_managed_by
from cqp.juries import selectors as jury_selectors
from cqp.juries import services
from cqp.juries.enums import SessionState
from cqp.juries.models import AgendaItem
from cqp.www.candidacies.forms import add_service_errors
from cqp.www.candidacies.views import refusal_text

from . import forms, selectors

READY_PER_PAGE = 50


def _not_allowed(request, *, title, text):
    return render(request, "www/juries/not_allowed.html", {"title": title, "text": text}, status=403)


def _staff_jury_or_404(user, pk):
    jury = selectors.staff_juries(user).select_related("certifier").filter(pk=pk).first()
    if jury is None:
        raise Http404(_("Aucun jury n° %(pk)s parmi ceux que vous organisez.") % {"pk": pk})
    return jury


def _staff_session_or_404(user, pk):
    session = selectors.staff_sessions(user).select_related("jury__certifier").filter(pk=pk).first()
    if session is None:
        raise Http404(_("Aucune session n° %(pk)s parmi celles que vous organisez.") % {"pk": pk})
    return session


def _agenda_url(session, query=""):
    url = reverse("www:jury_session_agenda", kwargs={"pk": session.pk})
    return f"{url}?{query}" if query else url


# --- Juries --------------------------------------------------------------------------------------


@login_required
def jury_list(request):
    user = request.user
    staff = selectors.is_jury_staff(user)
    convened = selectors.convened_sessions(user)
    if not staff and not convened:
        return _not_allowed(
            request,
            title=_("Jurys paritaires"),
            text=_(
                "Cette page sert au personnel des certificateurs à organiser leurs jurys, et aux membres de jury "
                "à retrouver les sessions auxquelles ils sont convoqués. Votre compte n'est ni l'un ni l'autre."
            ),
        )
    now = timezone.now()
    context = {
        "staff": staff,
        "juries": selectors.juries_overview(user) if staff else [],
        "convened_upcoming": [row for row in convened if row.session.state in selectors.ACTIVE_STATES],
        "convened_past": [row for row in convened if row.session.state not in selectors.ACTIVE_STATES],
        "now": now,
        "past_shown": selectors.PAST_SHOWN,
    }
    return render(request, "www/juries/jury_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def jury_create(request):
    user = request.user
    if not selectors.is_jury_staff(user):
        return _not_allowed(
            request,
            title=_("Créer un jury"),
            text=_("Seul le personnel d'un certificateur crée ses jurys paritaires."),
        )
    certifiers = list(certifiers_managed_by(user).order_by("name"))
    certifications = list(Certification.objects.filter(certifiers__in=certifiers).distinct().order_by("code"))
    form = forms.JuryForm(request.POST or None, certifiers=certifiers, certifications=certifications)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            certifier = next(c for c in certifiers if c.pk == data["certifier"])
            chosen = {int(pk) for pk in data["certifications"]}
            try:
                jury = services.jury_create(
                    certifier=certifier,
                    by=user,
                    name=data["name"],
                    certifications=[c for c in certifications if c.pk in chosen],
                    parity_rule=data["parity_rule"],
                )
            except PermissionDenied as error:
                form.add_error(None, refusal_text(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Jury créé : ajoutez-lui ses membres."))
                return redirect("www:jury_detail", pk=jury.pk)
        status = 400
    return render(request, "www/juries/jury_form.html", {"form": form}, status=status)


@login_required
def jury_detail(request, pk):
    jury = _staff_jury_or_404(request.user, pk)
    context = {"jury": jury, "today": timezone.localdate(), **selectors.jury_detail(jury)}
    return render(request, "www/juries/jury_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def jury_member_add(request, pk):
    jury = _staff_jury_or_404(request.user, pk)
    form = forms.MemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                # A savepoint: a refused mandate leaves no account behind.
                with transaction.atomic():
                    member, created = services.jury_member_add_by_email(
                        jury=jury, by=request.user, **form.service_values()
                    )
            except PermissionDenied as error:
                form.add_error(None, refusal_text(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    text = _(
                        "%(name)s est membre du jury. Un compte lui a été ouvert : un e-mail lui permet de choisir "
                        "son mot de passe."
                    )
                else:
                    text = _("%(name)s est membre du jury.")
                messages.success(request, text % {"name": member.user.get_full_name() or member.user.email})
                return redirect("www:jury_detail", pk=jury.pk)
        status = 400
    return render(request, "www/juries/member_form.html", {"jury": jury, "form": form}, status=status)


# --- Sessions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def jury_session_plan(request, pk):
    jury = _staff_jury_or_404(request.user, pk)
    form = forms.SessionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    session = services.session_plan(jury=jury, by=request.user, **form.cleaned_data)
            except PermissionDenied as error:
                form.add_error(None, refusal_text(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = session.attendances.count()
                messages.success(
                    request,
                    ngettext(
                        "Session planifiée : %(count)s membre convoqué. Composez maintenant l'ordre du jour.",
                        "Session planifiée : %(count)s membres convoqués. Composez maintenant l'ordre du jour.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("www:jury_session_agenda", pk=session.pk)
        status = 400
    # The members a session on the chosen date would convene (the date typed so far, else today).
    day = timezone.localdate()
    preview = forms.SessionForm(request.GET) if "starts_at" in request.GET else form
    if preview.is_bound:
        preview.is_valid()
        starts_at = getattr(preview, "cleaned_data", {}).get("starts_at")
        if starts_at:
            day = timezone.localdate(starts_at)
    context = {"jury": jury, "form": form, "day": day, "convened": selectors.members_on(jury, day)}
    return render(request, "www/juries/session_plan.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_session_edit(request, pk):
    session = _staff_session_or_404(request.user, pk)
    editable = session.state == SessionState.PLANNED
    form = forms.SessionForm(request.POST or None, initial=forms.SessionForm.initial_of(session))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.session_update(session=session, by=request.user, **form.cleaned_data)
            except PermissionDenied as error:
                form.add_error(None, refusal_text(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = session.attendances.count()
                messages.success(
                    request,
                    ngettext(
                        "Session modifiée : %(count)s membre convoqué. Envoyez de nouveau les convocations.",
                        "Session modifiée : %(count)s membres convoqués. Envoyez de nouveau les convocations.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(_agenda_url(session))
        status = 400
    context = {"session": session, "jury": session.jury, "form": form, "editable": editable}
    return render(request, "www/juries/session_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_session_cancel(request, pk):
    session = _staff_session_or_404(request.user, pk)
    form = forms.ReasonForm(
        request.POST or None,
        label=_("Motif de l'annulation"),
        help_text=_("Il figure dans l'historique de la session et des candidatures retirées de l'ordre du jour."),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
            except PermissionDenied as error:
                form.add_error(None, refusal_text(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Session annulée : ses candidatures sont de nouveau prêtes pour le jury."))
                return redirect("www:jury_detail", pk=session.jury_id)
        status = 400
    context = {
        "session": session,
        "jury": session.jury,
        "form": form,
        "agenda_count": AgendaItem.objects.filter(session=session).count(),
        "cancellable": session.state == SessionState.PLANNED,
    }
    return render(request, "www/juries/session_cancel.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def jury_session_convene(request, pk):
    session = _staff_session_or_404(request.user, pk)
    if request.method == "POST":
        try:
            with transaction.atomic():
                sent = services.session_convene(session=session, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, refusal_text(error))
        else:
            members = ngettext("%(count)s membre du jury", "%(count)s membres du jury", sent["members"]) % {
                "count": sent["members"]
            }
            candidates = ngettext("%(count)s candidat", "%(count)s candidats", sent["candidates"]) % {
                "count": sent["candidates"]
            }
            messages.success(
                request,
                _("Convocations envoyées par e-mail, avec leur PDF, à %(members)s et %(candidates)s.")
                % {"members": members, "candidates": candidates},
            )
        return redirect(_agenda_url(session))
    context = {
        "session": session,
        "jury": session.jury,
        "pending": selectors.convocations_pending(session),
        "editable": session.state == SessionState.PLANNED,
        "session_url": selectors.session_url_maker()(session.pk),
    }
    return render(request, "www/juries/session_convene.html", context)


# --- The agenda ----------------------------------------------------------------------------------


def _filter_form(session, data):
    return forms.ReadyFilterForm(
        data,
        certifications=session.jury.certifications.order_by("code"),
        centres=selectors.centres_with_ready(session),
    )


def _render_agenda(request, session, *, filter_data, correction_form=None, chosen_deliberation="", status=200):
    """The agenda, the candidacies ready for the jury (filtered, one page), the corrections that may be
    added, the members convened: the same number of queries whatever the number of candidacies."""
    editable = session.state == SessionState.PLANNED
    filter_form = _filter_form(session, filter_data)
    filters = filter_form.filters()
    context = {
        "session": session,
        "jury": session.jury,
        "editable": editable,
        "rows": jury_selectors.agenda_rows(session),
        "attendance": jury_selectors.session_attendance(session),
        "session_url": selectors.session_url_maker()(session.pk),
        "filter_form": filter_form,
        "filter_inputs": filter_form.hidden_inputs(),
        "filter_query": urlencode(filter_form.hidden_inputs()),
    }
    if editable:
        ready = selectors.ready_for_session(session, filters)
        page = Paginator(selectors.ready_rows(ready), READY_PER_PAGE).get_page(filter_data.get("page"))
        paths = dict(Path.choices)
        for candidacy in page.object_list:
            candidacy.path_label = paths.get(candidacy.path, candidacy.path)
        correctable = list(selectors.correctable_deliberations(session))
        if correction_form is None:
            correction_form = forms.ReasonForm(
                label=_("Motif de la correction"),
                help_text=_("Il figure au procès-verbal de la session qui corrige la décision."),
            )
        context.update(
            page=page,
            ready_count=page.paginator.count,
            correctable=correctable,
            correction_form=correction_form,
            chosen_deliberation=chosen_deliberation,
        )
    return render(request, "www/juries/session_agenda.html", context, status=status)


@login_required
def jury_session_agenda(request, pk):
    session = _staff_session_or_404(request.user, pk)
    return _render_agenda(request, session, filter_data=request.GET)


def _refused(request, session, error, query):
    messages.error(request, refusal_text(error))
    return redirect(_agenda_url(session, query))


@login_required
@require_POST
def jury_session_agenda_add(request, pk):
    """Add one candidacy (`one`), the ticked ones (`candidacies`), or every one the filters select
    (`all`, with the count the person saw: if it changed meanwhile, nothing is added)."""
    session = _staff_session_or_404(request.user, pk)
    filter_form = _filter_form(session, request.POST)
    query = urlencode(filter_form.hidden_inputs())
    ready = selectors.ready_for_session(session, filter_form.filters())
    if request.POST.get("one"):
        ids = [request.POST["one"]]
    elif request.POST.get("all"):
        ids = None
    else:
        ids = request.POST.getlist("candidacies")
        if not ids:
            messages.error(request, _("Cochez au moins une candidature à ajouter."))
            return redirect(_agenda_url(session, query))
    if ids is None:
        candidacies = list(ready.order_by("certification__code", "candidate__last_name", "pk"))
        expected = request.POST.get("expected", "")
        if str(len(candidacies)) != expected:
            messages.error(
                request,
                _(
                    "Le nombre de candidatures prêtes a changé (%(now)s au lieu de %(seen)s) : rien n'a été ajouté. "
                    "Vérifiez la liste, puis ajoutez-les de nouveau."
                )
                % {"now": len(candidacies), "seen": expected or "?"},
            )
            return redirect(_agenda_url(session, query))
    else:
        try:
            wanted = {int(pk) for pk in ids}
        except ValueError:
            wanted = set()
        # Only candidacies of this jury that are ready: anything else is not found.
        candidacies = list(ready.filter(pk__in=wanted).order_by("certification__code", "candidate__last_name", "pk"))
        if len(candidacies) != len(wanted) or not wanted:
            messages.error(
                request,
                _("Une candidature choisie n'est plus prête pour ce jury : rien n'a été ajouté. Vérifiez la liste."),
            )
            return redirect(_agenda_url(session, query))
    try:
        with transaction.atomic():
            items = services.agenda_add(session=session, candidacies=candidacies, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, session, error, query)
    messages.success(
        request,
        ngettext(
            "%(count)s candidature ajoutée à l'ordre du jour.",
            "%(count)s candidatures ajoutées à l'ordre du jour.",
            len(items),
        )
        % {"count": len(items)},
    )
    return redirect(_agenda_url(session, query))


@login_required
@require_POST
def jury_session_agenda_remove(request, pk):
    session = _staff_session_or_404(request.user, pk)
    item = (
        AgendaItem.objects.filter(session=session, candidacy_id=request.POST.get("candidacy") or 0)
        .select_related("candidacy__candidate")
        .first()
    )
    if item is None:
        messages.error(request, _("Cette candidature n'est pas à l'ordre du jour."))
        return redirect(_agenda_url(session))
    try:
        with transaction.atomic():
            services.agenda_remove(session=session, candidacy=item.candidacy, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, session, error, "")
    messages.success(
        request,
        _("%(candidate)s est retiré(e) de l'ordre du jour.") % {"candidate": item.candidacy.candidate},
    )
    return redirect(_agenda_url(session))


@login_required
@require_POST
def jury_session_agenda_correct(request, pk):
    """Put a signed deliberation of this jury back before it, for correction, with the reason."""
    session = _staff_session_or_404(request.user, pk)
    form = forms.ReasonForm(
        request.POST,
        label=_("Motif de la correction"),
        help_text=_("Il figure au procès-verbal de la session qui corrige la décision."),
    )
    deliberation = selectors.correctable_deliberations(session).filter(pk=request.POST.get("deliberation") or 0).first()
    if deliberation is None:
        form.add_error(None, _("Choisissez une décision signée de ce jury, à corriger."))
    if form.is_valid():
        try:
            with transaction.atomic():
                services.agenda_add_correction(
                    session=session, deliberation=deliberation, by=request.user, reason=form.cleaned_data["reason"]
                )
        except PermissionDenied as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("La décision sur %(candidate)s est à l'ordre du jour, pour correction.")
                % {"candidate": deliberation.candidacy.candidate},
            )
            return redirect(_agenda_url(session))
    return _render_agenda(
        request,
        session,
        filter_data={},
        correction_form=form,
        chosen_deliberation=request.POST.get("deliberation", ""),
        status=400,
    )
