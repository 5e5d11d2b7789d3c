"""French first, English available: the header's language switch turns the interface into English and back."""

import ast
import gettext
import html as htmllib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.catalogue.factories import (
    BlockFactory,
    BranchFactory,
    CertificationFactory,
    CertifierFactory,
    CompetencyFactory,
    EvaluationCriterionFactory,
)

REPO = Path(settings.BASE_DIR)
LOCALE = REPO / "cqp" / "locale"
ENGLISH_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ENGLISH_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
MAKEMESSAGES = "makemessages -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests"
REFRESH = (
    "To refresh the English catalogue: run `.venv/bin/python manage.py "
    + MAKEMESSAGES
    + "`, translate every new, empty or fuzzy entry of cqp/locale/en/LC_MESSAGES/django.po (and delete its "
    "`fuzzy` flag), then run `.venv/bin/python manage.py compilemessages --ignore=.venv` and commit both "
    "django.po and django.mo (see cqp/locale/README.md)."
)


def text(response):
    """The page text with tags removed and spaces collapsed, as a reader would read it."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def switch_to(client, language, next_url="/"):
    """Press the language button of the header: it posts to Django's set_language view."""
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return response


def html_lang(response):
    return re.search(r"<html lang=\"([^\"]*)\">", response.content.decode()).group(1)


@pytest.fixture
def fiche(db):
    """A registered CQP with two blocks, a certifier and a branch: every section of the fiche has content."""
    branch = BranchFactory(
        slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/"
    )
    certifier = CertifierFactory(siret="77567135600025", name="UIMM")
    certification = CertificationFactory(title="CQP Opérateur régleur sur machines")
    certification.certifiers.add(certifier)
    certification.branches.add(branch)
    block = BlockFactory(certification=certification, position=1, title="Régler une machine")
    CompetencyFactory(block=block, text="Régler la machine en sécurité")
    EvaluationCriterionFactory(block=block, text="Les réglages sont conformes au dossier")
    BlockFactory(certification=certification, position=2, title="Contrôler la production")
    return certification


# --------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_a_visitor_who_chose_nothing_reads_french(client):
    response = client.get(reverse("www:home"))
    assert html_lang(response) == "fr"
    assert "Trouver un CQP, un CQPI ou une autre certification professionnelle" in text(response)
    assert re.search(
        r'<button [^>]*name="language" value="en"[^>]*lang="en"[^>]*>English</button>', response.content.decode()
    )


@pytest.mark.django_db
def test_home_in_english(client, fiche):
    switch_to(client, "en")
    response = client.get(reverse("www:home"))
    page = text(response)
    assert html_lang(response) == "en"
    for phrase in (
        "Skip to content",
        "Log in",
        "Find a CQP, a CQPI or another professional certification",
        "The catalogue holds 1 certification",
        "What is a CQP?",
        "Through VAE (accreditation of prior experience)",
        "a joint jury (employers and employees of the branch) examines your file",
        "the Mission locale nearest to where you live.",
    ):
        assert phrase in page
    assert "Trouver un CQP" not in page
    assert "Se connecter" not in page
    # The switch now offers French, marked as French for screen readers.
    assert re.search(
        r'<button [^>]*name="language" value="fr"[^>]*lang="fr"[^>]*>Français</button>', response.content.decode()
    )


@pytest.mark.django_db
def test_catalogue_list_in_english(client, fiche):
    CertificationFactory(title="CQP Conducteur de ligne", rs=True)
    switch_to(client, "en", reverse("www:certification_list"))
    response = client.get(reverse("www:certification_list"))
    page = text(response)
    assert html_lang(response) == "en"
    for phrase in (
        "Certification catalogue",
        "Search and filter",
        "Specific Register (RS)",
        "Level 3 (EQF 3)",
        "Show results",
        "Clear all filters",
        "2 certifications found",
        "Certifier: UIMM",
        "CPF-eligible",
    ):
        assert phrase in page
    assert "Catalogue des certifications" not in page
    nothing = text(client.get(reverse("www:certification_list"), {"q": "zzzz"}))
    assert "No certification matches your search." in nothing


@pytest.mark.django_db
def test_fiche_in_english(client, fiche):
    url = reverse("www:certification_detail", kwargs={"code": fiche.code})
    switch_to(client, "en", url)
    response = client.get(url)
    page = text(response)
    assert html_lang(response) == "en"
    for phrase in (
        "Registration and status",
        "How to obtain and fund it",
        "CPF (personal training account)",
        "This certification has 2 blocks of competencies.",
        "Assessment criteria of the branch's assessment framework",
        "Certifiers and branches",
        "Whom to contact for information?",
        "Apply for this certification",
        "your France Travail adviser (formerly Pôle emploi).",
    ):
        assert phrase in page
    # Content stays as the certifier wrote it: only the interface is translated.
    assert "CQP Opérateur régleur sur machines" in page
    assert "Comment l'obtenir et la financer" not in page


@pytest.mark.django_db
def test_login_page_and_its_error_in_english(client):
    url = reverse("accounts:login")
    switch_to(client, "en", url)
    response = client.get(url)
    page = text(response)
    assert html_lang(response) == "en"
    for phrase in ("Log in", "Email address", "Password", "Forgotten your password?", "Create my candidate account"):
        assert phrase in page
    refused = text(client.post(url, {"username": "nobody@example.org", "password": "wrong"}))
    assert "Incorrect email address or password." in refused
    assert "Mot de passe" not in refused


@pytest.mark.django_db
def test_api_docs_link_in_english(client):
    switch_to(client, "en")
    response = client.get(reverse("www:home"))
    docs = reverse("api:docs")
    assert f'<a href="{docs}">Open API</a>' in response.content.decode()
    assert "API ouverte" not in text(response)
    assert client.get(docs).status_code == 200


@pytest.mark.django_db
def test_back_to_french_after_english(client, fiche):
    url = reverse("www:certification_detail", kwargs={"code": fiche.code})
    switch_to(client, "en", url)
    assert "How to obtain and fund it" in text(client.get(url))
    switch_to(client, "fr", url)
    for address, french in (
        (reverse("www:home"), "Trouver un CQP, un CQPI ou une autre certification professionnelle"),
        (reverse("www:certification_list"), "Catalogue des certifications"),
        (url, "Comment l'obtenir et la financer"),
        (reverse("accounts:login"), "Mot de passe"),
    ):
        response = client.get(address)
        assert html_lang(response) == "fr"
        assert french in text(response)
        assert "How to obtain and fund it" not in text(response)


# --------------------------------------------------------------------------- the catalogue itself


def read_po(path):
    """Entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (index -> text)."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry and entry["msgid"] is not None:
                entries.append(entry)
            entry = None
            continue
        entry = entry or {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue  # references, comments and obsolete (#~) entries
        elif line.startswith('"'):
            kind, index = field
            if kind == "msgstr":
                entry["msgstr"][index] += ast.literal_eval(line)
            else:
                entry[kind] += ast.literal_eval(line)
        else:
            kind, index, quoted = re.fullmatch(
                r'(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])? (".*")', line
            ).groups()
            field = (kind, int(index or 0))
            if kind == "msgstr":
                entry["msgstr"][field[1]] = ast.literal_eval(quoted)
            else:
                entry[kind] = ast.literal_eval(quoted)
    return entries


def key(entry):
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = read_po(ENGLISH_PO)
    assert len(entries) > 500, "the English catalogue looks truncated"
    fuzzy = [e["msgid"] or "(header)" for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries[1:] if not all(e["msgstr"].values())]
    assert not fuzzy and not empty, f"Fuzzy: {fuzzy}\nUntranslated: {empty}\n{REFRESH}"
    plurals = [e["msgid"] for e in entries if e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1]]
    assert not plurals, f"Plural entries need msgstr[0] and msgstr[1]: {plurals}\n{REFRESH}"


def test_english_translations_keep_placeholders_and_markup():
    token = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
    broken = []
    for entry in read_po(ENGLISH_PO)[1:]:
        sources = [entry["msgid"]] if entry["msgid_plural"] is None else [entry["msgid"], entry["msgid_plural"]]
        for index, source in enumerate(sources):
            if sorted(token.findall(source)) != sorted(token.findall(entry["msgstr"].get(index, ""))):
                broken.append(source)
    assert not broken, f"Placeholders or HTML differ between French and English: {broken}"


def test_compiled_english_catalogue_matches_the_po():
    compiled = gettext.GNUTranslations(ENGLISH_MO.open("rb"))
    stale = []
    for entry in read_po(ENGLISH_PO)[1:]:
        if entry["msgctxt"] is not None:
            got = [compiled.pgettext(entry["msgctxt"], entry["msgid"])]
        elif entry["msgid_plural"] is not None:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [compiled.gettext(entry["msgid"])]
        if got != [entry["msgstr"][index] for index in sorted(entry["msgstr"])]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is older than django.po for: {stale[:10]}\n{REFRESH}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_english_catalogue_covers_every_string_of_the_code(tmp_path):
    """Extract the strings of a copy of the code, so that the working tree is not touched, and compare."""
    skip = shutil.ignore_patterns("__pycache__", "locale", "static")
    shutil.copy(REPO / "manage.py", tmp_path)
    shutil.copytree(REPO / "config", tmp_path / "config", ignore=skip)
    shutil.copytree(REPO / "cqp", tmp_path / "cqp", ignore=skip)
    (tmp_path / "cqp" / "locale").mkdir()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES.split()],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
    )
    in_code = {key(e) for e in read_po(tmp_path / "cqp" / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    in_catalogue = {key(e) for e in read_po(ENGLISH_PO)}
    missing = sorted(msgid for _, msgid, _ in in_code - in_catalogue)
    stale = sorted(msgid for _, msgid, _ in in_catalogue - in_code)
    assert not missing and not stale, f"New strings: {missing}\nStrings no longer in the code: {stale}\n{REFRESH}"
