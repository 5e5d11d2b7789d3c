"""The VAE pages: the recevabilité file (candidate and certifier) and the dossier de validation.

Thin views: each form goes to one service; refusals come back as the service's French messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqp.assessments import selectors, services
from cqp.assessments.enums import EligibilityState
from cqp.candidacies import services as candidacy_services
from cqp.candidacies import workflow
from cqp.candidacies.enums import DocumentKind, Path, State
from cqp.candidacies.selectors import actor_roles, candidacies_visible_to
from cqp.www.candidacies.forms import add_service_errors

from . import forms

WRITERS = {workflow.CANDIDATE, workflow.CERTIFIER, workflow.ADMIN}
DECIDERS = {workflow.CERTIFIER, workflow.ADMIN}


def _candidacy(request, pk):
    candidacy = get_object_or_404(
        candidacies_visible_to(request.user).select_related("candidate", "certification"), pk=pk, path=Path.VAE
    )
    return candidacy, actor_roles(request.user, candidacy)


def _refused(form, error):
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    else:
        add_service_errors(form, error)


@login_required
@require_http_methods(["GET", "POST"])
def vae_eligibility(request, pk):
    candidacy, roles = _candidacy(request, pk)
    may_write = bool(roles & WRITERS)
    editing = None
    if request.GET.get("modifier"):
        editing = candidacy.experience_periods.filter(pk=request.GET["modifier"]).first()
    period_form = forms.PeriodForm(candidacy=candidacy, initial=_period_initial(editing))
    proof_form = forms.ProofForm()
    decision_form = forms.DecisionForm()
    submit_errors = []
    here = reverse("www:vae_eligibility", args=[candidacy.pk])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("add_period", "update_period"):
            period_form = forms.PeriodForm(request.POST, candidacy=candidacy)
            if action == "update_period":
                editing = get_object_or_404(candidacy.experience_periods, pk=request.POST.get("period"))
            if period_form.is_valid():
                try:
                    if editing:
                        services.vae_period_update(period=editing, by=request.user, **period_form.cleaned_data)
                        messages.success(request, _("La période est modifiée."))
                    else:
                        services.vae_period_add(candidacy=candidacy, by=request.user, **period_form.cleaned_data)
                        messages.success(request, _("La période est ajoutée."))
                    return redirect(here)
                except (PermissionDenied, ValidationError) as error:
                    _refused(period_form, error)
        elif action == "remove_period":
            period = get_object_or_404(candidacy.experience_periods, pk=request.POST.get("period"))
            try:
                services.vae_period_remove(period=period, by=request.user)
                messages.success(request, _("La période est retirée."))
                return redirect(here)
            except (PermissionDenied, ValidationError) as error:
                submit_errors = _messages(error)
        elif action == "upload_proof":
            proof_form = forms.ProofForm(request.POST, request.FILES)
            if proof_form.is_valid():
                try:
                    candidacy_services.document_upload(
                        candidacy=candidacy,
                        by=request.user,
                        kind=DocumentKind.EXPERIENCE,
                        uploaded_file=proof_form.cleaned_data["file"],
                    )
                    messages.success(request, _("Le justificatif est déposé."))
                    return redirect(here)
                except (PermissionDenied, ValidationError) as error:
                    _refused(proof_form, error)
        elif action == "submit":
            try:
                eligibility = services.vae_eligibility_submit(candidacy=candidacy, by=request.user)
                messages.success(
                    request,
                    _(
                        "Votre dossier de recevabilité est déposé (version %(version)s) : "
                        "le certificateur va l'examiner."
                    )
                    % {"version": eligibility.version},
                )
                return redirect(here)
            except (PermissionDenied, ValidationError) as error:
                submit_errors = _messages(error)
        elif action == "decide":
            decision_form = forms.DecisionForm(request.POST)
            current = selectors.vae_eligibility_current(candidacy)
            if current is None:
                decision_form.add_error(None, _("Aucun dossier de recevabilité n'a été déposé."))
            elif decision_form.is_valid():
                try:
                    services.vae_eligibility_decide(eligibility=current, by=request.user, **decision_form.cleaned_data)
                    messages.success(request, _("La décision est enregistrée et communiquée au candidat."))
                    return redirect(here)
                except (PermissionDenied, ValidationError) as error:
                    _refused(decision_form, error)
    history = selectors.vae_eligibility_history(candidacy)
    current = history[0] if history else None
    awaiting_decision = current is not None and current.state == EligibilityState.SUBMITTED
    may_edit = (
        may_write
        and candidacy.state in (State.DRAFT, State.SUBMITTED)
        and not (current and current.state in services.VAE_ACTIVE_STATES)
        and not (current and current.state == EligibilityState.INADMISSIBLE)
    )
    return render(
        request,
        "www/vae/eligibility.html",
        {
            "candidacy": candidacy,
            "experience": selectors.vae_experience(candidacy),
            "proofs": candidacy.documents.filter(kind=DocumentKind.EXPERIENCE).order_by("uploaded_at", "pk"),
            "current": current,
            "history": history,
            "may_edit": may_edit,
            "may_decide": bool(roles & DECIDERS) and awaiting_decision,
            "may_see_history": bool(roles & (DECIDERS | {workflow.CANDIDATE})),
            "editing": editing,
            "period_form": period_form,
            "proof_form": proof_form,
            "decision_form": decision_form,
            "submit_errors": submit_errors,
        },
    )


def _period_initial(period):
    if period is None:
        return None
    return {
        "start": period.start,
        "end": period.end,
        "job_title": period.job_title,
        "employer_name": period.employer_name,
        "activities": period.activities,
        "blocks": list(period.blocks.all()),
    }


def _messages(error):
    if isinstance(error, PermissionDenied):
        return [str(error)]
    return error.messages


@login_required
@require_http_methods(["GET", "POST"])
def vae_dossier(request, pk):
    candidacy, roles = _candidacy(request, pk)
    may_write = bool(roles & WRITERS) and candidacy.state == State.ADMISSIBLE
    sections = selectors.vae_dossier_sections(candidacy)
    submit_errors = []
    posted_block = None
    posted_form = None
    here = reverse("www:vae_dossier", args=[candidacy.pk])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "save":
            section = next((s for s in sections if str(s["block"].pk) == request.POST.get("block")), None)
            if section is None:
                submit_errors = [_("Choisissez un bloc visé par la candidature.")]
            else:
                posted_block = section["block"]
                posted_form = forms.DossierEntryForm(
                    request.POST, request.FILES, candidacy=candidacy, block=posted_block
                )
                if posted_form.is_valid():
                    try:
                        _save_entry(request, candidacy, posted_block, posted_form.cleaned_data)
                        messages.success(
                            request,
                            _("Votre texte pour le bloc %(code)s est enregistré.") % {"code": posted_block.code},
                        )
                        return redirect(f"{here}#bloc-{posted_block.pk}")
                    except (PermissionDenied, ValidationError) as error:
                        _refused(posted_form, error)
        elif action == "submit":
            try:
                services.vae_dossier_submit(candidacy=candidacy, by=request.user)
                messages.success(request, _("Votre dossier de validation est déposé."))
                return redirect(here)
            except (PermissionDenied, ValidationError) as error:
                submit_errors = _messages(error)
    for section in sections:
        block, entry = section["block"], section["entry"]
        if posted_block is not None and block.pk == posted_block.pk:
            section["form"] = posted_form
        else:
            initial = {"narrative": entry.narrative, "documents": list(entry.documents.all())} if entry else None
            section["form"] = forms.DossierEntryForm(candidacy=candidacy, block=block, initial=initial)
    return render(
        request,
        "www/vae/dossier.html",
        {"candidacy": candidacy, "sections": sections, "may_write": may_write, "submit_errors": submit_errors},
    )


def _save_entry(request, candidacy, block, data):
    # One transaction: a refused text leaves no document row behind.
    with transaction.atomic():
        documents = list(data["documents"])
        if data["file"]:
            documents.append(
                candidacy_services.document_upload(
                    candidacy=candidacy, by=request.user, kind=DocumentKind.VAE_DOSSIER, uploaded_file=data["file"]
                )
            )
        services.vae_dossier_save(
            candidacy=candidacy, by=request.user, block=block, narrative=data["narrative"], documents=documents
        )
