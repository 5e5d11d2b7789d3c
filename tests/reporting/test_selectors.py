"""Each figure on a small known data set built with the real services: one session deciding AWARD, PARTIAL
and REFUSAL, delivered today; another certifier's data is never counted."""

import datetime

import pytest
from django.utils import timezone

from cqp.candidacies.models import CandidacyEvent
from cqp.reporting import selectors
from cqp.reporting.selectors import Filters

pytestmark = pytest.mark.django_db


def scope(candidacies, **kwargs):
    return Filters(certifier_ids=(candidacies[0].certifier_id,), **kwargs)


def test_counts_by_state_path_situation_funding(decided, foreign):
    _, candidacies, _ = decided
    stats = selectors.statistics(scope(candidacies))
    assert stats.total == 3
    states = {row.key: row.count for row in stats.by_state}
    # AWARD is delivered; PARTIAL stays on for the missing blocks; REFUSAL is decided.
    assert sum(states.values()) == 3
    assert {row.key: row.count for row in stats.by_path} == {"TRAINING": 3}
    assert {row.key: row.count for row in stats.by_situation} == {"EMPLOYEE": 3}
    assert {row.key: row.count for row in stats.by_funding} == {"PLAN": 3}
    assert stats.by_path[0].label == "Par la formation"


def test_success_rates_by_certification_session_and_organisations(decided, foreign):
    session, candidacies, _ = decided
    stats = selectors.statistics(scope(candidacies))
    (row,) = stats.rates_by_certification
    assert (row.award, row.partial, row.refusal, row.decided) == (1, 1, 1, 3)
    assert row.rate == pytest.approx(1 / 3)
    assert row.label.startswith(candidacies[0].certification.code)
    (by_session,) = stats.rates_by_session
    assert by_session.key == str(session.pk) and by_session.decided == 3
    assert sum(r.decided for r in stats.rates_by_assessment_centre) == 3
    assert sum(r.decided for r in stats.rates_by_training_org) == 3


def test_platform_admin_sees_every_certifier(decided, foreign):
    stats = selectors.statistics(Filters(certifier_ids=None))
    assert stats.total == 4
    assert sum(r.refusal for r in stats.rates_by_certification) == 2


def test_scope_never_counts_another_certifier(decided, foreign):
    _, candidacies, _ = foreign
    stats = selectors.statistics(scope(candidacies))
    assert stats.total == 1
    assert [(r.award, r.partial, r.refusal) for r in stats.rates_by_certification] == [(0, 0, 1)]
    assert stats.durations.count == 0 and stats.yearly == []
    # An empty scope (staff of no certifier) sees nothing at all.
    assert selectors.statistics(Filters(certifier_ids=())).total == 0


def test_durations_from_submission_to_delivery(decided):
    _, candidacies, _ = decided
    # The submission events are moved to known days: 100 and 200 days before delivery.
    award, partial, _ = candidacies
    for candidacy, days in ((award, 100), (partial, 200)):
        CandidacyEvent.objects.filter(candidacy=candidacy, to_state="SUBMITTED").update(
            at=timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
            - datetime.timedelta(days=days)
        )
    durations = selectors.duration_stats(scope(candidacies))
    assert durations.count == 2  # the certificate and the block attestation
    assert durations.median == pytest.approx(150)
    assert durations.q1 == pytest.approx(125)
    assert durations.q3 == pytest.approx(175)
    bins = {(b.low, b.high): b.count for b in durations.bins}
    assert bins[(90, 180)] == 1 and bins[(180, 270)] == 1
    assert sum(bins.values()) == 2


def test_durations_fall_back_on_creation_without_submission_event(decided):
    _, candidacies, _ = decided
    CandidacyEvent.objects.filter(candidacy__in=candidacies, to_state="SUBMITTED").delete()
    durations = selectors.duration_stats(scope(candidacies))
    assert durations.count == 2
    assert durations.median is not None


def test_failed_blocks_top(decided, foreign):
    _, candidacies, _ = decided
    rows = selectors.failed_blocks(scope(candidacies))
    # 3 blocks: AWARD validates all, PARTIAL the first, REFUSAL none: blocks 2 and 3 fail twice, block 1 once.
    assert [row.failed for row in rows] == [2, 2, 1]
    assert all(row.decided == 3 for row in rows)
    assert rows[0].code.endswith("BC02")
    assert selectors.failed_blocks(scope(candidacies), limit=1) == rows[:1]


def test_yearly_holders(decided, foreign):
    _, candidacies, _ = decided
    (row,) = selectors.yearly_holders(scope(candidacies))
    assert (row.year, row.certification, row.holders, row.vae_holders) == (
        timezone.localdate().year,
        candidacies[0].certification.code,
        1,
        0,
    )


def test_filters_period_branch_certification(decided, foreign):
    from tests.catalogue.factories import BranchFactory

    _, candidacies, _ = decided
    certification = candidacies[0].certification
    assert selectors.statistics(scope(candidacies, certification_id=certification.pk)).total == 3
    assert selectors.statistics(scope(candidacies, certification_id=foreign[1][0].certification_id)).total == 0
    branch = BranchFactory()
    assert selectors.statistics(scope(candidacies, branch_id=branch.pk)).total == 0
    certification.branches.add(branch)
    assert selectors.statistics(scope(candidacies, branch_id=branch.pk)).total == 3
    # Created today: a period in the past finds nothing, one including today finds all.
    past = scope(candidacies, date_from=datetime.date(2000, 1, 1), date_to=datetime.date(2000, 12, 31))
    assert selectors.statistics(past).total == 0
    today = timezone.localdate()
    assert selectors.statistics(scope(candidacies, date_from=today, date_to=today)).total == 3
    # On the delivery date: the two delivered candidacies.
    delivered_on = timezone.localdate()
    delivered = scope(candidacies, period_on="delivered", date_from=delivered_on, date_to=delivered_on)
    stats = selectors.statistics(delivered)
    assert stats.total == 2
    assert stats.durations.count == 2
    assert len(stats.yearly) == 1
    before = scope(candidacies, period_on="delivered", date_to=delivered_on - datetime.timedelta(days=1))
    assert selectors.statistics(before).total == 0


def test_figures_are_kept_for_a_while(decided, settings, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    settings.CQP_STATISTICS_CACHE_SECONDS = 600
    _, candidacies, _ = decided
    first = selectors.cached_statistics(scope(candidacies))
    with django_assert_num_queries(0):
        again = selectors.cached_statistics(scope(candidacies))
    assert again == first
    # Other filters, other figures.
    assert selectors.cached_statistics(Filters(certifier_ids=())).total == 0
    cache.clear()


def test_counts_in_one_pass_match_each_dimension(decided, foreign):
    from tests.candidacies.factories import candidacy as draft_candidacy

    _, candidacies, _ = decided
    draft_candidacy(certification=candidacies[0].certification, funding="CPF", path="VAE")
    filters = scope(candidacies)
    together = selectors.counts_by_every_dimension(filters)
    assert together["state"] == selectors.counts_by_state(filters)
    assert together["path"] == selectors.counts_by_path(filters)
    assert together["situation"] == selectors.counts_by_situation(filters)
    assert together["funding"] == selectors.counts_by_funding(filters)
    assert {row.key: row.count for row in together["path"]} == {"TRAINING": 3, "VAE": 1}
