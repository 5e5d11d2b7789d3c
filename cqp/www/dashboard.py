"""Mon espace: where a signed-in person starts, by role."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import path

from cqp.accounts.enums import Role
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidate
from cqp.catalogue import staff
from cqp.juries.models import JuryMember
from cqp.www.juries import selectors as jury_pages
from cqp.www.pipeline import selectors as pipeline

CERTIFIERS_PER_PAGE = 50


def _role_sections(user) -> dict:
    """What each role held by the user opens: the candidate's space, the employer's, the organisations'
    list of assigned candidacies, the certifier's pipeline (with what waits for a decision), the juries
    their staff organise, the sessions a jury member is convened to."""
    roles = set(user.memberships.values_list("role", flat=True))
    sections = {
        "candidate": Role.CANDIDATE in roles or Candidate.objects.filter(user=user).exists(),
        "employer": Role.EMPLOYER in roles,
        "assigned": pipeline.is_assigned_user(user),
        "pipeline": pipeline.is_pipeline_user(user),
        "jury_staff": Role.CERTIFIER_STAFF in roles and jury_pages.is_jury_staff(user),
        "jury_member": JuryMember.objects.filter(user=user).exists(),
    }
    if sections["assigned"]:
        sections["assigned_count"] = pipeline.assigned_scope(user).count()
    if sections["pipeline"]:
        sections["submitted_count"] = pipeline.pipeline_scope(user).filter(state=State.SUBMITTED).count()
    return sections


@login_required
def dashboard(request):
    user = request.user
    context = {
        "roles": sorted({m.get_role_display() for m in user.memberships.all()}),
        "sections": _role_sections(user),
    }
    if user.is_superuser:
        q = request.GET.get("q", "").strip()[:100]
        certifiers = staff.staff_certifiers(user=user)
        if q:
            certifiers = certifiers.filter(Q(name__icontains=q) | Q(siret__startswith=q.replace(" ", "")))
        context.update(
            space="admin",
            q=q,
            certifiers=Paginator(certifiers, CERTIFIERS_PER_PAGE).get_page(request.GET.get("page")),
        )
    elif user.memberships.filter(role=Role.CERTIFIER_STAFF, certifier__isnull=False).exists():
        context.update(
            space="certifier",
            certifiers=list(staff.staff_certifiers(user=user)),
            certifications=staff.staff_certification_list(user=user)[:20],
            certification_count=staff.staff_certification_list(user=user).count(),
        )
    else:
        context["space"] = "other"
    return render(request, "www/dashboard.html", context)


urlpatterns = [path("espace/", dashboard, name="dashboard")]
