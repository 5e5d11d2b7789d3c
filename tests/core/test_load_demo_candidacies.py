"""`load_demo`: organisations, memberships and candidacies in every state, each demo account with something to see."""

import html
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.candidacies.enums import BlockStatus, Path, State
from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent, Candidate
from cqp.demo import content

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it, so the tests see the demo and leave it as they found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Membership, Candidate, Candidacy, CandidacyBlock, CandidacyEvent)
    } | {"acquired": CandidacyBlock.objects.filter(status=BlockStatus.ACQUIRED).count()}


def test_a_second_run_adds_nothing(loaded):
    first = counts()
    assert first["Candidacy"] >= 25
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == first
    assert "0 créées par ce chargement" in out.getvalue()
    assert "employeur@cqp.example" in out.getvalue() and "Aérostructures du Sud-Ouest" in out.getvalue()


def test_every_state_on_both_paths_across_two_certifiers(loaded):
    states = set(Candidacy.objects.values_list("state", flat=True))
    assert states == set(State.values)
    for path, expected in {
        Path.TRAINING: {"POSITIONED", "IN_TRAINING", "IN_ASSESSMENT", "DELIVERED", "CLOSED", "WITHDRAWN"},
        Path.VAE: {"DOSSIER_SUBMITTED", "IN_ASSESSMENT", "DELIVERED", "CLOSED", "INADMISSIBLE", "WITHDRAWN"},
    }.items():
        assert expected <= set(Candidacy.objects.filter(path=path).values_list("state", flat=True)), path
    names = set(Candidacy.objects.values_list("certifier__name", flat=True))
    assert any("UIMM" in n for n in names) and "OCAPIAT" in names


def test_block_statuses_follow_the_state(loaded):
    for candidacy in Candidacy.objects.filter(state__in=[State.DELIVERED, State.CLOSED]):
        assert candidacy.blocks.filter(status=BlockStatus.ACQUIRED).exists(), candidacy
    decided = Candidacy.objects.filter(state=State.DECIDED)
    assert decided and all(c.blocks.filter(status=BlockStatus.NOT_ACQUIRED).exists() for c in decided)
    for candidacy in Candidacy.objects.filter(state__in=[State.DRAFT, State.SUBMITTED, State.IN_TRAINING]):
        assert set(candidacy.blocks.values_list("status", flat=True)) <= {BlockStatus.TO_ACQUIRE, BlockStatus.EXEMPTED}
    # Reopened after a partial decision: the missing blocks are to acquire again, the others kept.
    reopened = Candidacy.objects.get(events__name="reopen")
    assert reopened.state == State.ADMISSIBLE
    assert {BlockStatus.ACQUIRED, BlockStatus.TO_ACQUIRE} == set(reopened.blocks.values_list("status", flat=True))


def test_the_trail_is_the_real_one(loaded):
    for candidacy in Candidacy.objects.prefetch_related("events"):
        events = [e for e in candidacy.events.all() if e.to_state]
        assert events[0].name == "create"
        assert events[-1].to_state == candidacy.state, candidacy
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state
    inadmissible = CandidacyEvent.objects.filter(name="declare_inadmissible")
    assert inadmissible and all(e.comment for e in inadmissible)
    trainer = User.objects.get(email="formation@cqp.example")
    assert CandidacyEvent.objects.filter(name="record_positioning", by=trainer).exists()
    assert CandidacyEvent.objects.filter(name="assign").exists()


def test_organisations_and_memberships(loaded):
    employers = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, name__contains="démonstration")
    assert employers.count() == 2 and all(e.idcc for e in employers)
    centre = Organisation.objects.get(kind=OrganisationKind.ASSESSMENT_CENTRE, name__contains="démonstration")
    assert centre.accredited_certifications.filter(code__in=["RNCP36086", "RNCP41679"]).count() == 2
    for email, role in [
        ("employeur@cqp.example", Role.EMPLOYER),
        ("formation@cqp.example", Role.TRAINING_ORG),
        ("evaluateur@cqp.example", Role.ASSESSOR),
    ]:
        membership = Membership.objects.get(user__email=email, role=role)
        assert membership.organisation is not None
    candidate = Candidate.objects.get(user__email="candidat@cqp.example")
    assert candidate.candidacies.count() >= 3


def _page(client, email, url):
    client.force_login(User.objects.get(email=email))
    response = client.get(url)
    assert response.status_code == 200, (email, url)
    return response


def test_each_demo_account_sees_something_in_its_space(loaded, client):
    for email in ("certificateur.uimm@cqp.example", "certificateur.ocapiat@cqp.example", "admin@cqp.example"):
        response = _page(client, email, "/espace/pipeline/")
        assert response.context["page"].paginator.count > 0, email
        assert any(c.state == State.SUBMITTED for c in response.context["counts"]), email
    for email in ("formation@cqp.example", "evaluateur@cqp.example"):
        assert _page(client, email, "/espace/candidatures/").context["page"].paginator.count > 0, email
    employer_page = html.unescape(_page(client, "employeur@cqp.example", "/espace/entreprise/").content.decode())
    assert "Bonnet" in employer_page
    candidate_page = html.unescape(_page(client, "candidat@cqp.example", "/espace/candidat/").content.decode())
    assert "CQP Agent de maintenance" in candidate_page
    for email, _first, _last, _role, _certifier in content.ACCOUNTS:
        assert _page(client, email, "/espace/").status_code == 200
