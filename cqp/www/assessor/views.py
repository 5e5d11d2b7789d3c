"""The assessor's pages: the worklist, the grid of one block, and for certifier staff what keeps a
candidacy from the jury.

Thin views: the candidacy comes through candidacies_visible_to (404 otherwise); who may assess is the
service's rule (its reasons are shown); one service per act; a refused act changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqp.assessments import selectors, services
from cqp.candidacies import workflow
from cqp.candidacies.selectors import actor_roles
from cqp.www.candidacies.forms import add_service_errors
from cqp.www.candidacies.views import refusal_text, visible_candidacy_or_404

from . import forms


@login_required
def worklist(request):
    return render(request, "www/assessor/worklist.html", {"candidacies": selectors.assessment_worklist(request.user)})


def _grid_url(candidacy, block):
    return reverse("www:assessment_grid", kwargs={"pk": candidacy.pk, "code": block.code})


@login_required
@require_http_methods(["GET", "POST"])
def grid(request, pk, code):
    candidacy = visible_candidacy_or_404(request.user, pk)
    row = candidacy.blocks.select_related("block").filter(block__code=code).first()
    if row is None:
        raise Http404(_("Ce bloc n'est pas visé par cette candidature."))
    block = row.block
    problems = services.assessment_problems_for(candidacy=candidacy, by=request.user)
    current = selectors.assessment_current(candidacy, block)
    history = [a for a in selectors.assessment_history(candidacy) if a.block_id == block.pk]
    context = {"candidacy": candidacy, "target_block": block, "row": row, "problems": problems, "history": history}
    action = request.POST.get("action") if request.method == "POST" else None
    form = correction_form = other = None
    status = 200
    try:
        if action == "start":
            services.assessment_start(candidacy=candidacy, block=block, by=request.user)
            return redirect(_grid_url(candidacy, block))
        if action == "attach" and current is not None:
            document = candidacy.documents.filter(pk=request.POST.get("document") or 0).first()
            if document is None:
                messages.error(request, _("Choisissez une pièce de la candidature."))
            else:
                services.assessment_attach_evidence(assessment=current, by=request.user, document=document)
                messages.success(request, _("Pièce jointe à l'évaluation."))
            return redirect(_grid_url(candidacy, block))
        if action == "correct" and current is not None:
            correction_form = forms.CorrectionForm(request.POST)
            if correction_form.is_valid():
                services.assessment_correct(
                    assessment=current, by=request.user, reason=correction_form.cleaned_data["reason"]
                )
                messages.success(request, _("Correction ouverte : modifiez la grille puis transmettez-la."))
                return redirect(_grid_url(candidacy, block))
            status = 400
        if action in ("save", "submit") and current is not None:
            form = forms.GridForm(request.POST, results=current.results.select_related("criterion"))
            if form.is_valid():
                try:
                    current = services.assessment_save(assessment=current, by=request.user, **form.service_values())
                except services.AssessmentConflict as conflict:
                    other, status = conflict.current, 409
                    form.add_error(None, conflict.messages[0])
                else:
                    if action == "submit":
                        try:
                            services.assessment_submit(assessment=current, by=request.user)
                        except ValidationError as error:
                            # The draft is saved: the form goes on from its new revision.
                            data = request.POST.copy()
                            data["revision"] = current.revision
                            form = forms.GridForm(
                                data,
                                results=current.results.select_related("criterion"),
                            )
                            form.is_valid()
                            form.add_error(None, _("Brouillon enregistré, mais la transmission est refusée :"))
                            add_service_errors(form, error)
                            status = 400
                        else:
                            messages.success(request, _("Évaluation transmise : elle est verrouillée."))
                            return redirect(_grid_url(candidacy, block))
                    else:
                        messages.success(request, _("Brouillon enregistré."))
                        return redirect(_grid_url(candidacy, block))
            else:
                status = 400
    except PermissionDenied as error:
        messages.error(request, refusal_text(error))
        return redirect(_grid_url(candidacy, block))
    except ValidationError as error:
        if form is None:
            messages.error(request, refusal_text(error))
            return redirect(_grid_url(candidacy, block))
        add_service_errors(form, error)
        status = 400
    if current is not None and current.state == "DRAFT" and not problems and form is None:
        form = forms.GridForm(initial=forms.initial_of(current), results=current.results.select_related("criterion"))
    if current is not None and current.state == "SUBMITTED" and not problems and correction_form is None:
        correction_form = forms.CorrectionForm()
    context.update(
        current=current,
        form=form if (current is not None and current.state == "DRAFT" and not problems) else None,
        correction_form=correction_form,
        other=other,
        documents=list(candidacy.documents.order_by("-pk")),
        evidence=list(current.evidence.select_related("document")) if current is not None else [],
        may_start=current is None and not problems and candidacy.state in services.ASSESSABLE_STATES,
    )
    return render(request, "www/assessor/grid.html", context, status=status)


@login_required
def jury_readiness(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    if not actor_roles(request.user, candidacy) & {workflow.CERTIFIER, workflow.ADMIN, workflow.ASSESSOR}:
        raise PermissionDenied(_("Cette page est réservée au certificateur et à l'organisme évaluateur."))
    ready, missing = selectors.readiness_for_jury(candidacy)
    rows = []
    for row in candidacy.blocks.select_related("block").order_by("block__position", "block__code"):
        rows.append({"row": row, "assessment": selectors.assessment_current(candidacy, row.block)})
    context = {"candidacy": candidacy, "ready": ready, "missing": missing, "rows": rows}
    return render(request, "www/assessor/jury_readiness.html", context)
