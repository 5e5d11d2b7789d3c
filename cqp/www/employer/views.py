"""The employer's space: its employees' candidacies, enrolling an employee, its tutors.

An employer is a member, in the employer role, of an Organisation of kind EMPLOYER.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Organisation
from cqp.candidacies import enrolment
from cqp.candidacies.enums import State
from cqp.candidacies.models import Tutor
from cqp.candidacies.selectors import candidacies_visible_to
from cqp.www.candidacies import forms as candidacy_forms

from . import forms

PAGE_SIZE = 50


def employer_organisations(user):
    return Organisation.objects.filter(
        kind=OrganisationKind.EMPLOYER, memberships__user=user, memberships__role=Role.EMPLOYER
    ).distinct()


def _not_employer(request):
    return render(request, "www/employer/not_employer.html", status=403)


@login_required
def employer_home(request):
    employers = list(employer_organisations(request.user))
    if not employers:
        return _not_employer(request)
    state = request.GET.get("etat", "")
    if state not in State.values:
        state = ""
    candidacies = (
        candidacies_visible_to(request.user)
        .filter(employer__in=employers)
        .select_related("candidate", "certification", "tutor", "employer")
    )
    if state:
        candidacies = candidacies.filter(state=state)
    page = Paginator(candidacies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "www/employer/home.html",
        {"employers": employers, "page": page, "state": state, "states": State.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_enrol(request):
    employers = employer_organisations(request.user)
    if not employers.exists():
        return _not_employer(request)
    employers = list(employers)
    queryset = Organisation.objects.filter(pk__in=[e.pk for e in employers])
    form = forms.EnrolForm(employers=queryset, initial={"certification": request.GET.get("certification", "")})
    periods = candidacy_forms.periods_formset()
    if request.method == "POST":
        if "add_period" in request.POST:
            form = forms.EnrolForm(employers=queryset, initial=request.POST.dict())
            periods = candidacy_forms.periods_formset(request.POST, add_one=True)
        else:
            form = forms.EnrolForm(request.POST, employers=queryset)
            periods = candidacy_forms.periods_formset(request.POST)
            if form.is_valid() and periods.is_valid():
                data = form.cleaned_data
                experience = candidacy_forms.periods_from(periods)
                submit = request.POST.get("action") != "draft"
                try:
                    candidacy = enrolment.employee_enrol(
                        by=request.user,
                        employer=data["employer"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        tutor=data["tutor"],
                        new_tutor=data["new_tutor"],
                        submit=submit,
                        certification=data["certification"],
                        path=data["path"],
                        situation=data["situation"],
                        funding=data["funding"],
                        experience_periods=experience,
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
    return render(
        request,
        "www/employer/enrol.html",
        {"form": form, "periods": periods},
        status=400 if request.method == "POST" and "add_period" not in request.POST else 200,
    )


@login_required
def tutor_list(request):
    employers = list(employer_organisations(request.user))
    if not employers:
        return _not_employer(request)
    tutors = Tutor.objects.filter(employer__in=employers).select_related("employer")
    return render(request, "www/employer/tutors.html", {"tutors": tutors, "employers": employers})


@login_required
@require_http_methods(["GET", "POST"])
def tutor_edit(request, pk=None):
    employers = list(employer_organisations(request.user))
    if not employers:
        return _not_employer(request)
    tutor = None
    if pk is not None:
        tutor = Tutor.objects.filter(pk=pk, employer__in=employers).first()
        if tutor is None:
            raise Http404(_("Aucun tuteur n° %(pk)s dans votre entreprise.") % {"pk": pk})
    form = forms.TutorForm(request.POST if request.method == "POST" else None, instance=tutor, employers=employers)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in enrolment.TUTOR_FIELDS}
        if tutor is None:
            employer = form.cleaned_data.get("employer") or employers[0]
            enrolment.tutor_create(by=request.user, employer=employer, **fields)
            messages.success(request, _("Le tuteur est ajouté."))
        else:
            enrolment.tutor_update(tutor=tutor, by=request.user, **fields)
            messages.success(request, _("Le tuteur est modifié."))
        return redirect("www:employer_tutors")
    return render(request, "www/employer/tutor_form.html", {"form": form, "tutor": tutor})
