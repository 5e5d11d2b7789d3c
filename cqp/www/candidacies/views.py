"""The one page of a candidacy, for every role who may see it, and the acts posted from it.

Thin views: fetch through candidacies_visible_to (a candidacy someone may not see is a 404), call
one service, turn its refusal into a French message; a refused act changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from cqp.candidacies import selectors, services, workflow
from cqp.candidacies.enums import State
from cqp.candidacies.selectors import (
    actor_roles,
    available_transitions,
    candidacies_visible_to,
    candidacy_events_visible_to,
)

from . import forms, timeline

RELATED = ("candidate", "certification", "certifier", "employer", "tutor", "training_org", "assessment_centre")


def visible_candidacy_or_404(user, pk):
    candidacy = candidacies_visible_to(user).select_related(*RELATED).filter(pk=pk).first()
    if candidacy is None:
        raise Http404(_("Aucune candidature n° %(pk)s parmi celles que vous pouvez consulter.") % {"pk": pk})
    return candidacy


def _detail_url(candidacy, anchor=""):
    url = reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk})
    return f"{url}#{anchor}" if anchor else url


def refusal_text(error) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("Vous ne pouvez pas effectuer cette action sur cette candidature.")
    return " ".join(error.messages)


# Where each role comes from to a candidacy page, in the order a person holding several roles prefers.
BACK_LINKS = (
    (workflow.CANDIDATE, "www:candidate_home", _lazy("Mes candidatures")),
    (workflow.EMPLOYER, "www:employer_home", _lazy("Candidatures des salariés")),
    (workflow.CERTIFIER, "www:pipeline", _lazy("Suivi des candidatures")),
    (workflow.TRAINING_ORG, "www:assigned_candidacies", _lazy("Candidatures confiées")),
    (workflow.ASSESSOR, "www:assigned_candidacies", _lazy("Candidatures confiées")),
)


def _back_link(roles):
    for role, url_name, label in BACK_LINKS:
        if role in roles:
            return {"url": reverse(url_name), "label": label}
    return None


def _render(request, candidacy, *, bound=None, document_form=None, message_form=None, status=200):
    roles = actor_roles(request.user, candidacy)
    events = list(candidacy_events_visible_to(request.user, candidacy).select_related("by").order_by("at", "id"))
    labels = dict(State.choices)
    for event in events:
        event.label = timeline.event_label(event.name)
        event.from_label, event.to_label = labels.get(event.from_state, ""), labels.get(event.to_state, "")
    actions = [
        bound if bound is not None and bound.transition.name == t.name else forms.TransitionForm(transition=t)
        for t in available_transitions(request.user, candidacy)
    ]
    context = {
        "candidacy": candidacy,
        "steps": timeline.steps(candidacy, events),
        "next_step": timeline.next_step(candidacy, roles),
        "actions": actions,
        "blocks": list(candidacy.blocks.select_related("block")),
        "events": events,
        "documents": list(candidacy.documents.select_related("uploaded_by")),
        "messages_list": list(candidacy.messages.select_related("author")),
        "periods": list(candidacy.experience_periods.all()),
        "document_form": document_form or forms.DocumentForm(auto_id="id_document_%s"),
        "message_form": message_form or forms.MessageForm(auto_id="id_message_%s"),
        "back": _back_link(roles),
        "may_assign": bool(roles & {workflow.CERTIFIER, workflow.ADMIN}) and candidacy.state in workflow.OPEN_STATES,
        # The certifier's staff record the person's earlier certifications on the holder's page.
        "may_record_blocks": workflow.CERTIFIER in roles,
        # The block grids and the jury preparation panel are for the assessors and the certifier.
        "may_see_assessments": bool(roles & {workflow.ASSESSOR, workflow.CERTIFIER, workflow.ADMIN})
        and candidacy.state in {State.IN_ASSESSMENT, State.READY_FOR_JURY, State.SCHEDULED_FOR_JURY},
    }
    return render(request, "www/candidacies/candidacy_detail.html", context, status=status)


@login_required
@require_GET
def candidacy_detail(request, pk):
    return _render(request, visible_candidacy_or_404(request.user, pk))


@login_required
@require_POST
def candidacy_transition(request, pk, name):
    candidacy = visible_candidacy_or_404(request.user, pk)
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise Http404(_("Action inconnue."))
    form = forms.TransitionForm(request.POST, transition=transition)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été fait : corrigez le formulaire de l'action « %s ».") % transition.label)
        return _render(request, candidacy, bound=form, status=400)
    try:
        services.candidacy_transition(
            candidacy=candidacy, name=name, by=request.user, comment=form.cleaned_data["comment"]
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(
            request,
            _("« %(action)s » n'a pas été fait : %(reason)s")
            % {"action": transition.label, "reason": refusal_text(error)},
        )
        return redirect(_detail_url(candidacy))
    messages.success(request, _("« %s » : c'est fait.") % transition.label)
    return redirect(_detail_url(candidacy))


@login_required
@require_POST
def candidacy_document_upload(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    form = forms.DocumentForm(request.POST, request.FILES, auto_id="id_document_%s")
    if form.is_valid():
        try:
            services.document_upload(
                candidacy=candidacy,
                by=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except PermissionDenied as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("La pièce est déposée."))
            return redirect(_detail_url(candidacy, "pieces"))
    return _render(request, candidacy, document_form=form, status=400)


@login_required
@require_GET
def candidacy_document(request, pk, document_pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    document = candidacy.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404(_("Aucune pièce n° %(pk)s sur cette candidature.") % {"pk": document_pk})
    try:
        handle = selectors.document_open(document=document, user=request.user)
    except (PermissionDenied, Http404):
        raise Http404(_("Aucune pièce n° %(pk)s sur cette candidature.") % {"pk": document_pk}) from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def candidacy_message_post(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    form = forms.MessageForm(request.POST, auto_id="id_message_%s")
    if form.is_valid():
        try:
            services.message_post(candidacy=candidacy, by=request.user, body=form.cleaned_data["body"])
        except PermissionDenied as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Le message est envoyé."))
            return redirect(_detail_url(candidacy, "messages"))
    return _render(request, candidacy, message_form=form, status=400)
