"""The rules of the sheet: VAE, CPF, work-study, funding against situation, expired or replaced certifications."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cqp.candidacies import rules, services
from cqp.catalogue.models import CertificationLineage
from tests.capitalisation.factories import hold

from .factories import (
    CandidateFactory,
    OrganisationFactory,
    TutorFactory,
    UserFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
)

TODAY = date(2026, 6, 1)


@dataclass
class Period:
    start: date
    end: date | None


periods_strategy = st.lists(
    st.builds(
        lambda offset, length, ongoing: Period(
            TODAY - timedelta(days=offset), None if ongoing else TODAY - timedelta(days=offset) + timedelta(length)
        ),
        st.integers(min_value=0, max_value=3000),
        st.integers(min_value=0, max_value=900),
        st.booleans(),
    ),
    max_size=8,
)


def covered_days(periods):
    days = set()
    for p in periods:
        end = min(p.end or TODAY, TODAY)
        days.update(p.start + timedelta(n) for n in range((end - p.start).days + 1))
    return len(days)


@given(periods_strategy)
def test_experience_counts_each_day_once_however_periods_overlap(periods):
    assert rules.experience_days(periods, today=TODAY) == covered_days(periods)


@given(periods_strategy, st.randoms())
def test_experience_does_not_depend_on_order_or_repetition(periods, random):
    shuffled = periods + periods[: len(periods) // 2]
    random.shuffle(shuffled)
    assert rules.experience_days(shuffled, today=TODAY) == rules.experience_days(periods, today=TODAY)


def test_future_days_and_inverted_periods_do_not_count():
    assert rules.experience_days([Period(TODAY + timedelta(1), None)], today=TODAY) == 0
    assert rules.experience_days([Period(TODAY - timedelta(10), TODAY + timedelta(100))], today=TODAY) == 11
    assert rules.experience_days([Period(TODAY, TODAY - timedelta(5))], today=TODAY) == 0


db = pytest.mark.django_db


def vae_problems(periods, situation="EMPLOYEE", **certification):
    return rules.vae_problems(
        certification=certification_with_blocks(**certification),
        situation=situation,
        periods=periods,
        today=TODAY,
    )


@db
def test_vae_needs_one_year_of_experience_counted_once():
    half = [Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 3, 1), date(2025, 8, 31))]
    [problem] = vae_problems(half)
    assert "au moins un an" in problem and "(243 jours)" in problem
    assert vae_problems([Period(date(2025, 1, 1), date(2025, 12, 31))]) == []


@db
@pytest.mark.parametrize(("situation", "refused"), [("EMPLOYEE", False), ("JOB_SEEKER", False), ("YOUNG", True)])
def test_vae_is_for_employees_and_job_seekers(situation, refused):
    problems = vae_problems([Period(date(2020, 1, 1), None)], situation=situation)
    assert bool(problems) is refused


@db
@pytest.mark.parametrize(
    ("certification", "message"),
    [({"rs": True}, "enregistrée au RNCP"), ({"access_routes": ["FC"]}, "pas ouverte à la VAE")],
)
def test_vae_needs_an_rncp_registration_open_to_vae(certification, message):
    [problem] = vae_problems([Period(date(2020, 1, 1), None)], **certification)
    assert message in problem


def funding_problems(**kwargs):
    values = {
        "certification": certification_with_blocks(),
        "path": "TRAINING",
        "funding": "PLAN",
        "employer": None,
        "tutor": None,
        "initiated_by_candidate": True,
        "situation": "EMPLOYEE",
    }
    values.update(kwargs)
    return rules.funding_problems(**values)


@db
def test_cpf_only_on_rncp_or_rs_and_at_the_persons_initiative():
    assert funding_problems(funding="CPF") == []
    assert funding_problems(funding="CPF", certification=certification_with_blocks(rs=True)) == []
    [unregistered] = funding_problems(funding="CPF", certification=certification_with_blocks(unregistered=True))
    assert "RNCP ou au Répertoire spécifique" in unregistered
    [not_theirs] = funding_problems(funding="CPF", initiated_by_candidate=False)
    assert "à l'initiative de la personne" in not_theirs


@db
def test_cpf_chosen_by_an_employer_or_the_certifier_is_refused_at_submission():
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    by_staff = candidacy(by=staff, certification=certification, funding="CPF")
    with pytest.raises(ValidationError, match="initiative de la personne"):
        services.candidacy_transition(candidacy=by_staff, name="submit", by=staff)
    own = candidacy(certification=certification, funding="CPF")
    assert services.candidacy_transition(candidacy=own, name="submit", by=own.candidate.user).state == "SUBMITTED"


@db
@pytest.mark.parametrize(
    ("funding", "situation", "employer", "tutor", "message"),
    [
        ("PLAN", "EMPLOYEE", False, False, "demande une entreprise"),
        ("CONTRAT_PRO", "YOUNG", True, False, "demandent un tuteur"),
        ("CONTRAT_PRO", "JOB_SEEKER", False, False, "demande une entreprise"),
        ("PRO_A", "EMPLOYEE", True, False, "demandent un tuteur"),
        ("CONTRAT_PRO", "EMPLOYEE", True, True, "jeunes complétant leur formation initiale"),
        ("PRO_A", "YOUNG", True, True, "salariés en poste"),
        ("PRO_A", "JOB_SEEKER", True, True, "salariés en poste"),
        ("", "EMPLOYEE", False, False, "Indiquez le financement"),
    ],
)
def test_work_study_and_employer_funding(funding, situation, employer, tutor, message):
    company = OrganisationFactory() if employer else None
    problems = funding_problems(
        funding=funding,
        situation=situation,
        employer=company,
        tutor=TutorFactory(employer=company) if tutor else None,
    )
    assert any(message in p for p in problems), problems


@db
@pytest.mark.parametrize(
    ("funding", "situation"), [("CONTRAT_PRO", "YOUNG"), ("CONTRAT_PRO", "JOB_SEEKER"), ("PRO_A", "EMPLOYEE")]
)
def test_work_study_with_employer_and_tutor_passes(funding, situation):
    company = OrganisationFactory()
    assert (
        funding_problems(funding=funding, situation=situation, employer=company, tutor=TutorFactory(employer=company))
        == []
    )


@db
def test_the_tutor_must_work_for_the_employer():
    [problem] = funding_problems(
        funding="CONTRAT_PRO", situation="YOUNG", employer=OrganisationFactory(), tutor=TutorFactory()
    )
    assert "tuteur doit appartenir" in problem


@db
def test_an_expired_certification_takes_no_new_candidacy():
    expired = certification_with_blocks(expired=True)
    with pytest.raises(ValidationError, match="plus active"):
        candidacy(certification=expired)
    ended = certification_with_blocks(registration_end=date(2020, 12, 31))
    with pytest.raises(ValidationError, match="a pris fin le 31/12/2020"):
        candidacy(certification=ended)


@db
def test_a_replaced_certification_takes_no_new_candidacy_and_says_which_one_replaces_it():
    old = certification_with_blocks()
    new = certification_with_blocks()
    CertificationLineage.objects.create(old_code=old.code, new_code=new.code)
    with pytest.raises(ValidationError, match=f"remplacée par {new.code}"):
        candidacy(certification=old)
    assert candidacy(certification=new).state == "DRAFT"


@db
def test_a_draft_whose_certification_expires_before_submission_is_refused():
    draft = candidacy()
    draft.certification.active = False
    draft.certification.save()
    with pytest.raises(ValidationError, match="plus active"):
        services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)


@db
def test_nothing_left_to_acquire_is_refused():
    certification = certification_with_blocks(blocks=1)
    candidate = CandidateFactory(user=UserFactory())
    hold(candidate, *certification.blocks.all())  # delivered earlier: capitalised
    again = candidacy(candidate=candidate, certification=certification)
    assert list(again.blocks.values_list("status", flat=True)) == ["exempted"]
    with pytest.raises(ValidationError, match="détient déjà toute la certification"):
        services.candidacy_transition(candidacy=again, name="submit", by=candidate.user)
