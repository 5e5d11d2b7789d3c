"""The statistics as named tables: what the page shows under each chart, and what CSV/XLSX exports hold."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .selectors import Statistics


@dataclass(frozen=True)
class Table:
    name: str
    caption: str
    headers: list[str]
    rows: list[list]
    # Index of the column the chart draws (None: a table without a bar chart).
    chart_column: int | None = None


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def _days(value):
    return None if value is None else round(value, 1)


def _count_table(name, caption, heading, rows):
    return Table(name, caption, [heading, _("Candidatures")], [[r.label, r.count] for r in rows], chart_column=1)


def _rate_table(name, caption, heading, rows):
    return Table(
        name,
        caption,
        [heading, _("Obtentions"), _("Attestations de blocs"), _("Refus"), _("Décidées"), _("Taux d'obtention (%)")],
        [[r.label, r.award, r.partial, r.refusal, r.decided, _percent(r.rate)] for r in rows],
        chart_column=5,
    )


def build_tables(stats: Statistics) -> dict[str, Table]:
    durations = stats.durations
    tables = [
        _count_table("states", _("Candidatures par état"), _("État"), stats.by_state),
        _count_table("paths", _("Candidatures par voie"), _("Voie"), stats.by_path),
        _count_table("situations", _("Candidatures par situation"), _("Situation"), stats.by_situation),
        _count_table("fundings", _("Candidatures par financement"), _("Financement"), stats.by_funding),
        _rate_table(
            "rates_certification",
            _("Taux d'obtention par certification"),
            _("Certification"),
            stats.rates_by_certification,
        ),
        _rate_table("rates_session", _("Taux d'obtention par session de jury"), _("Session"), stats.rates_by_session),
        _rate_table(
            "rates_assessment_centre",
            _("Taux d'obtention par organisme évaluateur"),
            _("Organisme évaluateur"),
            stats.rates_by_assessment_centre,
        ),
        _rate_table(
            "rates_training_org",
            _("Taux d'obtention par organisme de formation"),
            _("Organisme de formation"),
            stats.rates_by_training_org,
        ),
        Table(
            "durations",
            _("Délai entre la candidature et la délivrance (jours)"),
            [_("Délai"), _("Délivrances")],
            [
                [
                    _("%(low)s à %(high)s jours") % {"low": b.low, "high": b.high - 1}
                    if b.high is not None
                    else _("%(low)s jours et plus") % {"low": b.low},
                    b.count,
                ]
                for b in durations.bins
            ],
            chart_column=1,
        ),
        Table(
            "duration_quartiles",
            _("Délai entre la candidature et la délivrance : quartiles (jours)"),
            [_("Délivrances"), _("Premier quartile"), _("Médiane"), _("Troisième quartile")],
            [[durations.count, _days(durations.q1), _days(durations.median), _days(durations.q3)]],
        ),
        Table(
            "failed_blocks",
            _("Blocs le plus souvent non validés par le jury"),
            [_("Bloc"), _("Certification"), _("Non validé"), _("Décisions sur le bloc")],
            [[f"{r.code} — {r.title}", r.certification, r.failed, r.decided] for r in stats.failed_blocks],
            chart_column=2,
        ),
        Table(
            "yearly",
            _("Titulaires par année et par certification (dont par la VAE)"),
            [_("Année"), _("Certification"), _("Intitulé"), _("Titulaires"), _("Dont par la VAE")],
            [[r.year, r.certification, r.title, r.holders, r.vae_holders] for r in stats.yearly],
        ),
    ]
    return {table.name: table for table in tables}
