"""A small catalogue for the API tests, built with the catalogue factories."""

import datetime

import pytest
from rest_framework.test import APIClient

from cqp.catalogue import enums
from cqp.catalogue.models import (
    BlockEquivalence,
    CertificationLineage,
    CollectiveAgreement,
    Formacode,
    Nsf,
    Rome,
)
from cqp.catalogue.search import build_search_text
from tests.catalogue.factories import (
    BlockFactory,
    BranchFactory,
    CertificationFactory,
    CertifierFactory,
    CompetencyFactory,
    EvaluationCriterionFactory,
)


@pytest.fixture
def api():
    return APIClient()


def refresh_search_text(certification):
    """What the services do after an edit: index blocks, competencies and jobs too."""
    blocks = list(certification.blocks.prefetch_related("competencies"))
    certification.search_text = build_search_text(
        code=certification.code,
        title=certification.title,
        abbreviation=certification.abbreviation,
        block_titles=[block.title for block in blocks],
        competencies=[c.text for block in blocks for c in block.competencies.all()],
        job_labels=[rome.label for rome in certification.rome.all()],
    )
    certification.save(update_fields=["search_text"])


@pytest.fixture
def catalogue(db):
    """Four certifications that differ on every filter, and the rows around them."""
    metallurgy = BranchFactory(slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i")
    bakery = BranchFactory(slug="boulangerie", name="Boulangerie-pâtisserie artisanale", opco_name="OPCO EP")
    CollectiveAgreement.objects.create(number="3109", idcc="3248", label="Métallurgie", branch=metallurgy)
    CollectiveAgreement.objects.create(number="3117", idcc="0843", label="Boulangerie-pâtisserie", branch=bakery)
    uimm = CertifierFactory(siret="77567227400024", name="UIMM — Union des industries et métiers de la métallurgie")
    uimm.branches.add(metallurgy)
    cnbpf = CertifierFactory(siret="78430882100030", name="Confédération nationale de la boulangerie-pâtisserie")
    cnbpf.branches.add(bakery)
    welder_job = Rome.objects.create(code="H2913", label="Soudage manuel")
    baker_job = Rome.objects.create(code="D1102", label="Boulangerie - viennoiserie")

    welder = CertificationFactory(
        code="RNCP37674",
        title="CQPM Soudeur industriel",
        kind=enums.CertificationKind.CQPM,
        level=4,
        level_code="NIV4",
        registration_end=datetime.date(2028, 6, 30),
        abbreviation="CQPM",
    )
    welder.certifiers.add(uimm)
    welder.branches.add(metallurgy)
    welder.rome.add(welder_job)
    welder.agreements.add(CollectiveAgreement.objects.get(number="3109"))
    welder.nsf.add(Nsf.objects.create(code="254s", label="Structures métalliques"))
    welder.formacodes.add(Formacode.objects.create(code="22654", label="Soudage"))
    assembly = BlockFactory(certification=welder, code="RNCP37674BC01", position=1, title="Préparer un assemblage")
    CompetencyFactory(block=assembly, position=1, text="Lire un plan d'ensemble et une gamme de soudage")
    CompetencyFactory(block=assembly, position=2, text="Régler le poste à l'arc électrique")
    EvaluationCriterionFactory(block=assembly, position=1, text="Le plan est lu sans erreur", mandatory=True)
    EvaluationCriterionFactory(block=assembly, position=2, text="Le poste est rangé", mandatory=False)
    welding = BlockFactory(
        certification=welder,
        code="RNCP37674BC02",
        position=2,
        title="Souder en sécurité",
        assessment_methods="Mise en situation professionnelle",
    )
    CompetencyFactory(block=welding, position=1, text="Souder des tôles d'acier en toutes positions")
    refresh_search_text(welder)

    tourier = CertificationFactory(
        code="RS6117",
        rs=True,
        title="CQP Tourier",
        access_routes=["FC", "CQ"],
    )
    tourier.certifiers.add(cnbpf)
    tourier.branches.add(bakery)
    tourier.rome.add(baker_job)
    refresh_search_text(tourier)

    old_tourier = CertificationFactory(code="RNCP19468", title="CQP Tourier", expired=True, level=3)
    old_tourier.certifiers.add(cnbpf)
    old_tourier.branches.add(bakery)
    CertificationLineage.objects.create(old_code="RNCP19468", new_code="RS6117")

    platform_cqp = CertificationFactory(
        code="CQP-00001",
        unregistered=True,
        cqpi=True,
        title="CQPI Opérateur qualité",
        access_routes=["FC"],
    )
    platform_cqp.branches.add(metallurgy, bakery)
    platform_cqp.certifiers.add(uimm)

    BlockEquivalence.objects.create(
        certification=welder,
        block=welding,
        target_certification_code="RNCP99999",
        target_block_code="RNCP99999BC03",
        kind=enums.EquivalenceKind.EQUIVALENT,
    )
    BlockEquivalence.objects.create(
        certification=welder,
        block=None,
        target_certification_code="CQP-00001",
        kind=enums.EquivalenceKind.COMMON,
    )
    return {
        "welder": welder,
        "tourier": tourier,
        "old_tourier": old_tourier,
        "platform_cqp": platform_cqp,
        "uimm": uimm,
        "cnbpf": cnbpf,
        "metallurgy": metallurgy,
        "bakery": bakery,
    }


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]
