"""The évaluation préalable and the individual training plan of a candidacy.

Thin views: the candidacy comes through candidacies_visible_to (a candidacy someone may not see is a
404); what a person may do is read from actor_roles; one service per act, whose PermissionDenied is a
403 and whose ValidationError is shown on the form; a refused act changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqp.assessments import selectors, services
from cqp.assessments.enums import PlanStatus, PositioningResult
from cqp.candidacies import workflow
from cqp.candidacies.enums import BlockStatus, Funding, Path
from cqp.candidacies.models import Tutor
from cqp.candidacies.selectors import actor_roles
from cqp.www.candidacies.forms import add_service_errors
from cqp.www.candidacies.views import refusal_text, visible_candidacy_or_404

from . import forms


def _outcome(candidacy, current):
    """What the positioning recognised and what remains to train, for every viewer."""
    if current is None:
        return None
    remaining = {b.pk for b in selectors.positioning_remaining_blocks(candidacy, positioning=current)}
    rows = list(current.results.all())
    return {
        "acquired": [r for r in rows if r.result == PositioningResult.ACQUIRED],
        "partly_untrained": [r for r in rows if r.result == PositioningResult.PARTLY and r.block_id not in remaining],
        "remaining": [r for r in rows if r.block_id in remaining],
    }


def _may_position(roles, candidacy):
    return (
        bool(roles & services.POSITIONING_ROLES)
        and candidacy.path == Path.TRAINING
        and candidacy.state in services.POSITIONING_STATES
    )


@login_required
@require_http_methods(["GET", "POST"])
def positioning(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    roles = actor_roles(request.user, candidacy)
    history = selectors.positioning_history(candidacy)
    current = next((p for p in history if p.is_current), None)
    may_edit = _may_position(roles, candidacy)
    form, status = None, 200
    if may_edit:
        blocks = [
            item.block
            for item in candidacy.blocks.exclude(status=BlockStatus.EXEMPTED)
            .select_related("block")
            .order_by("block__position")
        ]
        form = forms.PositioningForm(
            request.POST if request.method == "POST" else None,
            blocks=blocks,
            current=current,
            documents=candidacy.documents.order_by("-uploaded_at"),
            auto_id="id_pos_%s",
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Vous ne pouvez pas enregistrer le positionnement de cette candidature."))
        if form.is_valid():
            try:
                services.positioning_record(
                    candidacy=candidacy,
                    by=request.user,
                    results=form.results(),
                    comment=form.cleaned_data["comment"],
                    revision_reason=form.cleaned_data.get("revision_reason", ""),
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Le positionnement est enregistré."))
                plan = selectors.training_plan_current(candidacy)
                waiting = plan is not None and plan.status in (PlanStatus.PROPOSED, PlanStatus.ACCEPTED)
                if waiting and selectors.training_plan_mismatch(plan, candidacy=candidacy):
                    messages.warning(
                        request,
                        _(
                            "Le parcours proposé ne couvre plus les blocs qui restent à former : proposez-en "
                            "une nouvelle version depuis la page Parcours de formation."
                        ),
                    )
                return redirect("www:training_positioning", pk=candidacy.pk)
        status = 400
    context = {
        "candidacy": candidacy,
        "current": current,
        "previous": [p for p in history if not p.is_current],
        "outcome": _outcome(candidacy, current),
        "form": form,
        "may_plan": bool(roles & services.TRAINING_ORG_ROLES),
    }
    return render(request, "www/training/positioning.html", context, status=status)


def _plan_forms(candidacy, data=None, plan=None):
    """The proposal form, prefilled from the plan in force or from the remaining blocks."""
    tutors = Tutor.objects.filter(employer_id=candidacy.employer_id) if candidacy.employer_id else Tutor.objects.none()
    remaining = selectors.positioning_remaining_blocks(candidacy)
    if plan is not None:
        initial_plan = {"start": plan.start, "end": plan.end, "funding": plan.funding, "tutor": plan.tutor_id}
        initial_modules = [
            {"block_code": m.block.code, "title": m.title, "hours": m.hours, "start": m.start, "end": m.end}
            for m in plan.modules.all()
            if m.block in remaining
        ]
        missing = {b.code for b in remaining} - {m["block_code"] for m in initial_modules}
        initial_modules += [{"block_code": b.code, "title": b.title} for b in remaining if b.code in missing]
    else:
        initial_plan = {"funding": candidacy.funding, "tutor": candidacy.tutor_id}
        initial_modules = [{"block_code": b.code, "title": b.title} for b in remaining]
    plan_form = forms.PlanForm(data, tutors=tutors, initial=initial_plan, auto_id="id_plan_%s")
    modules = forms.ModuleFormSet(data, prefix=forms.MODULES_PREFIX, initial=None if data else initial_modules)
    titles = {b.code: b for b in remaining}
    for module_form in modules:
        code = module_form["block_code"].value()
        module_form.block = titles.get(code)
    return plan_form, modules, remaining


def _plan_context(request, candidacy, *, plan_form=None, modules=None, progress_forms=None):
    roles = actor_roles(request.user, candidacy)
    current_positioning = selectors.positioning_current(candidacy)
    plan = selectors.training_plan_current(candidacy)
    is_org = bool(roles & services.TRAINING_ORG_ROLES)
    may_propose = is_org and current_positioning is not None and candidacy.state in services.PLAN_STATES
    if may_propose and plan is not None and plan.status == PlanStatus.COMPLETED:
        may_propose = False
    remaining = []
    if may_propose and plan_form is None:
        plan_form, modules, remaining = _plan_forms(candidacy, plan=plan)
    pending = selectors.training_plan_pending_acceptances(plan, candidacy=candidacy) if plan else set()
    # A revision of the positioning may leave the plan's blocks behind: a plan not yet started then
    # needs a new version; one under way goes on, its difference shown.
    differences = {"missing": [], "extra": []}
    if plan is not None and plan.status != PlanStatus.COMPLETED and current_positioning is not None:
        differences = selectors.training_plan_differences(plan, candidacy=candidacy)
    differs = bool(differences["missing"] or differences["extra"])
    outdated = differs and plan.status in (PlanStatus.PROPOSED, PlanStatus.ACCEPTED)
    module_rows = []
    if plan is not None:
        for module in plan.modules.all():
            form = None
            if is_org and plan.status == PlanStatus.IN_PROGRESS:
                form = (progress_forms or {}).get(module.pk) or forms.ProgressForm(
                    initial={"hours_attended": module.hours_attended, "completed_on": module.completed_at},
                    auto_id=f"id_module_{module.pk}_%s",
                )
            module_rows.append((module, form))
    return {
        "candidacy": candidacy,
        "outcome": _outcome(candidacy, current_positioning),
        "plan": plan,
        "history": [p for p in selectors.training_plan_history(candidacy) if plan is None or p.pk != plan.pk],
        "module_rows": module_rows,
        "total_hours": sum(m.hours for m, _f in module_rows),
        "pending": sorted(pending),
        "pending_labels": [ROLE_LABELS[role] for role in sorted(pending)],
        "may_accept": bool(plan and plan.status == PlanStatus.PROPOSED and roles & pending) and not outdated,
        "may_start": bool(plan and is_org and plan.status == PlanStatus.ACCEPTED) and not outdated,
        "differences": differences if differs else None,
        "outdated": outdated,
        "may_propose": may_propose,
        "plan_form": plan_form,
        "modules": modules,
        "remaining": remaining,
        "is_org": is_org,
        "funding_label": dict(Funding.choices).get(plan.funding, plan.funding) if plan else "",
    }


ROLE_LABELS = {workflow.CANDIDATE: _("le candidat"), workflow.EMPLOYER: _("l'entreprise")}


@login_required
@require_http_methods(["GET", "POST"])
def training_plan(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    if request.method == "GET":
        return render(request, "www/training/plan.html", _plan_context(request, candidacy))
    if not actor_roles(request.user, candidacy) & services.TRAINING_ORG_ROLES:
        raise PermissionDenied(_("Seul l'organisme de formation de la candidature propose le parcours."))
    plan_form, modules, _remaining = _plan_forms(candidacy, data=request.POST)
    if plan_form.is_valid() and modules.is_valid():
        try:
            services.training_plan_propose(
                candidacy=candidacy,
                by=request.user,
                modules=[m.cleaned_data for m in modules if m.cleaned_data],
                start=plan_form.cleaned_data["start"],
                end=plan_form.cleaned_data["end"],
                funding=plan_form.cleaned_data["funding"],
                tutor=plan_form.cleaned_data["tutor"],
            )
        except ValidationError as error:
            add_service_errors(plan_form, error)
        else:
            messages.success(request, _("Le parcours est proposé : il attend d'être accepté."))
            return redirect("www:training_plan", pk=candidacy.pk)
    context = _plan_context(request, candidacy, plan_form=plan_form, modules=modules)
    return render(request, "www/training/plan.html", context, status=400)


def _current_plan_or_404(candidacy):
    plan = selectors.training_plan_current(candidacy)
    if plan is None:
        raise Http404(_("Aucun parcours n'a été proposé pour cette candidature."))
    return plan


def _act(request, candidacy, call, success):
    try:
        call()
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, _("Rien n'a été fait : %(reason)s") % {"reason": refusal_text(error)})
    else:
        messages.success(request, success)
    return redirect(reverse("www:training_plan", kwargs={"pk": candidacy.pk}))


@login_required
@require_POST
def training_plan_accept(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    plan = _current_plan_or_404(candidacy)
    return _act(
        request,
        candidacy,
        lambda: services.training_plan_accept(plan=plan, by=request.user),
        _("Vous avez accepté le parcours."),
    )


@login_required
@require_POST
def training_plan_start(request, pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    plan = _current_plan_or_404(candidacy)
    return _act(
        request,
        candidacy,
        lambda: services.training_plan_start(plan=plan, by=request.user),
        _("La formation a commencé."),
    )


@login_required
@require_POST
def training_module_progress(request, pk, module_pk):
    candidacy = visible_candidacy_or_404(request.user, pk)
    plan = _current_plan_or_404(candidacy)
    module = plan.modules.filter(pk=module_pk).first()
    if module is None:
        raise Http404(_("Aucun module n° %(pk)s dans ce parcours.") % {"pk": module_pk})
    if not actor_roles(request.user, candidacy) & services.TRAINING_ORG_ROLES:
        raise PermissionDenied(_("Seul l'organisme de formation de la candidature déclare la progression."))
    form = forms.ProgressForm(request.POST, auto_id=f"id_module_{module.pk}_%s")
    if form.is_valid():
        try:
            services.training_module_progress(
                module=module,
                by=request.user,
                hours_attended=form.cleaned_data["hours_attended"],
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("La progression du module « %(title)s » est enregistrée.") % {"title": module.title}
            )
            return redirect(reverse("www:training_plan", kwargs={"pk": candidacy.pk}) + f"#module-{module.pk}")
    context = _plan_context(request, candidacy, progress_forms={module.pk: form})
    return render(request, "www/training/plan.html", context, status=400)
