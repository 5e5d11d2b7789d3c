"""Re-imports: nothing changes for the same file, a newer export updates, platform edits survive."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqp.catalogue import enums
from cqp.catalogue.models import (
    Block,
    BlockEquivalence,
    Branch,
    Certification,
    CollectiveAgreement,
    EvaluationCriterion,
    ImportRun,
    Partner,
)

from .conftest import ALL_FILES, CSV_ZIP, RNCP_EXTRACT, RNCP_SAMPLE, RS_SAMPLE, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ALL_FILES)
def test_second_import_of_the_same_file_changes_nothing(name, load, sample):
    [first] = load(sample(name))
    assert first.created > 0
    before = snapshot()
    [second] = load(sample(name))
    assert (second.created, second.updated, second.unchanged, second.no_longer_present) == (0, 0, first.created, 0)
    # Every row of every table, updated_at included, is as it was.
    assert snapshot() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.DONE).count() == 2


def fiches_xml(count, template_path):
    """An export of `count` fiches, cycling the real ones with new codes."""
    text = template_path.read_text(encoding="utf-8")
    start = text.index("<FICHE>")
    end = text.rindex("</FICHE>") + len("</FICHE>")
    fiches = text[start:end].split("</FICHE>")[:-1]
    body = []
    for index in range(count):
        fiche = fiches[index % len(fiches)] + "</FICHE>"
        code = fiche.split("<NUMERO_FICHE>")[1].split("</NUMERO_FICHE>")[0]
        body.append(fiche.replace(code, f"RNCP{90000 + index}"))
    return (text[:start] + "".join(body) + text[end:]).encode()


def test_query_count_does_not_grow_with_the_fiches(load, sample, tmp_path):
    first, second = [], []
    for count in (6, 60):
        path = tmp_path / f"export_{count}.xml"
        path.write_bytes(fiches_xml(count, sample(RNCP_SAMPLE)))
        Certification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            [report] = load(path)
        assert report.created == count
        # Bulk inserts are split by the database's parameter limit; count the statements that are not.
        first.append(sum(1 for q in queries.captured_queries if not q["sql"].startswith("INSERT")))
        with CaptureQueriesContext(connection) as queries:
            [report] = load(path)
        assert report.unchanged == count
        second.append(len(queries))
    assert first[0] == first[1]
    assert second[0] == second[1] <= 17


def newer_rncp_export(sample, tmp_path):
    """The RNCP sample as a later export would give it: RNCP37674 changed, RNCP35809 gone, one new fiche."""
    text = sample(RNCP_SAMPLE).read_text(encoding="utf-8")
    start = text.index("<ID_FICHE>21490</ID_FICHE>")
    start = text.rindex("<FICHE>", 0, start)
    end = text.index("</FICHE>", start) + len("</FICHE>")
    removed = text[start:end]
    text = text[:start] + text[end:]
    # A brand-new fiche, after the others.
    new = removed.replace("RNCP35809", "RNCP42001").replace("<ID_FICHE>21490<", "<ID_FICHE>99999<")
    text = text.replace("</FICHES>", new + "</FICHES>")
    # RNCP37674: new title, block BC02 gone, a block BC03 added, a competency reworded, a partner gone,
    # another one withdrawn, one more year of statistics.
    text = text.replace("<INTITULE>Développeur web et web mobile</INTITULE>", "<INTITULE>Développeur web</INTITULE>")
    bc02 = text.index("<CODE>RNCP37674BC02</CODE>")
    bc02_start = text.rindex("<BLOC_COMPETENCES>", 0, bc02)
    bc02_end = text.index("</BLOC_COMPETENCES>", bc02) + len("</BLOC_COMPETENCES>")
    bc03 = (
        "<BLOC_COMPETENCES><CODE>RNCP37674BC03</CODE><LIBELLE>Déployer une application</LIBELLE>"
        "<LISTE_COMPETENCES>- Préparer le déploiement  - Déployer en production</LISTE_COMPETENCES>"
        "<MODALITES_EVALUATION>Mise en situation</MODALITES_EVALUATION></BLOC_COMPETENCES>"
    )
    text = text[:bc02_start] + bc03 + text[bc02_end:]
    bc01 = text.index("<CODE>RNCP37674BC01</CODE>")
    text = text[:bc01] + text[bc01:].replace(
        "Maquetter des interfaces utilisateur web ou web mobile", "Maquetter des interfaces accessibles", 1
    )
    partner = text.index("<NOM_PARTENAIRE>10MENTIONWEB FORMATION</NOM_PARTENAIRE>")
    partner_start = text.rindex("<PARTENAIRE>", 0, partner)
    partner_end = text.index("</PARTENAIRE>", partner) + len("</PARTENAIRE>")
    text = text[:partner_start] + text[partner_end:]
    withdrawn = text.index("<NOM_PARTENAIRE>3W ACADEMY</NOM_PARTENAIRE>")
    state = text.index("<ETAT_HABILITATION>Actif</ETAT_HABILITATION>", withdrawn)
    text = text[:state] + "<ETAT_HABILITATION>Inactif</ETAT_HABILITATION>" + text[state + 44 :]
    stats = text.index("<NOMBRE_CERTIFIES>3899</NOMBRE_CERTIFIES>")
    stats_end = text.index("</STATISTIQUES_PROMOTIONS>", stats)
    year = (
        "<STATISTIQUES_PROMOTION><ANNEE>2024</ANNEE><NOMBRE_CERTIFIES>4100</NOMBRE_CERTIFIES></STATISTIQUES_PROMOTION>"
    )
    text = text[:stats_end] + year + text[stats_end:]
    path = tmp_path / "export_fiches_RNCP_V4_1_2026-08-17.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_newer_export_updates_reports_and_keeps_platform_edits(load, sample, tmp_path):
    load(sample(RNCP_SAMPLE))
    web = Certification.objects.get(code="RNCP37674")
    bc01, bc02 = web.blocks.get(code="RNCP37674BC01"), web.blocks.get(code="RNCP37674BC02")
    # Platform edits: criteria on both blocks, a platform equivalence, a branch.
    criterion_1 = EvaluationCriterion.objects.create(block=bc01, text="Maquette conforme au cahier des charges")
    criterion_2 = EvaluationCriterion.objects.create(block=bc02, text="Base de données normalisée", mandatory=False)
    platform = BlockEquivalence.objects.create(
        certification=web,
        block=bc01,
        target_certification_code="RNCP40344",
        target_block_code="RNCP40344BC01",
        kind=enums.EquivalenceKind.COMMON,
        source=enums.Source.PLATFORM,
    )
    # The same key as a registry correspondence, entered on the platform too.
    duplicate = BlockEquivalence.objects.get(certification=web, block=bc01, target_block_code="RNCP31114BC01")
    duplicate.source = enums.Source.PLATFORM
    duplicate.save()
    branch = Branch.objects.create(slug="numerique", name="Numérique")
    web.branches.add(branch)
    untouched = Certification.objects.get(code="RNCP40344")
    unchanged_state = (untouched.updated_at, list(untouched.blocks.values_list("pk", flat=True)))

    [report] = load(newer_rncp_export(sample, tmp_path))

    assert (report.created, report.updated, report.unchanged, report.no_longer_present) == (1, 1, 4, 1)
    assert report.no_longer_present_codes == ["RNCP35809"]
    assert "RNCP35809" in report.summary() and "1 mises à jour" in report.summary()
    # Gone from the file, kept in the catalogue.
    assert Certification.objects.filter(code="RNCP35809").exists()
    assert Certification.objects.filter(code="RNCP42001", source=enums.Source.REGISTRY).exists()

    web.refresh_from_db()
    assert web.title == "Développeur web"
    assert "developpeur web" in web.search_text and "deployer en production" in web.search_text
    # The retired block is still part of the certification's page, so still found by search.
    assert "base de donnees relationnelle" in web.search_text
    # Blocks keep their keys; the one gone from the registry is flagged, not deleted.
    assert web.blocks.get(code="RNCP37674BC01").pk == bc01.pk
    bc02.refresh_from_db()
    assert (bc02.in_registry, bc02.title) == (
        False,
        "Développer la partie back-end d'une application web ou web mobile sécurisée",
    )
    bc03 = web.blocks.get(code="RNCP37674BC03")
    assert (bc03.in_registry, bc03.position, bc03.source) == (True, 2, enums.Source.REGISTRY)
    assert list(bc03.competencies.values_list("text", flat=True)) == [
        "Préparer le déploiement",
        "Déployer en production",
    ]
    assert list(bc01.competencies.order_by("position").values_list("text", flat=True))[1] == (
        "Maquetter des interfaces accessibles"
    )
    # Criteria untouched.
    assert set(EvaluationCriterion.objects.values_list("pk", "block_id", "text", "mandatory")) == {
        (criterion_1.pk, bc01.pk, "Maquette conforme au cahier des charges", True),
        (criterion_2.pk, bc02.pk, "Base de données normalisée", False),
    }
    # Platform equivalences untouched, no registry twin created beside them; the rest kept.
    platform.refresh_from_db()
    assert (platform.source, platform.kind, platform.block_id) == ("PLATFORM", "COMMON", bc01.pk)
    duplicate.refresh_from_db()
    assert duplicate.source == enums.Source.PLATFORM
    assert web.equivalences.filter(target_block_code="RNCP31114BC01").count() == 1
    # The file still has a correspondence from the retired block: it keeps pointing at it.
    assert web.equivalences.filter(block__code="RNCP37674BC02", source=enums.Source.REGISTRY).count() == 1
    assert list(web.branches.all()) == [branch]
    # Partners: one gone, one withdrawn, the others untouched.
    assert web.partners.count() == 470
    assert not Partner.objects.filter(certification=web, name="10MENTIONWEB FORMATION").exists()
    assert web.partners.get(name="3W ACADEMY").active is False
    assert web.year_statistics.get(year=2024).certified == 4100
    # A fiche that did not change was not written.
    untouched.refresh_from_db()
    assert (untouched.updated_at, list(untouched.blocks.values_list("pk", flat=True))) == unchanged_state

    # And the newer export, imported again, changes nothing.
    before = snapshot()
    [again] = load(tmp_path / "export_fiches_RNCP_V4_1_2026-08-17.xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert snapshot() == before


def rncp37507_xml():
    blocks = "".join(
        f"<BLOC_COMPETENCES><CODE>RNCP37507BC0{i}</CODE><LIBELLE>Bloc {i}</LIBELLE></BLOC_COMPETENCES>"
        for i in range(1, 5)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE>"
        "<ID_FICHE>24000</ID_FICHE><NUMERO_FICHE>RNCP37507</NUMERO_FICHE>"
        "<INTITULE>Auxiliaire spécialisé vétérinaire</INTITULE><ACTIF>Non</ACTIF>"
        f"<BLOCS_COMPETENCES>{blocks}</BLOCS_COMPETENCES></FICHE></FICHES>"
    ).encode()


@pytest.mark.parametrize("order", ["target first", "target later"])
def test_correspondences_are_resolved_whatever_the_order(order, load, sample, tmp_path):
    older = tmp_path / "rncp37507.xml"
    older.write_bytes(rncp37507_xml())
    files = [older, sample(RNCP_SAMPLE)] if order == "target first" else [sample(RNCP_SAMPLE), older]
    load(*files)
    resolved = BlockEquivalence.objects.filter(certification__code="RNCP40344", target_certification_code="RNCP37507")
    assert resolved.count() == 4
    for equivalence in resolved:
        assert equivalence.target_block.code == equivalence.target_block_code
        assert equivalence.target_block.certification.code == "RNCP37507"
    # Targets still absent from the catalogue stay unresolved, by code.
    assert not BlockEquivalence.objects.filter(target_certification_code="RNCP37982", target_block__isnull=False)


def test_dry_run_writes_nothing_and_reports_the_same_figures(load, sample):
    load(sample(RS_SAMPLE))
    before = snapshot()
    reports = load(sample(CSV_ZIP), sample(RNCP_SAMPLE), dry_run=True)
    assert snapshot() == before
    assert [(r.created, r.updated, r.unchanged, r.dry_run) for r in reports] == [(8, 1, 0, True), (6, 0, 0, True)]
    runs = ImportRun.objects.filter(status=ImportRun.Status.DRY_RUN)
    assert runs.count() == 2
    real = load(sample(CSV_ZIP), sample(RNCP_SAMPLE))
    assert [(r.created, r.updated, r.unchanged) for r in real] == [(8, 1, 0), (6, 0, 0)]


def test_fiches_no_longer_in_the_file_are_counted_and_kept(load, sample):
    load(sample(RNCP_SAMPLE))
    [report] = load(sample(RNCP_EXTRACT))
    assert report.no_longer_present == 6
    assert report.no_longer_present_codes == [
        "RNCP34762",
        "RNCP35809",
        "RNCP36612",
        "RNCP37674",
        "RNCP39568",
        "RNCP40344",
    ]
    assert Certification.objects.count() == 7
    run = ImportRun.objects.get(pk=report.import_run_id)
    assert run.no_longer_present == 6
    assert "RNCP34762" in run.message
    # An RS file says nothing about RNCP fiches.
    [rs] = load(sample(RS_SAMPLE))
    assert rs.no_longer_present == 0


def test_branch_of_a_known_agreement_is_added_and_never_removed(load, sample, tmp_path):
    bakery = Branch.objects.create(slug="boulangerie", name="Boulangerie-pâtisserie artisanale")
    CollectiveAgreement.objects.create(number="3117", label="", branch=bakery)
    other = Branch.objects.create(slug="autre", name="Autre branche")
    load(sample(CSV_ZIP))
    tourier = Certification.objects.get(code="RS6117")
    assert list(tourier.branches.all()) == [bakery]
    # The empty label was filled from the registry.
    assert CollectiveAgreement.objects.get(number="3117").label == "Boulangerie-pâtisserie (Entreprises artisanales)"
    tourier.branches.add(other)

    with zipfile.ZipFile(sample(CSV_ZIP)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    name = next(name for name in members if "Standard" in name)
    members[name] = members[name].replace(b'"29/09/2025"', b'"29/09/2027"')
    newer = tmp_path / "export-fiches-csv-2024-03-01.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    newer.write_bytes(buffer.getvalue())
    [report] = load(newer)
    assert report.updated == 1
    tourier.refresh_from_db()
    assert tourier.registration_end.year == 2027
    assert set(tourier.branches.all()) == {bakery, other}


def test_csv_after_xml_keeps_what_the_csv_does_not_carry(load, sample):
    """The CSV export has no texts, no competencies, no partner dates: those stay from the XML."""
    load(sample(RS_SAMPLE))
    blockchain = Certification.objects.get(code="RS5000")
    objectives = blockchain.objectives
    assert objectives
    load(sample(CSV_ZIP))
    blockchain.refresh_from_db()
    assert blockchain.active is True  # the CSV says ACTIVE
    assert blockchain.objectives == objectives
    assert blockchain.partners.count() == 3


def test_block_rows_of_a_changed_fiche_keep_their_keys(load, sample, tmp_path):
    load(sample(RNCP_SAMPLE))
    keys = dict(Block.objects.values_list("code", "pk"))
    load(newer_rncp_export(sample, tmp_path))
    after = dict(Block.objects.values_list("code", "pk"))
    assert all(after[code] == pk for code, pk in keys.items())
