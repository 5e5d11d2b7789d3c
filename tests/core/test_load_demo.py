"""`python manage.py load_demo`: the demo catalogue and accounts, twice without a duplicate."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.catalogue.models import BlockEquivalence, Certification, CertificationLineage
from cqp.catalogue.permissions import certifications_editable_by
from cqp.core.models import AuditEvent
from cqp.demo import content
from cqp.demo.loader import sample_files

pytestmark = pytest.mark.django_db

SKIPPED = {"catalogue.ImportRun", "sessions.Session", "admin.LogEntry"}


def rows():
    """Number of rows of every table but the logs of each run, and the codes of the catalogue."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.label not in SKIPPED}
    return counts, sorted(Certification.objects.values_list("code", "title", "active", "vae_open", "cpf_eligible"))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it, so the tests see the demo and leave it as they found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_load_demo_twice_gives_the_same_catalogue(loaded):
    first = rows()
    call_command("load_demo", stdout=io.StringIO())
    assert rows() == first


def test_every_shipped_registry_extract_is_imported(loaded):
    assert {p.suffix for p in sample_files()} == {".xml", ".zip"}
    tourier = Certification.objects.get(code="RS6117")
    assert tourier.title == "CQP Tourier" and tourier.source == "REGISTRY"
    assert CertificationLineage.objects.filter(old_code="RNCP19468", new_code="RS6117").exists()
    assert list(tourier.branches.values_list("slug", flat=True)) == ["boulangerie-artisanale"]
    for path in sample_files():
        assert path.name in loaded


def test_demo_certifications_rest_on_real_facts_and_say_what_is_invented(loaded):
    aircraft = Certification.objects.get(code="RNCP36086")
    assert (aircraft.title, aircraft.kind, aircraft.level) == (
        "CQP Ajusteur assembleur de structures aéronefs",
        "CQPM",
        3,
    )
    assert aircraft.registration_end.isoformat() == "2026-12-15"
    assert aircraft.certifiers.get().siret == "78471719100018"
    assert list(aircraft.branches.values_list("opco_name", flat=True)) == ["OPCO 2i"]
    assert list(aircraft.nsf.values_list("code", flat=True)) == ["253"]
    assert aircraft.blocks.count() == 4 and aircraft.vae_open and aircraft.cpf_eligible
    platform = Certification.objects.filter(source="PLATFORM")
    assert platform.count() == len(content.certifications())
    for certification in platform:
        assert content.DEMO in certification.objectives, certification.code
        assert certification.blocks.exists() and certification.search_text
        for block in certification.blocks.all():
            assert block.criteria.exists(), block.code
    assert set(platform.filter(registry="NONE").values_list("code", flat=True)) == {
        "CQP-00001",
        "CQP-00002",
        "CQP-00003",
        "CQP-00004",
    }


def test_cqpi_of_two_branches_shares_common_blocks_both_ways(loaded):
    cqpi = Certification.objects.get(title="CQPI Conducteur d'équipements industriels")
    assert cqpi.kind == "CQPI" and cqpi.branches.count() == 2
    common = BlockEquivalence.objects.filter(certification=cqpi, kind="COMMON")
    assert common.count() == 2
    for link in common:
        assert BlockEquivalence.objects.filter(block=link.target_block, target_block=link.block, kind="COMMON").exists()


def test_expired_cqpm_is_replaced_by_its_new_version(loaded):
    old, new = Certification.objects.get(code="RNCP38116"), Certification.objects.get(code="RNCP41789")
    assert not old.active and not old.vae_open and new.active
    assert CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists()
    assert BlockEquivalence.objects.filter(certification=new, kind="VERSION").count() == 2


def test_one_account_per_role_and_tenancy_of_the_two_certifiers(loaded, client):
    assert User.objects.get(email="admin@cqp.example").is_superuser
    roles = set(User.objects.filter(email__endswith="@cqp.example").values_list("memberships__role", flat=True))
    assert roles == {*Role.values, None}  # None: the platform administrator holds no membership
    uimm = User.objects.get(email="certificateur.uimm@cqp.example")
    ocapiat = User.objects.get(email="certificateur.ocapiat@cqp.example")
    uimm_codes = set(certifications_editable_by(uimm).values_list("code", flat=True))
    assert {"RNCP36086", "RNCP38116", "RNCP41789", "CQP-00001"} <= uimm_codes
    assert "RNCP41679" not in uimm_codes
    assert set(certifications_editable_by(ocapiat).values_list("code", flat=True)) == {"RNCP41679"}
    for email in ("admin@cqp.example", "candidat@cqp.example"):
        assert client.login(email=email, password=content.PASSWORD)
    assert "demo-cqp-2026" in loaded and "certificateur.uimm@cqp.example" in loaded


def test_demo_edits_are_in_the_audit_trail(loaded):
    cqpi = Certification.objects.get(title="CQPI Conducteur d'équipements industriels")
    actions = set(AuditEvent.objects.filter(object_id=str(cqpi.pk)).values_list("action", flat=True))
    assert {"certification.create", "block.create", "criterion.create", "equivalence.create"} <= actions


def test_shipped_facts_are_a_faithful_copy_of_the_shared_data(shared_data):
    fiches = json.loads((shared_data / "cqp-fiches" / "fiches.json").read_text(encoding="utf-8"))
    extras = json.loads((shared_data / "cqp-fiches" / "fiche_extras.json").read_text(encoding="utf-8"))
    by_key = dict(zip(extras, fiches, strict=True))
    for key, copy in content.facts().items():
        assert copy["fiche"] == by_key[key], key
        assert copy["extras"] == extras[key], key
