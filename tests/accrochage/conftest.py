import datetime

import pytest
from django.utils import timezone

from cqp.accrochage.models import AccrochageAccount
from cqp.awards import services as awards
from cqp.candidacies.models import Candidate
from tests.juries.factories import decided_session

COMPLETE = {
    "sex": "F",
    "birth_date": datetime.date(1990, 4, 12),
    "birth_insee_code": "31555",
    "birth_city": "Toulouse",
    "other_first_names": "Marie Louise",
}


def complete(candidate, **overrides):
    Candidate.objects.filter(pk=candidate.pk).update(**(COMPLETE | overrides))


@pytest.fixture
def delivered(db):
    """Three certificates delivered today by one certifier, holders' identity complete, and its staff."""
    session, candidacies, staff = decided_session(opinions=("AWARD", "AWARD", "AWARD"))
    result = [awards.candidacy_deliver(candidacy=c, by=staff).award for c in candidacies]
    for award in result:
        complete(award.candidacy.candidate)
    certifier = result[0].certifier
    AccrochageAccount.objects.create(certifier=certifier, client_id="E564ACB0", contract_id="2560080000127J")
    return result, staff


@pytest.fixture
def today():
    return timezone.localdate()
