"""Public catalogue pages: home, list with filters, fiche. Anonymous, read-only.

They write nothing, so they run outside ATOMIC_REQUESTS: on SQLite a request transaction begins
IMMEDIATE and would wait for the write lock, for a whole registry import.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from cqp.capitalisation import selectors as capitalisation

from . import selectors
from .forms import CatalogueFilterForm


@transaction.non_atomic_requests
@require_safe
def home(request):
    return render(
        request,
        "www/home.html",
        {
            "counts": selectors.catalogue_counts(),
            "branches": selectors.branches_with_counts(limit=12),
            "form": CatalogueFilterForm(),
        },
    )


@transaction.non_atomic_requests
@require_safe
@vary_on_headers("HX-Request")
def certification_list(request):
    form = CatalogueFilterForm(request.GET, branches=selectors.branch_choices())
    page = selectors.catalogue_search(filters=form.filters(), page_number=request.GET.get("page"))
    context = {"form": form, "page": page, "ignored": form.ignored()}
    # htmx swaps the results region only; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "www/catalogue/_results.html", {**context, "oob": True})
    return render(request, "www/catalogue/certification_list.html", context)


@transaction.non_atomic_requests
@require_safe
def certification_detail(request, code):
    fiche = selectors.certification_fiche(code=code)
    if fiche is None:
        raise Http404(code)
    certification = fiche.certification
    context = {
        "fiche": fiche,
        "c": certification,
        # Passerelles: where this CQP's blocks count too (one query), and what a signed-in person already holds.
        "shared_with": capitalisation.certification_shared_with(certification),
        "mine": capitalisation.passerelle_for_user(request.user, certification),
    }
    return render(request, "www/catalogue/certification_detail.html", context)
