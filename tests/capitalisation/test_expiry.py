"""The certifier's expiry rule: blocks never expire unless the certification says for how many years."""

import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cqp.accounts.models import User
from cqp.awards import services as awards
from cqp.candidacies.services import held_block_ids
from cqp.capitalisation import selectors, services
from cqp.capitalisation.models import HeldBlock
from cqp.catalogue import services as catalogue
from cqp.core.models import AuditEvent
from tests.candidacies.factories import CandidateFactory, candidacy, certifier_staff
from tests.juries.factories import decided_candidacy

from .factories import cqp, hold

pytestmark = pytest.mark.django_db

TODAY = date.today()


def years_ago(years):
    return services.expiry_date(-years, TODAY)


def test_the_expiry_date_adds_whole_years_and_none_means_never():
    assert services.expiry_date(None, date(2020, 5, 4)) is None
    assert services.expiry_date(3, date(2020, 5, 4)) == date(2023, 5, 4)
    assert services.expiry_date(1, date(2020, 2, 29)) == date(2021, 2, 28)


def test_without_a_rule_blocks_never_expire():
    _certification, (first, *_rest) = cqp()
    [row] = hold(CandidateFactory(), first, obtained_on=date(1998, 1, 1))
    assert row.expires_on is None and row.in_force(TODAY)


def test_an_earlier_block_expires_as_the_certification_says():
    _certification, (first, second, _third) = cqp(block_validity_years=5)
    person = CandidateFactory()
    [row] = hold(person, first, obtained_on=date(2022, 3, 15))
    assert row.expires_on == date(2027, 3, 15)
    # A date written by the staff on the earlier certificate wins over the rule.
    [kept] = hold(person, second, obtained_on=date(2022, 3, 15), expires_on=date(2030, 1, 1))
    assert kept.expires_on == date(2030, 1, 1)
    event = AuditEvent.objects.filter(action="held_block_record_earlier").order_by("id").first()
    assert event.after["expires_on"] == "2027-03-15"


def test_a_delivered_award_gives_blocks_valid_for_the_years_of_the_rule():
    certification, _blocks = cqp(block_validity_years=4)
    candidacy_, session, staff = decided_candidacy(certification=certification)
    [result] = awards.session_deliver(session=session, by=staff)
    delivered_on = result.award.delivered_on
    rows = HeldBlock.objects.filter(candidate=candidacy_.candidate)
    assert rows.count() == certification.blocks.count()
    assert set(rows.values_list("expires_on", flat=True)) == {services.expiry_date(4, delivered_on)}


def test_a_delivered_award_without_a_rule_gives_blocks_without_end():
    candidacy_, session, staff = decided_candidacy()
    awards.session_deliver(session=session, by=staff)
    assert set(HeldBlock.objects.filter(candidate=candidacy_.candidate).values_list("expires_on", flat=True)) == {None}


def test_the_backfill_follows_the_rule():
    certification, _blocks = cqp(block_validity_years=2)
    candidacy_, session, staff = decided_candidacy(certification=certification)
    [result] = awards.session_deliver(session=session, by=staff)
    HeldBlock.objects.all().delete()
    assert services.capitalisation_backfill() == certification.blocks.count()
    assert set(HeldBlock.objects.values_list("expires_on", flat=True)) == {
        services.expiry_date(2, result.award.delivered_on)
    }


@pytest.fixture
def expired_and_in_force():
    """A person with A1 expired by A's 5-year rule (obtained 6 years ago) and A2 obtained a year ago."""
    a, (a1, a2, a3) = cqp(blocks=3, block_validity_years=5, title="CQP Agent de maintenance")
    person = CandidateFactory()
    hold(person, a1, obtained_on=years_ago(6))
    hold(person, a2, obtained_on=years_ago(1))
    return a, (a1, a2, a3), person


def test_a_block_past_its_date_neither_counts_nor_leads_anywhere(expired_and_in_force):
    a, (a1, a2, a3), person = expired_and_in_force
    expired, in_force = selectors.holdings(person)
    assert (expired.block, expired.in_force) == (a1, False)
    assert expired.expires_on == services.expiry_date(5, years_ago(6)) < TODAY
    assert (in_force.block, in_force.in_force) == (a2, True)
    assert held_block_ids(person) == {a2.pk}
    [row] = selectors.passerelles_for(person)
    assert (row.held_blocks, row.missing_blocks) == ([a2.code], [a1.code, a3.code])
    [(who, [batch_row])] = list(selectors.passerelles_batch())
    assert who == person.pk and batch_row.held_blocks == [a2.code]


def test_a_new_candidacy_is_exempted_only_of_the_blocks_in_force(expired_and_in_force):
    a, (a1, a2, a3), person = expired_and_in_force
    draft = candidacy(candidate=person, certification=a)
    assert dict(draft.blocks.values_list("block__code", "status")) == {
        a1.code: "to_acquire",
        a2.code: "exempted",
        a3.code: "to_acquire",
    }


def test_the_space_says_expired_on_with_the_date_and_in_force_until(client, expired_and_in_force):
    _a, _blocks, person = expired_and_in_force
    client.force_login(User.objects.get(pk=person.user_id))
    page = html.unescape(client.get(reverse("www:candidate_home")).content.decode())
    assert "expiré le" in page and "jusqu'au" in page


# --- The rule, set by the certifier ---------------------------------------------------------------------


def test_staff_set_the_rule_on_the_information_page(client):
    certification, _blocks = cqp()
    staff = certifier_staff(certification.certifiers.get())
    client.force_login(User.objects.get(pk=staff.pk))
    url = reverse("www:certifier_certification_update", args=[certification.code])
    page = html.unescape(client.get(url).content.decode())
    assert "vide : les blocs acquis n'expirent jamais" in page and 'name="block_validity_years"' in page
    data = {
        "title": certification.title,
        "kind": certification.kind,
        "level": str(certification.level or ""),
        "active": "on" if certification.active else "",
        "access_routes": certification.access_routes,
        "block_validity_years": "10",
    }
    assert client.post(url, data).status_code == 302
    certification.refresh_from_db()
    assert certification.block_validity_years == 10
    event = AuditEvent.objects.get(action="certification.update")
    assert event.after == {"block_validity_years": 10} and event.before == {"block_validity_years": None}
    # Emptied: blocks never expire again.
    client.post(url, {**data, "block_validity_years": ""})
    certification.refresh_from_db()
    assert certification.block_validity_years is None


def test_a_rule_out_of_range_is_refused_on_the_page_and_by_the_service(client):
    certification, _blocks = cqp()
    staff = certifier_staff(certification.certifiers.get())
    client.force_login(User.objects.get(pk=staff.pk))
    url = reverse("www:certifier_certification_update", args=[certification.code])
    response = client.post(url, {"title": certification.title, "kind": certification.kind, "block_validity_years": "0"})
    assert response.status_code == 200 and "block_validity_years" in response.context["form"].errors
    for value in (0, 100, "dix"):
        with pytest.raises(ValidationError) as refused:
            catalogue.certification_update(certification=certification, by=staff, block_validity_years=value)
        assert "entre 1 et 99" in str(refused.value)
    certification.refresh_from_db()
    assert certification.block_validity_years is None


def test_a_new_version_keeps_the_rule():
    certification, _blocks = cqp(block_validity_years=7)
    staff = certifier_staff(certification.certifiers.get())
    new = catalogue.certification_new_version(certification=certification, by=staff)
    assert new.block_validity_years == 7
