"""The public orientation pages: the simulator and the rules it applies. Anonymous, read-only."""

from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from cqp.orientation import opco, rules, selectors

from .forms import OrientationForm


@transaction.non_atomic_requests
@require_safe
@vary_on_headers("HX-Request")
def simulator(request):
    # Unbound on a first visit, and when only the certification comes from a fiche's link.
    submitted = bool(set(request.GET) - {"certification"})
    form = OrientationForm(
        request.GET if submitted else None, initial={"certification": request.GET.get("certification", "")}
    )
    answer = selectors.orientation_for(**form.orientation_input()) if submitted and form.is_valid() else None
    context = {"form": form, "answer": answer, "submitted": submitted}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "www/orientation/_result.html", context)
    context["branch_choices"] = selectors.branch_choices()
    return render(request, "www/orientation/simulator.html", context)


@transaction.non_atomic_requests
@require_safe
def rules_page(request):
    return render(
        request,
        "www/orientation/rules.html",
        {
            "paths": rules.rules_of("path"),
            "funding": rules.rules_of("funding"),
            "contacts": rules.rules_of("contact"),
            "branches": opco.branches(),
            "figures": {
                "vae_months": rules.VAE_MIN_MONTHS,
                "young_min": rules.YOUNG_MIN_AGE,
                "young_max": rules.YOUNG_MAX_AGE,
            },
        },
    )
