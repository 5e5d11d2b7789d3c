"""The importer on every real extract, fiche by fiche, as a person reading the fiche would check it."""

import datetime
import filecmp
import zipfile

import pytest

from cqp.catalogue import enums
from cqp.catalogue.models import (
    Block,
    BlockEquivalence,
    Certification,
    CertificationLineage,
    Certifier,
    ImportRun,
    Partner,
)

from .conftest import ALL_FILES, CSV_ZIP, RNCP_EXTRACT, RNCP_SAMPLE, RS_SAMPLE, SAMPLES

D = datetime.date
pytestmark = pytest.mark.django_db


def sirets(certification):
    return set(certification.certifiers.values_list("siret", flat=True))


def codes(related):
    return list(related.order_by("code").values_list("code", flat=True))


def lineage():
    return set(CertificationLineage.objects.values_list("old_code", "new_code"))


def test_the_shipped_samples_are_the_real_files(registry_dir):
    for name in ALL_FILES:
        assert filecmp.cmp(registry_dir / name, SAMPLES / name, shallow=False), name
    assert "Licence Ouverte 2.0" in (SAMPLES / "README.md").read_text()


# RNCP sample ---------------------------------------------------------------------------------


def test_rncp_sample(load, registry_dir):
    [report] = load(registry_dir / RNCP_SAMPLE)
    assert (report.file_format, report.registry, report.created, report.updated, report.unchanged) == (
        "XML",
        "RNCP",
        6,
        0,
        0,
    )
    assert codes(Certification.objects) == [
        "RNCP34762",
        "RNCP35809",
        "RNCP36612",
        "RNCP37674",
        "RNCP39568",
        "RNCP40344",
    ]
    assert set(Certification.objects.values_list("source", flat=True)) == {enums.Source.REGISTRY}
    assert set(Block.objects.values_list("source", flat=True)) == {enums.Source.REGISTRY}
    run = ImportRun.objects.get(pk=report.import_run_id)
    assert (run.status, run.file_format, run.registry, run.created) == (ImportRun.Status.DONE, "XML", "RNCP", 6)


def test_rncp34762_grande_ecole_inactive_with_blocks_routes_and_statistics(load, registry_dir):
    load(registry_dir / RNCP_SAMPLE)
    c = Certification.objects.get(code="RNCP34762")
    assert c.title == "Programme Grande Ecole – Diplôme d’études supérieures en management"
    assert (c.registry, c.kind, c.fiche_id, c.fiche_state) == ("RNCP", enums.CertificationKind.OTHER, 20172, "Publiée")
    assert (c.abbreviation, c.abbreviation_label) == ("DipViGrM", "Diplôme visé grade de master")
    assert (c.level, c.level_code, c.active) == (7, "NIV7", False)
    assert c.registration_type == "Enregistrement de droit"
    assert (c.effective_date, c.registration_end, c.publication_date) == (D(2020, 9, 1), D(2024, 8, 31), D(2020, 7, 23))
    assert sirets(c) == {"81738914100018", "11004401300040"}
    assert codes(c.formacodes) == ["32054", "32139", "32654", "34054", "34254"]
    assert codes(c.nsf) == ["310", "313", "315p"]
    assert codes(c.rome) == ["M1202", "M1205", "M1402", "M1705", "M1707"]
    assert c.rome.get(code="M1402").label == "Conseil en organisation et management d'entreprise"
    # SI_JURY_CL is "Non": every other route is open, each with its jury.
    assert c.access_routes == ["FI", "CA", "FC", "CQ", "VAE"]
    assert set(c.jury_compositions) == {"FI", "CA", "FC", "CQ", "VAE"}
    assert c.jury_compositions["VAE"].startswith("Le jury est nommé par le Recteur d’Académie.")
    # Inactive: neither VAE nor CPF any more.
    assert (c.vae_open, c.cpf_eligible) == (False, False)
    assert c.url == "https://www.grenoble-em.com/programme-grande-ecole"
    assert c.objectives.startswith("Le Programme Grande Ecole se positionne")
    assert c.entry_prerequisites.startswith("Il existe différentes voies d’admission")

    assert codes(c.blocks) == [f"RNCP34762BC0{i}" for i in range(1, 6)]
    bc01 = c.blocks.get(code="RNCP34762BC01")
    assert bc01.title == "Stratégie, organisation, environnement socioéconomique et géopolitique"
    assert bc01.position == 1
    assert bc01.assessment_methods.startswith("A1C1.Note d'alerte")
    competencies = list(bc01.competencies.order_by("position").values_list("text", flat=True))
    assert len(competencies) == 7
    assert competencies[0].startswith("A1C1. Evaluer, depuis son périmètre")
    assert competencies[1].startswith("A1C2.Apprécier")

    stats = {s.year: s for s in c.year_statistics.all()}
    assert set(stats) == {2017, 2018}
    assert (stats[2018].certified, stats[2018].certified_vae, stats[2018].employment_rate_6_months) == (876, 1, 76)
    assert stats[2018].job_rate_2_years is None
    assert (stats[2017].certified, stats[2017].job_rate_2_years) == (853, 81)

    assert {("RNCP24998", "RNCP34762"), ("RNCP34762", "RNCP39568")} <= lineage()
    assert not c.partners.exists()
    assert "grande ecole" in c.search_text and "geopolitique" in c.search_text and "marketing" in c.search_text


def test_rncp40344_vae_open_partners_and_correspondences(load, registry_dir):
    load(registry_dir / RNCP_SAMPLE)
    c = Certification.objects.get(code="RNCP40344")
    assert c.title == "Auxiliaire spécialisé vétérinaire"
    assert (c.fiche_state, c.level, c.abbreviation, c.active) == ("Modifications à valider", 4, "", True)
    assert (c.decision_date, c.registration_years, c.registration_end, c.delivery_deadline) == (
        D(2025, 3, 28),
        3,
        D(2028, 3, 28),
        D(2032, 3, 28),
    )
    assert c.registration_type == "Enregistrement sur demande"
    assert c.access_routes == ["CA", "CQ", "VAE"]
    assert (c.vae_open, c.cpf_eligible) == (True, True)
    assert c.regulation.startswith("Les Auxiliaires Spécialisés Vétérinaire doivent respecter")
    # A certifier without SIRET is kept by name.
    assert set(c.certifiers.values_list("siret", "name")) == {
        ("52875765100013", "ANIMAL PRO FORMATION"),
        (None, "SNVEL"),
    }
    assert c.partners.count() == 24
    partner = c.partners.get(name="AGRICAMPUS LAVAL")
    assert (partner.siret, partner.habilitation, partner.active) == ("19530081900016", "HABILITATION_ORGA_FORM", True)
    assert (partner.active_since, partner.state_changed_on) == (D(2025, 3, 28), D(2025, 3, 28))
    assert sorted(s.year for s in c.year_statistics.all()) == [2021, 2022, 2023]
    assert c.year_statistics.get(year=2023).certified_vae == 228

    equivalences = set(
        c.equivalences.values_list("block__code", "target_certification_code", "target_block_code", "kind", "source")
    )
    assert len(equivalences) == 8
    assert ("RNCP40344BC04", "RNCP37507", "RNCP37507BC04", "EQUIVALENT", "REGISTRY") in equivalences
    assert ("RNCP40344BC01", "RNCP37982", "RNCP37982BC01", "EQUIVALENT", "REGISTRY") in equivalences
    # Their targets are not in this file: kept by code, unresolved.
    assert not c.equivalences.filter(target_block__isnull=False).exists()
    competencies = c.blocks.get(code="RNCP40344BC03").competencies.values_list("text", flat=True)
    assert len(competencies) == 5


def test_rncp37674_web_developer_with_471_partners(load, registry_dir):
    load(registry_dir / RNCP_SAMPLE)
    c = Certification.objects.get(code="RNCP37674")
    assert (c.title, c.abbreviation, c.abbreviation_label) == (
        "Développeur web et web mobile",
        "TP",
        "Titre professionnel",
    )
    assert c.partners.count() == 471
    assert Partner.objects.filter(certification=c, name="10MENTIONWEB FORMATION", siret="88055223700047").exists()
    assert sirets(c) == {"11000007200014"}
    assert c.access_routes == ["CA", "FC", "CQ", "VAE"]
    assert set(c.jury_compositions) == {"CA", "FC", "CQ", "VAE"}
    assert c.jury_compositions["VAE"].startswith("Le jury du titre est habilité par le représentant territorial")
    assert c.regulation == "Sans objet"
    bc01 = c.blocks.get(code="RNCP37674BC01")
    assert list(bc01.competencies.order_by("position").values_list("text", flat=True)) == [
        "Installer et configurer son environnement de travail en fonction du projet web ou web mobile",
        "Maquetter des interfaces utilisateur web ou web mobile",
        "Réaliser des interfaces utilisateur statiques web ou web mobile",
        "Développer la partie dynamique des interfaces utilisateur web ou web mobile",
    ]
    # A correspondence without source block stands for the whole certification.
    assert set(c.equivalences.values_list("block__code", "target_certification_code", "target_block_code")) == {
        (None, "RNCP31114", ""),
        ("RNCP37674BC01", "RNCP31114", "RNCP31114BC01"),
        ("RNCP37674BC02", "RNCP31114", "RNCP31114BC02"),
    }
    stat = c.year_statistics.get()
    assert (stat.year, stat.certified, stat.certified_vae, stat.employment_rate_6_months, stat.job_rate_2_years) == (
        2021,
        3899,
        0,
        60,
        83,
    )
    assert "maquetter des interfaces" in c.search_text and "etudes et developpement informatique" in c.search_text


def test_rncp36612_rncp35809_rncp39568(load, registry_dir):
    load(registry_dir / RNCP_SAMPLE)
    hr = Certification.objects.get(code="RNCP36612")
    assert sirets(hr) == {"18750002000073", "18750002000065"}
    assert (hr.last_jo_date, hr.decision_date, hr.registration_years) == (D(2016, 10, 4), D(2022, 7, 1), 5)
    assert hr.partners.count() == 26
    # One partner without DATE_ACTIF.
    partner = hr.partners.get(siret="50876465100024")
    assert (partner.active_since, partner.state_changed_on) == (None, D(2024, 9, 25))

    bts = Certification.objects.get(code="RNCP35809")
    assert (bts.abbreviation, bts.level, bts.active, bts.vae_open) == ("BTS", 5, True, True)
    assert bts.access_routes == ["FI", "CA", "FC", "CQ", "CL", "VAE"]
    assert bts.blocks.count() == 4
    texts = list(bts.blocks.get(code="RNCP35809BC02").competencies.values_list("text", flat=True))
    assert texts[0] == "Valider une solution technique"
    assert len(texts) == 20

    pge = Certification.objects.get(code="RNCP39568")
    assert (pge.active, pge.delivery_deadline, pge.partners.count()) == (True, D(2034, 8, 31), 1)
    assert codes(pge.blocks) == [f"RNCP39568BC0{i}" for i in range(1, 7)]


# RS sample -----------------------------------------------------------------------------------


def test_rs_sample(load, registry_dir):
    [report] = load(registry_dir / RS_SAMPLE)
    assert (report.registry, report.created) == ("RS", 8)
    assert codes(Certification.objects) == [
        "RS5000",
        "RS5568",
        "RS5719",
        "RS6232",
        "RS6547",
        "RS6604",
        "RS7423",
        "RS7485",
    ]
    assert set(Certification.objects.values_list("registry", flat=True)) == {"RS"}
    # RS: no level, never VAE; CPF while active.
    for c in Certification.objects.all():
        assert (c.level, c.level_code, c.vae_open, c.cpf_eligible) == (None, "", False, c.active)

    first_aid = Certification.objects.get(code="RS5719")
    assert first_aid.partners.count() == 377
    assert sirets(first_aid) == {"11001401600015"}
    assert (first_aid.access_routes, first_aid.active, first_aid.partial_validation) == (["FC"], True, False)
    assert first_aid.effective_date == D(2022, 1, 1)

    asbestos = Certification.objects.get(code="RS6232")
    assert asbestos.active is False
    assert sirets(asbestos) == {"93905426800023", "84210466300039", "84210466300013"}
    assert {("RS5078", "RS6232"), ("RS6232", "RS7485")} <= lineage()
    assert {s.year: s.certified for s in asbestos.year_statistics.all()} == {2020: 4, 2021: 9}

    blockchain = Certification.objects.get(code="RS5000")
    assert (blockchain.fiche_id, blockchain.active, blockchain.access_routes) == (2, False, ["FC", "CL", "VAE"])
    assert ("RS5000", "RS6604") in lineage()
    assert blockchain.partners.count() == 3

    newer = Certification.objects.get(code="RS7485")
    assert (newer.last_jo_date, newer.registration_years, newer.delivery_deadline) == (
        D(2023, 1, 20),
        2,
        D(2028, 6, 17),
    )
    assert newer.validation_prerequisites.startswith("Se référer aux annexes")


def test_rncp35340_extract(load, registry_dir):
    [report] = load(registry_dir / RNCP_EXTRACT)
    assert report.created == 1
    c = Certification.objects.get(code="RNCP35340")
    assert c.title.startswith("Services informatiques aux organisations : Option A")
    assert (c.abbreviation, c.level, c.active, c.fiche_id) == ("BTS", 5, False, 20892)
    assert c.access_routes == ["FI", "CA", "FC", "CQ", "CL", "VAE"]
    assert codes(c.blocks) == [f"RNCP35340BC0{i}" for i in range(1, 6)]
    assert list(c.blocks.get(code="RNCP35340BC04").competencies.values_list("text", flat=True)) == [
        "Concevoir et développer une solution applicative",
        "Assurer la maintenance corrective ou évolutive d’une solution applicative",
        "Gérer les données",
    ]
    assert {("RNCP17108", "RNCP35340"), ("RNCP35340", "RNCP40792")} <= lineage()


# CSV zip -------------------------------------------------------------------------------------


def test_csv_zip_cqp_tourier(load, registry_dir):
    [report] = load(registry_dir / CSV_ZIP)
    assert (report.file_format, report.registry, report.created) == ("CSV", "RNCP+RS", 9)

    tourier = Certification.objects.get(code="RS6117")
    assert (tourier.title, tourier.registry, tourier.kind, tourier.active) == ("CQP Tourier", "RS", "CQP", True)
    assert (tourier.fiche_id, tourier.decision_date, tourier.registration_end) == (
        23237,
        D(2022, 9, 29),
        D(2025, 9, 29),
    )
    assert tourier.partial_validation is False
    assert sirets(tourier) == {"78466840200018", "31504294500032"}
    assert list(tourier.agreements.values_list("number", "label")) == [
        ("3117", "Boulangerie-pâtisserie (Entreprises artisanales)")
    ]
    assert list(tourier.formacodes.order_by("code").values_list("code", "label")) == [
        ("21528", "Pâtisserie"),
        ("21538", "Boulangerie"),
    ]
    assert tourier.access_routes == ["FC", "CQ", "VAE"]
    assert (tourier.vae_open, tourier.cpf_eligible) == (False, True)
    assert tourier.partners.count() == 6
    assert tourier.partners.filter(siret="77566202600381").exists()

    old = Certification.objects.get(code="RNCP19468")
    assert (old.title, old.kind, old.active, old.level, old.level_code) == (
        "CQP Tourier",
        "CQP",
        False,
        None,
        "REPRISE",
    )
    assert (old.last_jo_date, old.registration_end) == (D(2018, 7, 21), D(2021, 7, 21))
    assert codes(old.rome) == ["D1102", "D1104"]
    assert old.agreements.get().number == "3117"
    assert sirets(old) == {"78466840200018"}
    assert ("RNCP19468", "RS6117") in lineage()
    assert (old.vae_open, old.cpf_eligible) == (False, False)
    assert Certifier.objects.get(siret="78466840200018").name == "CONFEDE. NATIONALE BOULANGERS PATISSIERS"


def test_csv_zip_other_fiches(load, registry_dir):
    load(registry_dir / CSV_ZIP)
    cap = Certification.objects.get(code="RNCP509")
    assert (cap.abbreviation, cap.abbreviation_label, cap.level, cap.active) == (
        "CAP",
        "Certificat d'aptitude professionnelle",
        3,
        False,
    )
    assert cap.access_routes == ["FI", "CA", "FC", "CQ", "CL", "VAE"]
    assert codes(cap.blocks) == [f"RNCP509BC0{i}" for i in range(1, 7)]
    assert cap.blocks.get(code="RNCP509BC01").title == (
        "UP1 : Vérification d’une installation et organisation de l’intervention"
    )
    assert cap.nsf.get().label == "Mécanique générale et de précision, usinage"
    assert ("RNCP509", "RNCP38228") in lineage()
    # Doubled apostrophes of the CSV export are read as one.
    manager = Certification.objects.get(code="RNCP4049")
    assert manager.rome.get(code="H1102").label == "Management et ingénierie d'affaires"
    assert {("RNCP1197", "RNCP4049"), ("RNCP4049", "RNCP22094")} <= lineage()
    assert Certification.objects.get(code="RNCP1197").title.endswith("(Fiche incomplète)")
    blockchain = Certification.objects.get(code="RS5000")
    assert (blockchain.registry, blockchain.active, blockchain.partners.count()) == ("RS", True, 3)


def test_every_real_file_together(load, registry_dir):
    reports = load(*(registry_dir / name for name in ALL_FILES))
    assert [report.file_format for report in reports] == ["CSV", "XML", "XML", "XML"]
    assert Certification.objects.count() == 23
    assert Certification.objects.filter(kind=enums.CertificationKind.CQP).count() == 2
    # RS5000 is in the 2024 CSV and in the 2026 XML: the later file imported wins.
    assert Certification.objects.get(code="RS5000").active is False
    assert not BlockEquivalence.objects.exclude(source=enums.Source.REGISTRY).exists()


def test_xml_export_zipped_as_data_gouv_distributes_it(load, registry_dir, tmp_path):
    path = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(registry_dir / RNCP_SAMPLE, "export_fiches_RNCP_V4_1_2026-08-16.xml")
    [report] = load(path)
    assert (report.file_format, report.registry, report.created) == ("XML", "RNCP", 6)
    assert Certification.objects.get(code="RNCP37674").partners.count() == 471
    [again] = load(registry_dir / RNCP_SAMPLE)
    assert again.unchanged == 6
