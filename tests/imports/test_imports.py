"""Spreadsheet import of candidacies: parsing, preview, all-or-nothing commit, rights."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cqp.accounts.enums import Role
from cqp.candidacies import enrolment
from cqp.candidacies.models import Candidacy, Candidate
from cqp.imports import services
from cqp.imports.models import BatchStatus, ImportBatch
from cqp.imports.parser import FileRefused, parse_date, read_table
from cqp.imports.selectors import import_scope
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    UserFactory,
    certification_with_blocks,
    certifier_staff,
    member,
)

pytestmark = pytest.mark.django_db

HEADER = ["Nom de naissance", "Prénom", "E-mail", "Date de naissance", "Code de la certification", "Voie", "Situation"]


def row(n, code, **extra):
    values = {
        "last_name": f"Moreau{n}",
        "first_name": "Inès",
        "email": f"ines{n}@exemple.fr",
        "birth": "14/03/1990",
        "code": code,
        "path": "Par la formation",
        "situation": "Salarié",
    }
    values.update(extra)
    return [values[k] for k in ("last_name", "first_name", "email", "birth", "code", "path", "situation")]


def csv_bytes(rows, header=HEADER, sep=";", encoding="utf-8", bom=False):
    text = "\n".join(sep.join(str(c) for c in r) for r in [header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def all_rows(data, name="f.csv"):
    return list(read_table(data, name).rows)


@pytest.fixture
def staff_setup():
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    return staff, certification


def upload(user, data, name="candidats.csv", employer_id=None):
    scope = import_scope(user, employer_id=employer_id)
    return services.batch_preview_create(by=user, scope=scope, uploaded_file=SimpleUploadedFile(name, data))


# ------------------------------------------------------------------ parsing


@pytest.mark.parametrize(
    ("encoding", "bom", "sep"),
    [("utf-8", False, ";"), ("utf-8", True, ";"), ("cp1252", False, ";"), ("utf-8", False, ",")],
)
def test_csv_encodings_and_separators(encoding, bom, sep):
    table = read_table(csv_bytes([row(1, "RNCP1", first_name="Hélène")], sep=sep, encoding=encoding, bom=bom))
    [(line, values)] = list(table.rows)
    assert line == 2 and values["first_name"] == "Hélène" and values["path"] == "Par la formation"
    assert bool(table.notes) == (encoding == "cp1252")


def test_headers_match_without_case_or_accents():
    header = ["NOM", "prenom", "Email", "date de naissance", "code certification", "voie", "SITUATION", "Financement"]
    [(_line, values)] = all_rows(csv_bytes([[*row(1, "X"), "CPF"]], header=header))
    assert values["funding"] == "CPF" and values["last_name"] == "Moreau1"


def test_missing_and_unknown_columns_are_named():
    with pytest.raises(FileRefused) as refused:
        read_table(csv_bytes([["a", "b"]], header=["Nom", "Couleur préférée"]))
    text = " ".join(refused.value.messages)
    assert "« Prénom »" in text and "« Date de naissance »" in text and "« Couleur préférée »" in text


def test_binary_junk_and_oversized_files_are_refused(settings):
    with pytest.raises(FileRefused, match="ne peut être lu"):
        read_table(bytes(range(256)) * 10, "x.csv")
    settings.CQP_IMPORT_MAX_FILE_BYTES = 100
    with pytest.raises(FileRefused, match="0 Mo"):
        read_table(csv_bytes([row(n, "X") for n in range(10)]))


def test_dates_in_three_formats_and_excel_cells():
    assert parse_date("14/03/1990") == parse_date("1990-03-14") == parse_date("14-03-1990") == date(1990, 3, 14)
    assert parse_date(datetime(1990, 3, 14)) == date(1990, 3, 14)
    assert parse_date("31/02/1990") is None and parse_date("14.03.1990") is None and parse_date(33000) is None


def test_xlsx_date_cells_and_formulas(staff_setup):
    staff, certification = staff_setup
    data = xlsx_bytes(
        [
            row(1, certification.code, birth=datetime(1990, 3, 14)),
            row(2, certification.code, last_name="=A1&B1"),
        ]
    )
    batch = upload(staff, data, "c.xlsx")
    assert (batch.rows, batch.error_rows) == (2, 1)
    [error] = batch.report["errors"]
    assert error["line"] == 3 and "est une formule" in error["message"] and error["column"] == "Nom de naissance"


# ------------------------------------------------------------------ preview


def test_preview_reports_errors_by_row_and_column_in_french(staff_setup):
    staff, certification = staff_setup
    data = csv_bytes(
        [
            row(1, certification.code),
            row(2, certification.code, birth="31/02/1990"),
            row(3, "RNCP99999"),
            row(4, certification.code, path="Par correspondance", email="pas-un-email"),
        ]
    )
    batch = upload(staff, data)
    assert (batch.status, batch.rows, batch.error_rows) == (BatchStatus.PREVIEWED, 4, 3)
    messages = [e["message"] for e in batch.report["errors"]]
    assert "ligne 3, colonne « Date de naissance » : « 31/02/1990 » n'est pas une date" in messages
    assert any("ligne 4" in m and "RNCP99999" in m and "aucune certification" in m for m in messages)
    assert any("ligne 5" in m and "Voie" in m for m in messages)
    assert any("ligne 5" in m and "adresse e-mail" in m for m in messages)


def test_french_labels_and_codes_are_both_accepted(staff_setup):
    staff, certification = staff_setup
    batch = upload(
        staff,
        csv_bytes(
            [row(1, certification.code, path="TRAINING", situation="demandeur d'emploi"), row(2, certification.code)]
        ),
    )
    assert batch.error_rows == 0


def test_duplicates_known_people_and_in_file(staff_setup):
    staff, certification = staff_setup
    other = certification_with_blocks(certifier=certification.certifiers.get())
    CandidateFactory(user=None, first_name="Inès", last_name="Moreau1", email="ines1@exemple.fr")
    CandidateFactory(user=None, first_name="Paul", last_name="Autre", email="ines2@exemple.fr")
    CandidateFactory(
        user=None, first_name="Inès", last_name="Moreau3", email="autre@exemple.fr", birth_date=date(1990, 3, 14)
    )
    data = csv_bytes(
        [
            row(1, certification.code),  # known: attached
            row(2, certification.code),  # e-mail of another person
            row(3, certification.code),  # same name + birth date, another e-mail
            row(4, certification.code),
            row(4, other.code),  # same person, second certification: fine
            row(4, certification.code),  # same person, same certification: duplicate
            row(5, certification.code, email="ines4@exemple.fr"),  # e-mail of line 5 for another person
        ]
    )
    batch = upload(staff, data)
    errors = {e["line"]: e["message"] for e in batch.report["errors"]}
    assert set(errors) == {3, 4, 7, 8}
    assert "appartient déjà à une autre personne" in errors[3]
    assert "même nom, prénom et date de naissance" in errors[4]
    assert "doublon de la ligne 5" in errors[7]
    assert "autre personne à la ligne 5" in errors[8]
    notices = {n["line"]: n["message"] for n in batch.report["notices"]}
    assert notices[2].startswith("déjà connu : sera rattaché à Inès Moreau1")
    assert "même personne que la ligne 5" in notices[6]


def test_certification_of_another_certifier_is_refused(staff_setup):
    staff, _certification = staff_setup
    foreign = certification_with_blocks()
    batch = upload(staff, csv_bytes([row(1, foreign.code)]))
    assert "n'est pas une certification de votre certificateur" in batch.report["errors"][0]["message"]


def test_employer_may_use_any_open_certification_for_its_organisation():
    certification = certification_with_blocks()
    closed = certification_with_blocks(active=False)
    organisation = OrganisationFactory()
    employer = member(UserFactory(), Role.EMPLOYER, organisation=organisation)
    batch = upload(employer, csv_bytes([row(1, certification.code), row(2, closed.code)]))
    assert batch.error_rows == 1 and "plus active" in batch.report["errors"][0]["message"]
    assert batch.employer == organisation


# ------------------------------------------------------------------ commit


def test_commit_creates_candidacies_and_is_idempotent(staff_setup):
    staff, certification = staff_setup
    known = CandidateFactory(user=None, first_name="Inès", last_name="Moreau1", email="ines1@exemple.fr")
    batch = upload(staff, csv_bytes([row(1, certification.code), row(2, certification.code, birth="1985-01-02")]))
    batch = services.batch_commit(batch=batch, by=staff)
    assert (batch.status, batch.candidacy_count) == (BatchStatus.DONE, 2)
    assert Candidacy.objects.filter(state="DRAFT", created_by=staff).count() == 2
    assert Candidacy.objects.filter(candidate=known).exists()
    assert Candidate.objects.get(email="ines2@exemple.fr").birth_date == date(1985, 1, 2)
    services.batch_commit(batch=batch, by=staff)
    assert Candidacy.objects.count() == 2
    again = upload(staff, csv_bytes([row(1, certification.code), row(2, certification.code, birth="1985-01-02")]))
    with pytest.raises(services.CommitRefused, match="déjà été importé"):
        services.batch_commit(batch=again, by=staff)
    assert Candidacy.objects.count() == 2


def test_a_bad_row_writes_nothing(staff_setup):
    staff, certification = staff_setup
    batch = upload(staff, csv_bytes([row(1, certification.code), row(2, certification.code, birth="demain")]))
    with pytest.raises(services.CommitRefused):
        services.batch_commit(batch=batch, by=staff)
    assert not Candidacy.objects.exists() and not Candidate.objects.exists()


def test_a_service_refusal_on_row_50_writes_nothing(staff_setup, monkeypatch):
    staff, certification = staff_setup
    batch = upload(staff, csv_bytes([row(n, certification.code) for n in range(1, 60)]))
    real = enrolment.candidacy_create_for

    def refuse_row_50(*, by, data):
        if data["candidate"]["email"] == "ines50@exemple.fr":
            raise ValidationError({"path": ["Refus du service."]})
        return real(by=by, data=data)

    monkeypatch.setattr(enrolment, "candidacy_create_for", refuse_row_50)
    with pytest.raises(services.CommitRefused):
        services.batch_commit(batch=batch, by=staff)
    assert not Candidacy.objects.exists() and not Candidate.objects.exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED
    assert batch.report["errors"][0]["message"] == "ligne 51 : Refus du service."


def test_commit_refused_above_the_limit(staff_setup, settings):
    staff, certification = staff_setup
    settings.CQP_IMPORT_MAX_COMMIT_ROWS = 2
    batch = upload(staff, csv_bytes([row(n, certification.code) for n in range(3)]))
    with pytest.raises(services.CommitRefused, match="au plus 2 candidatures"):
        services.batch_commit(batch=batch, by=staff)
    assert not Candidacy.objects.exists()


def test_preview_of_100000_rows(staff_setup):
    staff, certification = staff_setup
    rows = [row(n, certification.code) for n in range(100_000)]
    rows[99_990][3] = "pas une date"
    batch = upload(staff, csv_bytes(rows))
    assert (batch.rows, batch.error_rows) == (100_000, 1)
    assert ImportBatch.objects.count() == 1
