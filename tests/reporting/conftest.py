import pytest

from cqp.awards.services import session_deliver
from tests.candidacies.factories import UserFactory, admin_user, certifier_staff
from tests.juries.factories import decided_session


@pytest.fixture(autouse=True)
def _figures_always_computed(settings):
    """The cache is tested on its own; every other test reads fresh figures."""
    settings.CQP_STATISTICS_CACHE_SECONDS = 0


@pytest.fixture
def decided(db):
    """One signed session deciding AWARD, PARTIAL and REFUSAL on three candidacies, delivered today
    (delivery never precedes the signature)."""
    session, candidacies, staff = decided_session(opinions=("AWARD", "PARTIAL", "REFUSAL"))
    session_deliver(session=session, by=staff)
    for candidacy in candidacies:
        candidacy.refresh_from_db()
    return session, candidacies, staff


@pytest.fixture
def foreign(db):
    """Another certifier's session: never counted for the first certifier's staff."""
    session, candidacies, staff = decided_session(opinions=("REFUSAL",))
    return session, candidacies, staff


@pytest.fixture
def staff_user(decided):
    _, candidacies, _ = decided
    return certifier_staff(candidacies[0].certifier)


@pytest.fixture
def platform_admin(db):
    return admin_user()


@pytest.fixture
def other_user(db):
    return UserFactory()
