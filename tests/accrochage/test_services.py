"""The accrochage file: valid against the Caisse des Dépôts schema, refused when an identity is incomplete,
each certificate declared once, revocations after declaration listed, written as a stream."""

import datetime
import io
import tracemalloc
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from cqp.accrochage import services
from cqp.accrochage.models import AccrochageAccount, AccrochageDeclaration, AccrochageFile, DeclarationKind
from cqp.awards import services as awards
from cqp.candidacies.models import Candidacy
from cqp.core.models import AuditEvent

from .conftest import complete

NS = {"cpf": services.NS}


def read(record) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def test_the_official_example_is_valid_against_the_shipped_schema(shared_data):
    example = shared_data / "caisse-des-depots" / "accrochage-example-v2.0.0.xml"
    assert services.schema().validate(etree.parse(str(example)))
    assert services.schema_errors(example) == []


def test_a_mix_of_vae_and_training_awards_gives_a_valid_file(delivered, today):
    award_list, staff = delivered
    vae, contrat_pro, abroad = award_list
    Candidacy.objects.filter(pk=vae.candidacy_id).update(path="VAE")
    Candidacy.objects.filter(pk=contrat_pro.candidacy_id).update(funding="CONTRAT_PRO", path="TRAINING")
    complete(abroad.candidacy.candidate, birth_insee_code="", birth_country="352", birth_city="Alger", usage_name="Roy")
    record = services.accrochage_build(certifier=vae.certifier, start=today, end=today, by=staff)
    content = read(record)
    tree = etree.fromstring(content)
    assert services.schema().validate(tree)
    assert record.count == 3
    assert len(record.sha256) == 64
    passages = tree.findall(".//cpf:passageCertification", NS)
    by_id = {p.findtext("cpf:idTechnique", namespaces=NS): p for p in passages}
    mode = "cpf:modalitesInscription/cpf:modaliteAcces"
    assert by_id[str(vae.uuid)].findtext(mode, namespaces=NS) == "VAE"
    assert by_id[str(vae.uuid)].findtext("cpf:modalitesInscription/cpf:voieAccessVAE", namespaces=NS)
    assert by_id[str(contrat_pro.uuid)].findtext(mode, namespaces=NS) == (
        "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    )
    holder = by_id[str(abroad.uuid)].find("cpf:identificationTitulaire/cpf:titulaire", NS)
    assert holder.findtext(".//cpf:codeInsee", namespaces=NS) == "99352"
    assert holder.findtext("cpf:prenom2", namespaces=NS) == "Marie"
    assert holder.findtext("cpf:prenom3", namespaces=NS) == "Louise"
    assert tree.findtext(".//cpf:certification/cpf:code", namespaces=NS) == vae.certification.code
    assert AccrochageDeclaration.objects.filter(file=record, kind=DeclarationKind.INITIAL).count() == 3
    assert AuditEvent.objects.filter(action="accrochage.file_produced", object_id=str(record.pk)).exists()


def test_missing_identity_is_listed_and_the_file_refused(delivered, today):
    award_list, staff = delivered
    first = award_list[0]
    complete(first.candidacy.candidate, sex="", birth_insee_code="", birth_date=None)
    missing = services.accrochage_missing(certifier=first.certifier, start=today, end=today)
    assert [m.number for m in missing] == [first.number]
    assert set(missing[0].missing) == {
        "sexe",
        "date de naissance",
        "commune de naissance (code INSEE ou code postal) ou pays de naissance",
    }
    with pytest.raises(ValidationError) as refused:
        services.accrochage_build(certifier=first.certifier, start=today, end=today, by=staff)
    assert first.number in refused.value.messages[0]
    assert "Identité incomplète" in refused.value.messages[0]
    assert not AccrochageFile.objects.exists()
    assert not AccrochageDeclaration.objects.exists()


def test_each_award_is_declared_once(delivered, today):
    award_list, staff = delivered
    certifier = award_list[0].certifier
    services.accrochage_build(certifier=certifier, start=today, end=today, by=staff)
    with pytest.raises(ValidationError, match="Aucune délivrance"):
        services.accrochage_build(certifier=certifier, start=today, end=today, by=staff)
    assert AccrochageFile.objects.count() == 1
    assert AccrochageDeclaration.objects.count() == 3


def test_period_bounds_refused_awards_and_account(delivered, today):
    award_list, staff = delivered
    certifier = award_list[0].certifier
    awards.award_revoke(award=award_list[0], by=staff, reason="Fraude établie.")
    yesterday = today - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Aucune délivrance"):
        services.accrochage_build(certifier=certifier, start=yesterday, end=yesterday, by=staff)
    with pytest.raises(ValidationError, match="précéder"):
        services.accrochage_build(certifier=certifier, start=today, end=yesterday, by=staff)
    record = services.accrochage_build(certifier=certifier, start=today, end=today, by=staff)
    assert record.count == 2  # the revoked one is left out
    AccrochageAccount.objects.all().delete()
    with pytest.raises(ValidationError, match="Identifiants de la Caisse des Dépôts"):
        services.accrochage_build(certifier=certifier, start=today, end=today, by=staff)


def test_revoked_after_declaration_is_listed_to_correct(delivered, today):
    award_list, staff = delivered
    certifier = award_list[0].certifier
    services.accrochage_build(certifier=certifier, start=today, end=today, by=staff)
    assert not services.to_correct(certifier=certifier).exists()
    awards.award_revoke(award=award_list[1], by=staff, reason="Fraude établie.")
    assert list(services.to_correct(certifier=certifier)) == [award_list[1]]
    with pytest.raises(ValidationError):
        services.accrochage_mark_corrected(award=award_list[0], by=staff)
    award_list[1].refresh_from_db()
    services.accrochage_mark_corrected(award=award_list[1], by=staff)
    services.accrochage_mark_corrected(award=award_list[1], by=staff)
    assert not services.to_correct(certifier=certifier).exists()
    assert AuditEvent.objects.filter(action="accrochage.correction_recorded").count() == 1


def fake_rows(n):
    for i in range(n):
        yield services.Row(
            pk=i,
            uuid=uuid.UUID(int=i),
            number=f"N{i}",
            delivered_on=datetime.date(2026, 1, 1),
            certification_code=f"RNCP{35000 + i // 1000}",
            registry="RNCP",
            path="VAE" if i % 2 else "TRAINING",
            situation="EMPLOYEE",
            funding="PLAN",
            applied_at=timezone.now(),
            last_name="Martin",
            usage_name="",
            first_name="Camille",
            other_first_names="Marie",
            birth_date=datetime.date(1990, 1, 1),
            sex="F",
            birth_country="",
            birth_insee_code="75056",
            birth_postal_code="",
            birth_city="Paris",
            candidate_id=i,
        )


class Sink(io.RawIOBase):
    """Counts what is written and keeps nothing."""

    size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def peak_writing(n) -> int:
    account = AccrochageAccount(client_id="E564ACB0", contract_id="C1")
    tracemalloc.start()
    sink = Sink()
    services.write_flux(sink, fake_rows(n), account=account, flux_id="f", at=timezone.now())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sink.size > n * 500
    return peak


def test_writing_is_streamed_memory_does_not_grow_with_rows():
    small, large = peak_writing(500), peak_writing(5000)
    assert large < small * 2 + 200_000


def test_streamed_output_is_valid(tmp_path):
    account = AccrochageAccount(client_id="E564ACB0", contract_id="C1")
    path = tmp_path / "f.xml"
    with path.open("wb") as out:
        assert services.write_flux(out, fake_rows(2500), account=account, flux_id="f", at=timezone.now()) == 2500
    assert services.schema_errors(path) == []
