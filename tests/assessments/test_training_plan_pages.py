"""The training plan page: proposal by the training organisation, acceptance, start and progress."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.assessments.enums import PlanStatus
from cqp.assessments.models import TrainingPlan
from cqp.candidacies.enums import State
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

from .training_helpers import PLAN_END, PLAN_START, admissible, codes, people, position, propose

pytestmark = pytest.mark.django_db


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))


def url(candidacy, name="www:training_plan", **kwargs):
    return reverse(name, kwargs={"pk": candidacy.pk, **kwargs})


def positioned():
    candidacy = admissible(blocks=2)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    return candidacy, who


def plan_post(block_code, **extra):
    return {
        "start": PLAN_START.isoformat(),
        "end": PLAN_END.isoformat(),
        "funding": "PLAN",
        "tutor": "",
        "modules-TOTAL_FORMS": "1",
        "modules-INITIAL_FORMS": "0",
        "modules-0-block_code": block_code,
        "modules-0-title": "Souder en sécurité",
        "modules-0-hours": "70",
        "modules-0-start": PLAN_START.isoformat(),
        "modules-0-end": "",
        **extra,
    }


def test_the_form_is_prefilled_with_the_remaining_block_only(client):
    candidacy, who = positioned()
    first, second = codes(candidacy)
    login(client, who["training_org"])
    page = text_of(client.get(url(candidacy)))
    assert f'value="{second}"' in page and f'value="{first}"' not in page
    assert "Proposer le parcours" in page


def test_the_training_org_proposes_and_a_wrong_block_is_refused(client):
    candidacy, who = positioned()
    first, second = codes(candidacy)
    login(client, who["training_org"])
    refused = client.post(url(candidacy), plan_post(first))
    assert refused.status_code == 400
    assert f"le bloc {first} ne reste pas à former" in text_of(refused)
    assert not TrainingPlan.objects.exists()

    assert client.post(url(candidacy), plan_post(second)).status_code == 302
    page = text_of(client.get(url(candidacy)))
    assert "Proposé" in page and "Acceptation attendue de : le candidat, l'entreprise." in page


def test_acceptance_buttons_start_and_progress(client):
    candidacy, who = positioned()
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    login(client, who["candidate"])
    assert "Accepter le parcours" in text_of(client.get(url(candidacy)))
    client.post(url(candidacy, "www:training_plan_accept"))
    assert "Accepter le parcours" not in text_of(client.get(url(candidacy)))
    login(client, who["employer"])
    client.post(url(candidacy, "www:training_plan_accept"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED

    login(client, who["training_org"])
    assert "Commencer la formation" in text_of(client.get(url(candidacy)))
    client.post(url(candidacy, "www:training_plan_start"))
    candidacy.refresh_from_db()
    assert candidacy.state == State.IN_TRAINING
    module = plan.modules.get()
    progress_url = url(candidacy, "www:training_module_progress", module_pk=module.pk)
    too_many = client.post(progress_url, {"hours_attended": "99", "completed_on": ""})
    assert too_many.status_code == 400 and "de 0 à 35" in text_of(too_many)
    done = client.post(progress_url, {"hours_attended": "35", "completed_on": timezone.localdate().isoformat()})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED


@pytest.mark.parametrize("role", ["candidate", "employer", "assessor", "certifier"])
def test_only_the_training_org_proposes_starts_and_records_progress(client, role):
    candidacy, who = positioned()
    second = codes(candidacy)[1]
    plan = propose(candidacy, who["training_org"], [second])
    login(client, who[role])
    page = text_of(client.get(url(candidacy)))
    assert "Proposer le parcours" not in page
    assert client.post(url(candidacy), plan_post(second)).status_code == 403
    assert client.post(url(candidacy, "www:training_plan_start")).status_code == 403
    module = plan.modules.get()
    progress = url(candidacy, "www:training_module_progress", module_pk=module.pk)
    assert client.post(progress, {"hours_attended": "1"}).status_code == 403


def test_the_assessor_may_not_accept(client):
    candidacy, who = positioned()
    propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    login(client, who["assessor"])
    assert "Accepter le parcours" not in text_of(client.get(url(candidacy)))
    assert client.post(url(candidacy, "www:training_plan_accept")).status_code == 403


def test_outsiders_get_404(client):
    candidacy, who = positioned()
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    outsider = member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory())
    login(client, outsider)
    module = plan.modules.get()
    for target in (
        url(candidacy),
        url(candidacy, "www:training_plan_accept"),
        url(candidacy, "www:training_plan_start"),
        url(candidacy, "www:training_module_progress", module_pk=module.pk),
    ):
        assert client.post(target, {}).status_code == 404, target
    assert client.get(url(candidacy)).status_code == 404


def queries_for(client, blocks, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    candidacy = admissible(blocks=blocks)
    who = people(candidacy)
    position(candidacy, who["training_org"], *["TO_ACQUIRE"] * blocks)
    propose(candidacy, who["training_org"], codes(candidacy))
    login(client, who["training_org"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(candidacy, name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["www:training_plan", "www:training_positioning"])
def test_the_pages_read_as_many_rows_for_four_blocks_as_for_one(client, name):
    assert queries_for(client, 4, name) == queries_for(client, 1, name)
