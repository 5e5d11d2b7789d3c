"""The statistics page: figures of the certifiers the user is staff of (every certifier for a platform admin).

Thin view: the form reads the filters, the reporting selectors compute, the tables feed charts and exports.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cqp.reporting import selectors
from cqp.reporting.exports import table_csv, table_xlsx
from cqp.reporting.tables import build_tables

from . import charts
from .forms import StatisticsFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTOGRAMS = {"durations"}


def _download(table, file_format):
    if file_format == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="statistiques-{table.name}.{file_format}"'
    return response


@login_required
@require_safe
def statistics(request):
    if not selectors.may_see_statistics(request.user):
        raise Http404(_("Page introuvable."))
    form = StatisticsFilterForm(request.GET or None, certifier_ids=selectors.scope_for(request.user))
    stats = selectors.cached_statistics(form.filters())
    tables = build_tables(stats)
    file_format = request.GET.get("format")
    if file_format:
        table = tables.get(request.GET.get("table", ""))
        if file_format not in {"csv", "xlsx"} or table is None:
            raise Http404(_("Tableau ou format inconnu."))
        return _download(table, file_format)
    query = request.GET.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    sections = []
    for table in tables.values():
        if table.name in HISTOGRAMS:
            chart, kind = charts.histogram(table), "histogram"
        elif table.chart_column is not None:
            chart, kind = charts.bar_chart(table), "bars"
        else:
            chart, kind = None, None
        sections.append({"table": table, "chart": chart, "kind": kind})
    return render(
        request,
        "www/reporting/statistics.html",
        {"form": form, "stats": stats, "sections": sections, "query": query.urlencode()},
    )
