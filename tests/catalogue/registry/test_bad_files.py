"""Bad input is refused with a message naming the file and the place, and changes nothing."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from cqp.catalogue.models import Certification, ImportRun
from cqp.catalogue.registry import RegistryImportError, import_files

from .conftest import CSV_ZIP, RNCP_SAMPLE, RS_SAMPLE, snapshot

pytestmark = pytest.mark.django_db

FICHE = """<FICHE><ID_FICHE>1</ID_FICHE><NUMERO_FICHE>{code}</NUMERO_FICHE><INTITULE>CQP Essai</INTITULE>
<ACTIF>Oui</ACTIF></FICHE>"""


def xml(body, *, version="4.1", prolog="<?xml version='1.0' encoding='UTF-8'?>\n"):
    return f"{prolog}<FICHES><VERSION_FLUX>{version}</VERSION_FLUX>{body}</FICHES>".encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE FICHES [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&lol4;</INTITULE>
<ACTIF>Oui</ACTIF></FICHE></FICHES>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE FICHES [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&xxe;</INTITULE>
<ACTIF>Oui</ACTIF></FICHE></FICHES>"""

EXTERNAL_DTD = b"""\xef\xbb\xbf<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE FICHES SYSTEM "http://127.0.0.1:9/fiches.dtd">
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>"""


def zip_of(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_zip_members(sample):
    with zipfile.ZipFile(sample(CSV_ZIP)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def standard_name(members):
    return next(name for name in members if "Standard" in name)


XML_CASES = {
    "empty.xml": (b"", ["le fichier est vide", "the file is empty"]),
    "blank.xml": (b"   \n\n", ["format non reconnu", "unknown format"]),
    "text.xml": (b"Numero_Fiche;Intitule\nRNCP1;Essai\n", ["format non reconnu", "unknown format"]),
    "binary.xml": (bytes(range(256)) * 4, ["format non reconnu", "unknown format"]),
    "after-declaration.xml": (b"<?xml version='1.0'?>\nbonjour", ["pas un document XML", "not an XML document"]),
    "wrong-root.xml": (
        b"<?xml version='1.0'?><CERTIFICATIONS><FICHE/></CERTIFICATIONS>",
        ["<CERTIFICATIONS> au lieu de <FICHES>", "instead of <FICHES>", "ligne 1"],
    ),
    "version-4.0.xml": (xml(FICHE.format(code="RNCP1"), version="4.0"), ["« 4.0 » non prise en charge", "4.1"]),
    "version-5.xml": (xml(FICHE.format(code="RNCP1"), version="5.0"), ["non prise en charge", "not supported"]),
    "no-version.xml": (
        b"<FICHES>" + FICHE.format(code="RNCP1").encode() + b"</FICHES>",
        ["<VERSION_FLUX> manque", "is missing"],
    ),
    "no-fiche.xml": (xml(""), ["aucune fiche", "holds no fiche"]),
    "no-code.xml": (
        xml("<FICHE><INTITULE>Sans numéro</INTITULE></FICHE>"),
        ["fiche sans numéro RNCP ou RS valide", "without a valid RNCP or RS number", "ligne 2"],
    ),
    "bad-code.xml": (xml(FICHE.format(code="ABC12")), ["NUMERO_FICHE « ABC12 »", "ligne 2"]),
    "unclosed.xml": (
        xml(FICHE.format(code="RNCP1") + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE>"),
        ["XML mal formé ou tronqué", "malformed or truncated XML", "après la fiche RNCP1", "ligne"],
    ),
    "undeclared-entity.xml": (
        xml("<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&xxe;</INTITULE></FICHE>"),
        ["XML mal formé", "Entity 'xxe' not defined", "ligne 2, colonne"],
    ),
    "billion-laughs.xml": (BILLION_LAUGHS, ["DOCTYPE", "refusée par sécurité", "refused for safety", "ligne 2"]),
    "xxe.xml": (XXE, ["DOCTYPE", "entités externes", "external entities"]),
    "external-dtd.xml": (EXTERNAL_DTD, ["DOCTYPE", "ligne 3", "line 3"]),
    "fiche-outside-root.xml": (
        xml("<AUTRE>" + FICHE.format(code="RNCP1") + "</AUTRE>"),
        ["hors de l'élément racine", "outside the root element"],
    ),
}


@pytest.fixture
def catalogue(load, sample):
    """A catalogue with real content, which a refused file must leave exactly as it was."""
    load(sample(RS_SAMPLE))
    return snapshot()


def assert_refused(path, fragments, catalogue):
    runs = ImportRun.objects.count()
    with pytest.raises(RegistryImportError) as caught:
        import_files([path])
    message = str(caught.value)
    assert f"Fichier refusé « {path.name}" in message
    assert f'File refused "{path.name}' in message
    assert "Le catalogue n'a pas été modifié" in message
    assert "The catalogue was not changed" in message
    for fragment in fragments:
        assert fragment in message
    assert snapshot() == catalogue
    assert ImportRun.objects.count() == runs + 1
    run = ImportRun.objects.latest("pk")
    assert (run.status, run.created, run.updated) == (ImportRun.Status.FAILED, 0, 0)
    assert run.message == message
    [report] = caught.value.reports
    assert not report.ok
    return message


@pytest.mark.parametrize("name", sorted(XML_CASES))
def test_bad_xml_is_refused(name, tmp_path, catalogue):
    data, fragments = XML_CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert_refused(path, fragments, catalogue)


def test_truncated_real_export_is_refused_after_writing_batches(tmp_path, sample, catalogue, monkeypatch):
    # One fiche per batch: the first fiches are written before the cut is reached, then rolled back.
    monkeypatch.setattr("cqp.catalogue.registry.importer.BATCH_SIZE", 1)
    data = sample(RNCP_SAMPLE).read_bytes()
    path = tmp_path / "export_fiches_RNCP_tronque.xml"
    path.write_bytes(data[: len(data) * 3 // 4])
    message = assert_refused(path, ["XML mal formé ou tronqué", "après la fiche", "ligne"], catalogue)
    assert "RNCP" in message
    assert not Certification.objects.filter(registry="RNCP").exists()


def test_missing_file(tmp_path, catalogue):
    assert_refused(tmp_path / "absent.xml", ["fichier introuvable", "file not found"], catalogue)


def test_zip_without_standard_file(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    del members[standard_name(members)]
    path = tmp_path / "export-fiches-csv-incomplet.zip"
    path.write_bytes(zip_of(members))
    assert_refused(path, ["ne contient pas le fichier Standard", "lacks the Standard file"], catalogue)


def test_empty_zip(tmp_path, catalogue):
    path = tmp_path / "vide.zip"
    path.write_bytes(zip_of({}))
    assert_refused(path, ["Standard"], catalogue)


def test_standard_file_with_missing_columns(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    name = standard_name(members)
    members[name] = members[name].replace(b'"Actif"', b'"Etat"').replace(b'"Date_Effet";', b"")
    path = tmp_path / "colonnes.zip"
    path.write_bytes(zip_of(members))
    assert_refused(
        path,
        ["colonnes manquantes : date_effet, actif", "missing columns", "fichier export_fiches_CSV_Standard", "ligne 1"],
        catalogue,
    )


def test_side_file_with_missing_columns(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    name = next(name for name in members if "Partenaires" in name)
    members[name] = b'"Numero_Fiche";"Nom_Partenaire"\r\n"RS6117";"CFA"\r\n'
    path = tmp_path / "partenaires.zip"
    path.write_bytes(zip_of(members))
    assert_refused(path, ["siret_partenaire, habilitation_partenaire", "Partenaires"], catalogue)


def test_truncated_zip(tmp_path, sample, catalogue):
    data = sample(CSV_ZIP).read_bytes()
    path = tmp_path / "tronque.zip"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(path, ["archive zip illisible ou tronquée", "unreadable or truncated zip"], catalogue)


def test_csv_not_in_utf8(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    name = standard_name(members)
    members[name] = members[name].decode("utf-8").encode("cp1252")
    path = tmp_path / "latin1.zip"
    path.write_bytes(zip_of(members))
    assert_refused(path, ["pas en UTF-8", "not UTF-8", "Standard"], catalogue)


def test_csv_with_invalid_fiche_number(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    name = standard_name(members)
    members[name] = members[name].replace(b'"RS6117"', b'"XX6117"')
    path = tmp_path / "numero.zip"
    path.write_bytes(zip_of(members))
    assert_refused(path, ["numéro de fiche invalide « XX6117 »", "ligne 10", "line 10"], catalogue)


def test_zip_bomb_is_refused_from_its_declared_size(tmp_path, sample, catalogue):
    members = real_zip_members(sample)
    members["export_fiches_CSV_Rome_2024_02_22.csv"] = b"\0" * 20_000_000
    path = tmp_path / "bombe.zip"
    path.write_bytes(zip_of(members))
    assert path.stat().st_size < 100_000
    assert_refused(path, ["taille décompressée déclarée absurde", "zip bomb guard"], catalogue)


def test_command_exits_with_an_error_and_still_imports_the_good_files(tmp_path, sample, catalogue):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(xml("", version="3.0"))
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_registry", str(bad), str(sample(RNCP_SAMPLE)), stdout=out)
    assert "Fichier refusé « bad.xml »" in str(caught.value)
    assert 'File refused "bad.xml"' in str(caught.value)
    assert "export_fiches_RNCP_V4_1_sample.xml — XML, RNCP" in out.getvalue()
    assert Certification.objects.filter(registry="RNCP").count() == 6


def test_several_refused_files_are_all_named(tmp_path, catalogue):
    first, second = tmp_path / "un.xml", tmp_path / "deux.zip"
    first.write_bytes(b"")
    second.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(RegistryImportError) as caught:
        import_files([first, second])
    assert "« un.xml »" in str(caught.value)
    assert "« deux.zip »" in str(caught.value)
    assert len(caught.value.reports) == 2
    assert snapshot() == catalogue


def test_warnings_do_not_refuse_a_file(tmp_path, load):
    """A bad date or SIRET inside one fiche is reported and left empty, not invented."""
    body = """<FICHE><ID_FICHE>7</ID_FICHE><NUMERO_FICHE>RNCP99001</NUMERO_FICHE><INTITULE>CQP Essai</INTITULE>
    <DATE_FIN_ENREGISTREMENT>31/02/2030</DATE_FIN_ENREGISTREMENT><ACTIF>Oui</ACTIF>
    <CERTIFICATEURS><CERTIFICATEUR><SIRET_CERTIFICATEUR>123</SIRET_CERTIFICATEUR>
    <NOM_CERTIFICATEUR>CPNE Essai</NOM_CERTIFICATEUR></CERTIFICATEUR></CERTIFICATEURS></FICHE>"""
    path = tmp_path / "warnings.xml"
    path.write_bytes(xml(body))
    [report] = load(path)
    assert report.created == 1
    assert report.warning_count == 2
    assert any("DATE_FIN_ENREGISTREMENT" in warning and "31/02/2030" in warning for warning in report.warnings)
    certification = Certification.objects.get(code="RNCP99001")
    assert certification.registration_end is None
    assert list(certification.certifiers.values_list("siret", "name")) == [(None, "CPNE Essai")]


def test_truncated_xml_inside_a_zip(tmp_path, sample, catalogue):
    data = sample(RNCP_SAMPLE).read_bytes()
    path = tmp_path / "export-fiches-rncp.zip"
    path.write_bytes(zip_of({"export_fiches_RNCP_V4_1.xml": data[: len(data) // 2]}))
    assert_refused(
        path, ["export-fiches-rncp.zip (export_fiches_RNCP_V4_1.xml)", "XML mal formé ou tronqué"], catalogue
    )


def test_hostile_xml_inside_a_zip(tmp_path, catalogue):
    path = tmp_path / "export-fiches-rs.zip"
    path.write_bytes(zip_of({"export_fiches_RS_V4_1.xml": XXE}))
    assert_refused(path, ["DOCTYPE"], catalogue)


def test_xml_bomb_inside_a_zip(tmp_path, catalogue):
    path = tmp_path / "export-fiches-rncp.zip"
    path.write_bytes(zip_of({"export_fiches_RNCP_V4_1.xml": b"<FICHES>" + b" " * 30_000_000 + b"</FICHES>"}))
    assert_refused(path, ["taille décompressée déclarée absurde", "zip bomb guard"], catalogue)
