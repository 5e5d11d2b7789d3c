"""The orientation rules, one by one, then their invariants over every combination."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqp.catalogue.enums import AccessRoute, Registry
from cqp.catalogue.rights import cpf_eligible, vae_open
from cqp.orientation import opco as opco_table
from cqp.orientation import rules
from cqp.orientation.enums import ContactKind, FundingName, PathName, Status
from cqp.orientation.rules import CertificationFacts, Profile, orient


def certification(code="RNCP37674", registry=Registry.RNCP, active=True, routes=("FC", "CQ", "VAE")):
    return CertificationFacts(
        code=code,
        title="CQPM Soudeur",
        registry=registry,
        active=active,
        vae_open=vae_open(registry=registry, active=active, access_routes=list(routes)),
        cpf_eligible=cpf_eligible(registry=registry, active=active),
        access_routes=tuple(routes),
    )


def outcome(result, name):
    (found,) = [o for o in result.paths + result.funding if o.name == name]
    return found


def kinds(result):
    return [c.kind for c in result.contacts]


def test_training_is_open_and_says_the_version_is_gone_when_inactive():
    result = orient(Profile(status=Status.OTHER, certification=certification(active=False)))
    training = outcome(result, PathName.TRAINING)
    assert training.open
    assert "n'est plus active" in training.reason


def test_vae_open_with_active_rncp_and_a_year():
    vae = outcome(orient(Profile(status=Status.EMPLOYEE, experience_months=14, certification=certification())), "VAE")
    assert vae.open
    assert "14 mois" in vae.reason and "12" in vae.reason


def test_vae_closed_with_eleven_months_says_what_is_missing():
    vae = outcome(orient(Profile(status=Status.EMPLOYEE, experience_months=11, certification=certification())), "VAE")
    assert not vae.open
    assert "11 mois" in vae.reason and "manque 1 mois" in vae.reason


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (certification("RS6117", Registry.RS), "RNCP"),
        (certification("CQP-00001", Registry.NONE), "RNCP"),
        (certification(active=False), "plus actif"),
        (certification(routes=("FC",)), "n'ouvre pas"),
    ],
)
def test_vae_closed_outside_an_active_rncp_open_to_vae(facts, words):
    vae = outcome(orient(Profile(status=Status.JOB_SEEKER, experience_months=60, certification=facts)), "VAE")
    assert not vae.open
    assert words in vae.reason


def test_vae_without_certification_or_experience_asks_for_them():
    assert "Choisissez une certification" in outcome(orient(Profile(status=Status.EMPLOYEE)), "VAE").reason
    no_months = outcome(orient(Profile(status=Status.EMPLOYEE, certification=certification())), "VAE")
    assert not no_months.open and "Indiquez votre expérience" in no_months.reason


def test_plan_and_pro_a_for_employees_only():
    employee = orient(Profile(status=Status.EMPLOYEE, age=40))
    assert outcome(employee, FundingName.PLAN).open
    pro_a = outcome(employee, FundingName.PRO_A)
    assert pro_a.open
    # Honest about what is not checked.
    assert "CDI" in pro_a.reason and "licence" in pro_a.reason and "vérifie seulement" in pro_a.reason
    seeker = orient(Profile(status=Status.JOB_SEEKER, age=40))
    assert not outcome(seeker, FundingName.PLAN).open
    assert not outcome(seeker, FundingName.PRO_A).open


@pytest.mark.parametrize(
    ("status", "age", "expected"),
    [
        (Status.YOUNG, 16, True),
        (Status.YOUNG, 25, True),
        (Status.EMPLOYEE, 20, True),
        (Status.JOB_SEEKER, 26, True),
        (Status.JOB_SEEKER, 58, True),
        (Status.EMPLOYEE, 26, False),
        (Status.OTHER, 40, False),
        (Status.YOUNG, 15, False),
        (Status.YOUNG, None, False),
    ],
)
def test_contrat_pro(status, age, expected):
    contrat = outcome(orient(Profile(status=status, age=age)), FundingName.CONTRAT_PRO)
    assert contrat.open is expected
    if age is not None:
        assert f"{age} ans" in contrat.reason
    if not expected and age is not None and age >= 16:
        assert "RSA" in contrat.reason  # what is not checked is said


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (certification(), True),
        (certification("RS6117", Registry.RS), True),
        (certification("CQP-00001", Registry.NONE), False),
        (certification(active=False), False),
        (None, False),
    ],
)
def test_cpf_only_for_active_rncp_or_rs(facts, expected):
    cpf = outcome(orient(Profile(status=Status.OTHER, certification=facts)), FundingName.CPF)
    assert cpf.open is expected
    if facts is not None:
        assert facts.code in cpf.reason


def test_france_travail_aids_and_contact_for_job_seekers():
    seeker = orient(Profile(status=Status.JOB_SEEKER))
    aid = outcome(seeker, FundingName.FRANCE_TRAVAIL)
    assert aid.open and "AIF" in aid.reason
    assert ContactKind.FRANCE_TRAVAIL in kinds(seeker)
    assert ContactKind.FRANCE_TRAVAIL not in kinds(orient(Profile(status=Status.EMPLOYEE)))


@pytest.mark.parametrize(
    ("facts", "age", "disability", "expected"),
    [
        (certification(routes=("CA", "FC")), 20, False, True),
        (certification(routes=("CA", "FC")), 29, False, True),
        (certification(routes=("CA", "FC")), 30, False, False),
        (certification(routes=("CA", "FC")), 45, True, True),
        (certification(routes=("FC",)), 20, False, False),
        (certification("RS6117", Registry.RS, routes=("CA",)), 20, False, False),
        (None, 20, False, False),
    ],
)
def test_apprenticeship(facts, age, disability, expected):
    result = orient(Profile(status=Status.YOUNG, age=age, disability_recognised=disability, certification=facts))
    assert outcome(result, FundingName.APPRENTISSAGE).open is expected


def test_contacts_by_age_disability_and_idcc():
    metal = opco_table.branch_for_idcc("3248")
    result = orient(Profile(status=Status.EMPLOYEE, age=22, disability_recognised=True, idcc="3248", opco=metal.opco))
    assert kinds(result) == [ContactKind.OPCO, ContactKind.MISSION_LOCALE, ContactKind.CAP_EMPLOI]
    assert result.contacts[0].name == "OPCO 2i" and result.contacts[0].url == "https://www.opco2i.fr/"
    assert "3248" in result.contacts[0].reason


def test_employee_without_idcc_is_sent_to_find_the_opco_and_to_the_branch_opco():
    facts = CertificationFacts(code="RNCP37674", registry=Registry.RNCP, branch_opcos=(opco_table.opcos()["OPCO2I"],))
    result = orient(Profile(status=Status.EMPLOYEE, certification=facts))
    assert [c.url for c in result.contacts] == [opco_table.FIND_MY_OPCO_URL, "https://www.opco2i.fr/"]


# --- The OPCO table --------------------------------------------------------------------------


@pytest.mark.parametrize("idcc", ["3248", "44", "0044", "292", "176", "0018"])
def test_industrial_branches_go_to_opco_2i(idcc):
    assert opco_table.branch_for_idcc(idcc).opco.name == "OPCO 2i"


def test_food_industry_and_commerce():
    assert opco_table.branch_for_idcc("3109").opco.name == "OCAPIAT"
    assert opco_table.branch_for_idcc("2216").opco.name == "L'Opcommerce"


def test_table_is_well_formed():
    entries = opco_table.branches()
    assert len(entries) >= 40
    assert all(re.fullmatch(r"\d{4}", e.idcc) for e in entries)
    assert all(o.url.startswith("https://") for o in opco_table.opcos().values())
    assert len(opco_table.opcos()) == 11


def test_idcc_format():
    assert opco_table.normalise_idcc("843") == "0843"
    for bad in ["", "12345", "3a", " ", "-1", "1.0"]:
        assert opco_table.normalise_idcc(bad) is None


def test_table_search_forgives_accents():
    assert [b.idcc for b in opco_table.search_table("metallurgie")] == ["3248"]


# --- Invariants over every combination --------------------------------------------------------

registries = st.sampled_from([Registry.RNCP, Registry.RS, Registry.NONE])
routes = st.sets(st.sampled_from(AccessRoute.values)).map(tuple)
certifications = st.one_of(
    st.none(),
    st.builds(
        lambda registry, active, routes: certification("X1", registry, active, routes),
        registries,
        st.booleans(),
        routes,
    ),
)
profiles = st.builds(
    Profile,
    status=st.sampled_from(Status.values),
    age=st.one_of(st.none(), st.integers(14, 100)),
    disability_recognised=st.booleans(),
    experience_months=st.one_of(st.none(), st.integers(0, 600)),
    certification=certifications,
)
FRENCH = re.compile(r"\b(vous|la|le|les|est|de|une?)\b")


@given(profiles)
def test_invariants(profile):
    result = orient(profile)
    facts = profile.certification
    assert [p.name for p in result.paths] == [PathName.TRAINING, PathName.VAE]
    assert {f.name for f in result.funding} == set(FundingName.values)
    assert outcome(result, PathName.TRAINING).open
    cpf = outcome(result, FundingName.CPF).open
    assert cpf == (facts is not None and facts.registry in (Registry.RNCP, Registry.RS) and facts.active)
    if outcome(result, PathName.VAE).open:
        assert facts.registry == Registry.RNCP and facts.active
        assert profile.experience_months >= rules.VAE_MIN_MONTHS
    if outcome(result, FundingName.APPRENTISSAGE).open:
        assert facts.registry == Registry.RNCP
    assert (ContactKind.MISSION_LOCALE in kinds(result)) == (profile.age is not None and 16 <= profile.age <= 25)
    assert (ContactKind.CAP_EMPLOI in kinds(result)) == profile.disability_recognised
    assert (ContactKind.FRANCE_TRAVAIL in kinds(result)) == (profile.status == Status.JOB_SEEKER)
    assert outcome(result, FundingName.PLAN).open == (profile.status == Status.EMPLOYEE)
    for item in result.paths + result.funding + result.contacts:
        assert item.reason.strip()
        assert FRENCH.search(item.reason), item.reason
    for contact in result.contacts:
        assert contact.name and contact.url.startswith("https://")


def test_every_rule_is_explained():
    assert {r.group for r in rules.RULES} == {"path", "funding", "contact"}
    for rule in rules.RULES:
        assert str(rule.title) and len(str(rule.explanation)) > 60
