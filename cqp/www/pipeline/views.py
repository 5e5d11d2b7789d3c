"""The certifier's pipeline, the organisations' list of assigned candidacies, the assignment page.

Thin views: fetch through candidacies_visible_to() (a candidacy out of scope is a 404), call one
service, turn its refusal into a message or form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from cqp.accounts.enums import OrganisationKind
from cqp.accounts.models import Organisation
from cqp.candidacies import enrolment, services, workflow
from cqp.candidacies.enums import Path, State
from cqp.candidacies.selectors import actor_roles, candidacies_visible_to
from cqp.www.candidacies import forms as candidacy_forms

from . import selectors
from .forms import SORT_LABELS, AssignForm, CandidacyFilterForm, DecisionForm, StaffEnrolForm


def _url_maker(name):
    """One reverse() per page rather than per row: the row's pk takes the place of a marker."""
    marker = "2147483647"
    url = reverse(name, kwargs={"pk": int(marker)})
    return lambda pk: url.replace(marker, str(pk))


def _prepare_rows(rows, *, pipeline):
    """What each row shows, computed once per page (labels, links) rather than in the template loop."""
    states, paths = {k: str(v) for k, v in State.choices}, {k: str(v) for k, v in Path.choices}
    detail, assign, decide = (
        _url_maker("www:candidacy_detail"),
        _url_maker("www:candidacy_assign"),
        _url_maker("www:pipeline_decide"),
    )
    for row in rows:
        row.state_label, row.path_label = states[row.state], paths[row.path]
        row.detail_url = detail(row.pk)
        if pipeline:
            row.assign_url = assign(row.pk)
            row.decide_url = decide(row.pk) if row.state == State.SUBMITTED else ""


def _forbidden(request, *, title, text):
    return render(request, "www/pipeline/not_allowed.html", {"title": title, "text": text}, status=403)


def _listing(request, *, scope, form, template, extra, pipeline=False):
    """Filter, count per state (one GROUP BY), then one page of rows: the same for both lists."""
    filters = form.filters()
    filtered = selectors.filter_candidacies(scope, filters)
    counts = selectors.state_counts(filtered)
    state = filters.get("state")
    total = sum(c.count for c in counts if not state or c.state == state)
    rows = filtered.filter(state=state) if state else filtered
    current_sort = filters.get("sort") or "recent"
    page = selectors.candidacy_page(rows, total=total, sort=current_sort, page_number=request.GET.get("page"))
    page.object_list = list(page.object_list)
    _prepare_rows(page.object_list, pipeline=pipeline)
    sort_links = [
        {"label": SORT_LABELS[key], "query": form.query(sort=key), "current": key == current_sort}
        for key in selectors.SORTS
    ]
    context = {
        "form": form,
        "sort_links": sort_links,
        "counts": counts,
        "count_all": sum(c.count for c in counts),
        "state": state,
        "page": page,
        "query": form.query(),
        "query_without_state": form.query(state=None),
        "here": request.get_full_path(),
        **extra,
    }
    return render(request, template, context)


@transaction.non_atomic_requests
@login_required
@require_safe
@vary_on_headers("HX-Request")
def pipeline(request):
    user = request.user
    if not selectors.is_pipeline_user(user):
        return _forbidden(
            request,
            title=_("Suivi des candidatures réservé aux certificateurs"),
            text=_(
                "Cette page sert au personnel des CPNE et des organismes certificateurs à instruire les "
                "candidatures. Votre compte n'est rattaché à aucun certificateur."
            ),
        )
    form = CandidacyFilterForm(
        request.GET,
        certifiers=selectors.certifiers_of(user),
        certifications=selectors.certification_choices_for_staff(user),
        organisations=selectors.organisation_choices(),
    )
    return _listing(
        request,
        scope=selectors.pipeline_scope(user),
        form=form,
        template="www/pipeline/pipeline.html",
        extra={},
        pipeline=True,
    )


@transaction.non_atomic_requests
@login_required
@require_safe
@vary_on_headers("HX-Request")
def assigned_candidacies(request):
    user = request.user
    if not selectors.is_assigned_user(user):
        return _forbidden(
            request,
            title=_("Candidatures confiées aux organismes"),
            text=_(
                "Cette page montre aux organismes de formation et aux organismes évaluateurs les candidatures "
                "qui leur sont confiées. Votre compte n'est rattaché à aucun de ces organismes."
            ),
        )
    scope = selectors.assigned_scope(user)
    ids = selectors.assigned_organisation_ids(user)
    own = Organisation.objects.filter(pk__in=ids["training_org"] + ids["assessment_centre"]).order_by("name")
    organisations = None
    if len(own) > 1:
        organisations = {OrganisationKind.TRAINING_ORG: [], OrganisationKind.ASSESSMENT_CENTRE: []}
        for organisation in own:
            organisations.setdefault(organisation.kind, []).append((str(organisation.pk), organisation.name))
    form = CandidacyFilterForm(
        request.GET, certifications=selectors.certification_choices_for(scope), organisations=organisations
    )
    return _listing(
        request,
        scope=scope,
        form=form,
        template="www/pipeline/assigned.html",
        extra={"organisations": own},
    )


def _back_to_pipeline(value: str, request) -> str:
    """Where to go after an inline decision: the pipeline page it came from, never elsewhere."""
    base = reverse("www:pipeline")
    if value and value.startswith(base) and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return base


@login_required
@require_POST
def pipeline_decide(request, pk):
    candidacy = get_object_or_404(selectors.pipeline_scope(request.user).select_related("candidate"), pk=pk)
    form = DecisionForm(request.POST)
    back = _back_to_pipeline(request.POST.get("next", ""), request)
    if not form.is_valid():
        messages.error(request, _("Choisissez « Recevable » ou « Non recevable »."))
        return redirect(back)
    decision = form.cleaned_data["decision"]
    try:
        services.candidacy_transition(
            candidacy=candidacy, name=decision, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(
            request,
            _("Candidature de %(name)s, rien n'a changé : %(reasons)s")
            % {"name": candidacy.candidate, "reasons": " ".join(error.messages)},
        )
    else:
        done = _("déclarée recevable") if decision == "declare_admissible" else _("déclarée non recevable")
        messages.success(request, _("Candidature de %(name)s %(done)s.") % {"name": candidacy.candidate, "done": done})
    return redirect(back)


def _detail_url(candidacy) -> str:
    try:
        return reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk})
    except NoReverseMatch:  # the candidacy page lives in another area
        return reverse("www:candidacy_assign", kwargs={"pk": candidacy.pk})


@login_required
@require_http_methods(["GET", "POST"])
def candidacy_assign(request, pk):
    candidacy = get_object_or_404(
        candidacies_visible_to(request.user).select_related(
            "candidate", "certification", "certifier", "training_org", "assessment_centre"
        ),
        pk=pk,
    )
    if not actor_roles(request.user, candidacy) & {workflow.CERTIFIER, workflow.ADMIN}:
        return _forbidden(
            request,
            title=_("Désignation des organismes réservée au certificateur"),
            text=_("Seul le personnel du certificateur de cette candidature désigne ses organismes."),
        )
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        initial={"training_org": candidacy.training_org_id, "assessment_centre": candidacy.assessment_centre_id},
        training_orgs=Organisation.objects.filter(kind=OrganisationKind.TRAINING_ORG).order_by("name"),
        with_training_org=candidacy.path == Path.TRAINING,
        assessment_centres=Organisation.objects.filter(
            kind=OrganisationKind.ASSESSMENT_CENTRE, accredited_certifications=candidacy.certification
        ).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_assign(candidacy=candidacy, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Les organismes de la candidature sont enregistrés."))
            return redirect(_detail_url(candidacy))
    return render(request, "www/pipeline/assign.html", {"candidacy": candidacy, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def pipeline_enrol(request):
    """Certifier staff enrol a person on one of their certifications, then follow it in the pipeline."""
    if not selectors.is_pipeline_user(request.user):
        return _forbidden(
            request,
            title=_("Inscription réservée aux certificateurs"),
            text=_("Votre compte n'est rattaché à aucun certificateur."),
        )
    form = StaffEnrolForm(initial={"certification": request.GET.get("certification", "")})
    periods = candidacy_forms.periods_formset()
    status = 200
    if request.method == "POST":
        if "add_period" in request.POST:
            form = StaffEnrolForm(initial=request.POST.dict())
            periods = candidacy_forms.periods_formset(request.POST, add_one=True)
        else:
            form = StaffEnrolForm(request.POST)
            periods = candidacy_forms.periods_formset(request.POST)
            status = 400
            if form.is_valid() and periods.is_valid():
                data = form.cleaned_data
                experience = candidacy_forms.periods_from(periods)
                submit = request.POST.get("action") != "draft"
                try:
                    with transaction.atomic():
                        candidacy = enrolment.candidacy_create_for(
                            by=request.user,
                            data={
                                "candidate": {
                                    "first_name": data["first_name"],
                                    "last_name": data["last_name"],
                                    "email": data["email"],
                                },
                                "certification": data["certification"],
                                "path": data["path"],
                                "situation": data["situation"],
                                "funding": data["funding"],
                                "employer": data["employer"],
                                "experience_periods": experience,
                            },
                        )
                        if submit:
                            candidacy = services.candidacy_transition(
                                candidacy=candidacy, name="submit", by=request.user
                            )
                except PermissionDenied as error:
                    form.add_error(None, str(error))
                except ValidationError as error:
                    candidacy_forms.add_service_errors(form, error)
                    if hint := candidacy_forms.vae_hint(data["path"], experience):
                        form.add_error(None, hint)
                else:
                    messages.success(
                        request,
                        _("%(name)s est inscrit : la candidature est déposée.") % {"name": candidacy.candidate}
                        if submit
                        else _("%(name)s est inscrit : la candidature est en brouillon.")
                        % {"name": candidacy.candidate},
                    )
                    return redirect(reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk}))
    return render(request, "www/pipeline/enrol.html", {"form": form, "periods": periods}, status=status)
