"""Spreadsheet import of candidacies: upload, preview, confirm. Employers and certifier staff only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqp.candidacies.enums import Funding, Path, Situation
from cqp.imports import selectors, services
from cqp.imports.columns import COLUMNS
from cqp.imports.models import BatchScope, BatchStatus
from cqp.imports.parser import max_file_bytes, max_rows
from cqp.imports.templates import template_csv, template_xlsx

from .forms import UploadForm

ERRORS_PER_PAGE = 50


def _scope_or_404(request, employer_id=None):
    scope = selectors.import_scope(request.user, employer_id=employer_id)
    if scope is None:
        raise Http404(_("L'import de candidatures est réservé aux entreprises et aux certificateurs."))
    return scope


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    scope = _scope_or_404(request)
    employers = list(selectors.employer_organisations(request.user)) if scope.kind == BatchScope.EMPLOYER else []
    form = UploadForm(request.POST or None, request.FILES or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        scope = _scope_or_404(request, employer_id=form.cleaned_data.get("employer"))
        batch = services.batch_preview_create(by=request.user, scope=scope, uploaded_file=form.cleaned_data["file"])
        return redirect("www:imports_preview", pk=batch.pk)
    return render(
        request,
        "www/imports/upload.html",
        {
            "form": form,
            "scope": scope,
            "columns": COLUMNS,
            "enums": ((_("Voie"), Path), (_("Situation"), Situation), (_("Financement"), Funding)),
            "max_mb": max_file_bytes() // (1024 * 1024),
            "max_rows": max_rows(),
            "max_commit_rows": services.max_commit_rows(),
            "batches": selectors.batches_visible_to(request.user)[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_template(request, fmt):
    _scope_or_404(request)
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="modele-import-candidatures.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    _scope_or_404(request)
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=pk)
    refusal = []
    status = 200
    if request.method == "POST":
        try:
            batch = services.batch_commit(batch=batch, by=request.user)
        except services.CommitRefused as refused:
            refusal = refused.messages
            status = 400
            batch.refresh_from_db()
        else:
            messages.success(
                request,
                _("Import terminé : %(count)s candidatures créées en brouillon.") % {"count": batch.candidacy_count},
            )
            return redirect("www:imports_preview", pk=batch.pk)
    report = batch.report or {}
    errors = Paginator(report.get("errors", []), ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "www/imports/preview.html",
        {
            "batch": batch,
            "report": report,
            "errors": errors,
            "notices": report.get("notices", [])[:200],
            "ok_rows": batch.rows - batch.error_rows,
            "refusal": refusal,
            "can_commit": batch.status == BatchStatus.PREVIEWED
            and not batch.error_rows
            and batch.rows <= services.max_commit_rows(),
            "too_many": batch.rows > services.max_commit_rows(),
            "max_commit_rows": services.max_commit_rows(),
        },
        status=status,
    )
