"""Quirks of the real exports, each in a small file made for the test."""

import codecs
import io
import zipfile

import pytest

from cqp.catalogue.models import Certification, CertificationLineage, Certifier, CollectiveAgreement

from .conftest import CSV_ZIP, RNCP_SAMPLE

pytestmark = pytest.mark.django_db


def xml_file(tmp_path, fiches, *, bom=False, name="export.xml"):
    text = f"<?xml version='1.0' encoding='UTF-8'?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>{fiches}</FICHES>"
    path = tmp_path / name
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    return path


def test_xml_with_a_byte_order_mark(load, sample, tmp_path):
    path = tmp_path / "bom.xml"
    path.write_bytes(codecs.BOM_UTF8 + sample(RNCP_SAMPLE).read_bytes())
    [report] = load(path)
    assert report.created == 6


def test_csv_with_byte_order_marks(load, sample, tmp_path):
    with zipfile.ZipFile(sample(CSV_ZIP)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, codecs.BOM_UTF8 + data)
    path = tmp_path / "bom.zip"
    path.write_bytes(buffer.getvalue())
    [report] = load(path)
    assert report.created == 9
    assert Certification.objects.get(code="RS6117").fiche_id == 23237


def test_collective_agreements_of_the_xml_flow(load, tmp_path):
    """The samples carry none; the flow has CCN_1..3 {NUMERO, LIBELLE} and CODES_IDCC/IDCC {CODE, LIBELLE}."""
    path = xml_file(
        tmp_path,
        """<FICHE><ID_FICHE>1</ID_FICHE><NUMERO_FICHE>RS6117</NUMERO_FICHE><INTITULE>CQP Tourier</INTITULE>
        <CCN_1><NUMERO>3117</NUMERO><LIBELLE>Boulangerie-pâtisserie (Entreprises artisanales)</LIBELLE></CCN_1>
        <CODES_IDCC><IDCC><CODE>0843</CODE><LIBELLE>Boulangerie-pâtisserie artisanale</LIBELLE></IDCC></CODES_IDCC>
        <ACTIF>Oui</ACTIF></FICHE>""",
    )
    load(path)
    tourier = Certification.objects.get(code="RS6117")
    assert list(tourier.agreements.order_by("number").values_list("number", "label")) == [
        ("0843", "Boulangerie-pâtisserie artisanale"),
        ("3117", "Boulangerie-pâtisserie (Entreprises artisanales)"),
    ]


def test_certifier_without_siret_is_matched_by_name(load, tmp_path):
    fiche = """<FICHE><ID_FICHE>{n}</ID_FICHE><NUMERO_FICHE>RNCP{n}</NUMERO_FICHE><INTITULE>Titre {n}</INTITULE>
    <CERTIFICATEURS><CERTIFICATEUR><NOM_CERTIFICATEUR>{name}</NOM_CERTIFICATEUR></CERTIFICATEUR>
    <CERTIFICATEUR><SIRET_CERTIFICATEUR>78466840200018</SIRET_CERTIFICATEUR>
    <NOM_CERTIFICATEUR>{other}</NOM_CERTIFICATEUR><ETAT_CERTIFICATEUR>Inactif</ETAT_CERTIFICATEUR></CERTIFICATEUR>
    </CERTIFICATEURS><ACTIF>Oui</ACTIF></FICHE>"""
    load(xml_file(tmp_path, fiche.format(n=1, name="SNVEL", other="CONFEDE. NATIONALE BOULANGERS PATISSIERS")))
    # Same body without SIRET, spelt with other spaces and case; same SIRET under another name.
    load(xml_file(tmp_path, fiche.format(n=2, name="  snvel ", other="Autre nom"), name="second.xml"))
    assert Certifier.objects.count() == 2
    snvel = Certifier.objects.get(siret=None)
    assert snvel.name == "SNVEL"
    assert set(snvel.certifications.values_list("code", flat=True)) == {"RNCP1", "RNCP2"}
    # A certifier already known keeps the name it has; inactive on every fiche so far.
    bakery = Certifier.objects.get(siret="78466840200018")
    assert (bakery.name, bakery.active) == ("CONFEDE. NATIONALE BOULANGERS PATISSIERS", False)


def test_certifier_active_on_one_fiche_is_active(load, tmp_path):
    fiche = """<FICHE><NUMERO_FICHE>RNCP{n}</NUMERO_FICHE><INTITULE>Titre</INTITULE><CERTIFICATEURS>
    <CERTIFICATEUR><SIRET_CERTIFICATEUR>18750002000073</SIRET_CERTIFICATEUR>
    <NOM_CERTIFICATEUR>CCI FRANCE</NOM_CERTIFICATEUR>
    <ETAT_CERTIFICATEUR>{state}</ETAT_CERTIFICATEUR></CERTIFICATEUR></CERTIFICATEURS><ACTIF>Oui</ACTIF></FICHE>"""
    load(xml_file(tmp_path, fiche.format(n=1, state="Inactif") + fiche.format(n=2, state="Actif")))
    assert Certifier.objects.get().active is True


def test_older_access_route_form_and_numeric_lineage(load, tmp_path):
    path = xml_file(
        tmp_path,
        """<FICHE><NUMERO_FICHE>RNCP500</NUMERO_FICHE><INTITULE>Titre</INTITULE>
        <ANCIENNES_CERTIFICATIONS><ANCIENNE_CERTIFICATION><ID_FICHE_ANCIENNE_CERTIFICATION>400
        </ID_FICHE_ANCIENNE_CERTIFICATION></ANCIENNE_CERTIFICATION></ANCIENNES_CERTIFICATIONS>
        <SI_JURY_FC>Oui</SI_JURY_FC><SI_JURY_VAE>Oui</SI_JURY_VAE><SI_JURY_FI>Non</SI_JURY_FI>
        <NOMENCLATURE_EUROPE><NIVEAU>NIV3</NIVEAU></NOMENCLATURE_EUROPE><ACTIF>Oui</ACTIF></FICHE>""",
    )
    load(path)
    c = Certification.objects.get(code="RNCP500")
    assert (c.access_routes, c.vae_open, c.level) == (["FC", "VAE"], True, 3)
    assert CertificationLineage.objects.filter(old_code="RNCP400", new_code="RNCP500").exists()


def test_long_values_are_cut_to_the_columns_not_refused(load, tmp_path):
    title = "CQP " + "très long intitulé " * 40
    path = xml_file(
        tmp_path,
        f"""<FICHE><NUMERO_FICHE>RNCP600</NUMERO_FICHE><INTITULE>{title}</INTITULE>
        <ABREGE><CODE>{"X" * 60}</CODE><LIBELLE>Libellé</LIBELLE></ABREGE>
        <TYPE_ENREGISTREMENT>{"Enregistrement " * 10}</TYPE_ENREGISTREMENT><ACTIF>Non</ACTIF></FICHE>""",
    )
    load(path)
    c = Certification.objects.get(code="RNCP600")
    assert len(c.title) == 500 and c.title.endswith("…")
    assert len(c.abbreviation) == 40
    assert c.kind == "CQP"


def test_agreement_label_set_on_the_platform_is_kept(load, sample):
    CollectiveAgreement.objects.create(number="3117", label="Boulangerie artisanale (libellé de la branche)")
    load(sample(CSV_ZIP))
    assert CollectiveAgreement.objects.get(number="3117").label == "Boulangerie artisanale (libellé de la branche)"
