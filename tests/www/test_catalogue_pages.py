"""The public catalogue pages, as a visitor sees them: home, list with filters and search, fiche, 404."""

import datetime
import html as htmllib
import re

import pytest
from django.urls import reverse

from cqp.catalogue import enums, models
from cqp.catalogue.search import certification_search_text
from tests.catalogue.factories import (
    BlockFactory,
    BranchFactory,
    CertificationFactory,
    CertifierFactory,
    CompetencyFactory,
    EvaluationCriterionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("www:certification_list")


def index(certification):
    """Refresh the search text after blocks, competencies or jobs were added, as the services do."""
    certification.search_text = certification_search_text(certification)
    certification.save(update_fields=["search_text"])
    return certification


def fiche_url(code):
    return reverse("www:certification_detail", kwargs={"code": code})


def codes_in(response):
    """Codes of the certifications listed on a results page, in order."""
    return re.findall(r'<span class="code">([^<]+)</span>', response.content.decode())


def text(response):
    """The page text with tags removed and spaces collapsed, as a reader would read it."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", ".").strip())


@pytest.fixture
def catalogue():
    """A small catalogue with one of everything the filters tell apart."""
    metallurgy = BranchFactory(
        slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/"
    )
    bakery = BranchFactory(slug="boulangerie", name="Boulangerie-pâtisserie artisanale")
    uimm = CertifierFactory(siret="77567135600025", name="UIMM", website="https://uimm.lafabriquedelavenir.fr/")
    cnbpf = CertifierFactory(siret="78431468800028", name="Confédération nationale de la boulangerie")

    electrician = CertificationFactory(
        code="RNCP90001",
        title="CQP Électricien de maintenance",
        level=3,
        kind=enums.CertificationKind.CQPM,
    )
    electrician.branches.add(metallurgy)
    electrician.certifiers.add(uimm)
    block = BlockFactory(certification=electrician, code="RNCP90001BC01", position=1, title="Câblage d'armoires")
    CompetencyFactory(block=block, text="Raccorder une armoire de commande selon le schéma")
    job = models.Rome.objects.create(code="I1309", label="Maintenance électrique")
    electrician.rome.add(job)
    index(electrician)

    tourier = CertificationFactory(rs=True, code="RS6117", title="CQP Tourier", access_routes=["FC"])
    tourier.branches.add(bakery)
    tourier.certifiers.add(cnbpf)
    index(tourier)

    conductor = CertificationFactory(
        code="RNCP90002", title="CQPI Conducteur d'équipements industriels", level=4, cqpi=True
    )
    conductor.branches.add(metallurgy)
    conductor.certifiers.add(uimm)
    index(conductor)

    logistics = CertificationFactory(unregistered=True, code="CQP-00001", title="CQP Agent logistique")
    logistics.certifiers.add(uimm)

    welder_old = CertificationFactory(code="RNCP80001", title="CQP Soudeur", expired=True, level=3)
    welder_new = CertificationFactory(code="RNCP80002", title="CQP Soudeur industriel", level=3)
    models.CertificationLineage.objects.create(old_code="RNCP80001", new_code="RNCP80002")

    manager = CertificationFactory(
        code="RNCP90003",
        title="Manager de la transformation",
        kind=enums.CertificationKind.OTHER,
        level=7,
        access_routes=["FC"],
    )
    return {
        "electrician": electrician,
        "tourier": tourier,
        "conductor": conductor,
        "logistics": logistics,
        "welder_old": welder_old,
        "welder_new": welder_new,
        "manager": manager,
    }


# --- Home ---------------------------------------------------------------------------------------


def test_home_has_a_search_box_that_submits_to_the_list(client, catalogue):
    response = client.get(reverse("www:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{LIST}"' in html
    assert '<label for="home-q">' in html
    assert 'id="home-q"' in html and 'name="q"' in html


def test_home_explains_cqp_paths_and_whom_to_ask(client, catalogue):
    page = text(client.get(reverse("www:home")))
    assert "Un CQP, qu'est-ce que c'est ?" in page
    assert "CQPI" in page
    assert "Par la formation" in page and "Par la VAE" in page
    for contact in ("OPCO 2i", "France Travail", "Mission locale", "Cap emploi"):
        assert contact in page
    html = client.get(reverse("www:home")).content.decode()
    for site in ("francetravail.fr", "unml.info", "capemploi.info"):
        assert site in html


def test_home_shows_counts_and_entry_points(client, catalogue):
    response = client.get(reverse("www:home"))
    page = text(response)
    assert "Le catalogue compte 7 certifications (dont 6 actives aujourd'hui)" in page
    assert "parmi lesquelles 6 CQP, CQPI ou CQPM" in page
    assert "Ouvertes à la VAE 3 certification(s)" in page
    assert "Éligibles au CPF 5 certification(s)" in page
    html = response.content.decode()
    for entry in ("?kind=CQPI", "?vae=true", "?cpf=true", "?branch=metallurgie", "?branch=boulangerie"):
        assert f"{LIST}{entry}" in html
    assert "Métallurgie" in page and "(2 certifications)" in page


def test_home_entry_points_lead_to_the_right_certifications(client, catalogue):
    assert codes_in(client.get(LIST, {"kind": "CQPI"})) == ["RNCP90002"]
    assert "RS6117" not in codes_in(client.get(LIST, {"vae": "true"}))
    assert "CQP-00001" not in codes_in(client.get(LIST, {"cpf": "true"}))


# --- List, filters and search ------------------------------------------------------------------


def test_list_shows_every_certification_with_its_facts(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(codes_in(response)) == {c.code for c in catalogue.values()}
    page = text(response)
    assert "7 certifications trouvées" in page
    assert "CQP Électricien de maintenance" in page
    assert "RNCP90001 · CQPM (métallurgie) · RNCP · Niveau 3 (CEC 3)" in page
    assert "RS6117 · CQP · Répertoire spécifique · Sans niveau" in page
    assert "Certificateur : UIMM" in page


def test_list_puts_active_certifications_first(client, catalogue):
    assert codes_in(client.get(LIST))[-1] == "RNCP80001"


def test_list_shows_state_and_rights_badges(client, catalogue):
    html = client.get(LIST).content.decode()

    def item(code):
        start = html.index(f'<span class="code">{code}</span>')
        return re.sub(r"\s+", " ", html[start : html.index("</ul>", start)])

    assert "Remplacée" in item("RNCP80001")
    assert "VAE ouverte" in item("RNCP90001") and "Éligible au CPF" in item("RNCP90001")
    assert "VAE ouverte" not in item("RS6117") and "Éligible au CPF" in item("RS6117")
    assert "VAE ouverte" not in item("CQP-00001") and "Éligible au CPF" not in item("CQP-00001")


def test_an_expired_certification_without_successor_is_shown_expired(client, catalogue):
    CertificationFactory(code="RNCP70001", title="CQP Chaudronnier", expired=True)
    assert "Expirée" in text(client.get(LIST, {"q": "chaudronnier"}))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"branch": "metallurgie"}, {"RNCP90001", "RNCP90002"}),
        ({"branch": "boulangerie"}, {"RS6117"}),
        ({"certifier": "78431468800028"}, {"RS6117"}),
        ({"certifier": "775 671 356 00025"}, {"RNCP90001", "RNCP90002", "CQP-00001"}),
        ({"registry": "RS"}, {"RS6117"}),
        ({"registry": "none"}, {"CQP-00001"}),
        ({"registry": "RNCP", "level": "4"}, {"RNCP90002"}),
        ({"level": "7"}, {"RNCP90003"}),
        ({"level": "3"}, {"RNCP90001", "RNCP80001", "RNCP80002"}),
        ({"level": "none"}, {"RS6117", "CQP-00001"}),
        ({"active": "false"}, {"RNCP80001"}),
        ({"active": "true", "q": "soudeur"}, {"RNCP80002"}),
        ({"kind": "CQPI"}, {"RNCP90002"}),
        ({"kind": "cqpm"}, {"RNCP90001"}),
        ({"kind": "OTHER"}, {"RNCP90003"}),
        ({"vae": "true", "level": "3"}, {"RNCP90001", "RNCP80002"}),
        ({"cpf": "true", "registry": "RS"}, {"RS6117"}),
        ({"rome": "I1309"}, {"RNCP90001"}),
        ({"rome": "i1309"}, {"RNCP90001"}),
        ({"rome": "maintenance électrique"}, {"RNCP90001"}),
        ({"rome": "boulanger"}, set()),
    ],
)
def test_each_filter(client, catalogue, params, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert set(codes_in(response)) == expected
    assert "ignoré" not in text(response)


def test_vae_filter_keeps_only_certifications_open_to_vae(client, catalogue):
    assert set(codes_in(client.get(LIST, {"vae": "true"}))) == {"RNCP90001", "RNCP90002", "RNCP80002"}


def test_cpf_filter_excludes_unregistered_and_inactive(client, catalogue):
    assert set(codes_in(client.get(LIST, {"cpf": "true"}))) == {
        "RNCP90001",
        "RNCP90002",
        "RNCP80002",
        "RNCP90003",
        "RS6117",
    }


def test_filters_keep_their_values_in_the_form(client, catalogue):
    html = client.get(LIST, {"kind": "CQPI", "vae": "true", "q": "conducteur"}).content.decode()
    assert re.search(r'<option value="CQPI" selected>', html)
    assert re.search(r'<input type="checkbox" name="vae" value="true"[^>]*checked', html)
    assert 'value="conducteur"' in html


@pytest.mark.parametrize(
    "query",
    ["electricien", "ÉLECTRICIEN", "Électricien", "electricien maintenance", "  électricien  "],
)
def test_search_ignores_accents_and_case(client, catalogue, query):
    assert codes_in(client.get(LIST, {"q": query})) == ["RNCP90001"]


def test_search_electricite_finds_electricite(client, catalogue):
    certification = CertificationFactory(code="RNCP90010", title="CQP Technicien en Électricité industrielle")
    index(certification)
    assert codes_in(client.get(LIST, {"q": "electricite"})) == ["RNCP90010"]
    assert codes_in(client.get(LIST, {"q": "ÉLECTRICITÉ"})) == ["RNCP90010"]


def test_search_looks_in_competencies_block_titles_and_job_labels(client, catalogue):
    assert codes_in(client.get(LIST, {"q": "raccorder armoire"})) == ["RNCP90001"]
    assert codes_in(client.get(LIST, {"q": "cablage"})) == ["RNCP90001"]
    assert codes_in(client.get(LIST, {"q": "maintenance electrique"})) == ["RNCP90001"]


def test_search_by_code(client, catalogue):
    assert codes_in(client.get(LIST, {"q": "rs6117"})) == ["RS6117"]


def test_search_needs_every_word(client, catalogue):
    assert codes_in(client.get(LIST, {"q": "soudeur industriel"})) == ["RNCP80002"]
    assert codes_in(client.get(LIST, {"q": "soudeur boulanger"})) == []


def test_empty_result_gives_a_helpful_message(client, catalogue):
    response = client.get(LIST, {"q": "astronaute", "kind": "CQPI"})
    assert response.status_code == 200
    page = text(response)
    assert "Aucune certification trouvée" in page
    assert "Aucune certification ne correspond à votre recherche" in page
    assert "vérifiez l'orthographe" in page
    html = response.content.decode()
    # A link to the same search without the type filter.
    assert 'href="?q=astronaute"' in html
    assert f'href="{LIST}"' in html


@pytest.mark.parametrize(
    ("params", "label", "expected"),
    [
        ({"level": "12"}, "Niveau", 7),
        ({"level": "abc"}, "Niveau", 7),
        ({"registry": "RNCPX"}, "Répertoire", 7),
        ({"kind": "CAP"}, "Type", 7),
        ({"active": "peut-être"}, "État", 7),
        ({"vae": "peut-être"}, "Ouverte à la VAE", 7),
        ({"certifier": "12345"}, "Certificateur (SIRET)", 7),
        ({"branch": "inconnue"}, "Branche professionnelle", 7),
        ({"q": "x" * 250}, "Mots-clés", 7),
        ({"level": "99", "kind": "CQPI"}, "Niveau", 1),
    ],
)
def test_invalid_filter_values_are_ignored_with_a_message(client, catalogue, params, label, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    page = text(response)
    assert "Ce filtre a été ignoré car sa valeur n'est pas valide" in page
    assert label in page
    assert len(codes_in(response)) == expected


def test_several_invalid_values_are_all_reported(client, catalogue):
    page = text(client.get(LIST, {"level": "0", "registry": "X", "page": "zz"}))
    assert "Ces filtres ont été ignorés" in page
    assert "Niveau (valeur reçue « 0 »)" in page
    assert "Répertoire (valeur reçue « X »)" in page


@pytest.mark.parametrize("page_number", ["abc", "-1", "0", "999", "1.5", ""])
def test_odd_page_numbers_never_fail(client, catalogue, page_number):
    response = client.get(LIST, {"page": page_number})
    assert response.status_code == 200
    assert len(codes_in(response)) == 7


def test_pagination_twenty_per_page(client):
    for n in range(45):
        CertificationFactory(code=f"RNCP{60000 + n}", title=f"CQP Opérateur {n:02d}")
    first = client.get(LIST)
    assert len(codes_in(first)) == 20
    page = text(first)
    assert "45 certifications trouvées — page 1 sur 3" in page
    assert "Page 1 sur 3" in page and "Page suivante" in page and "Page précédente" not in page
    html = first.content.decode()
    assert 'href="?page=2" rel="next"' in html

    second = client.get(LIST, {"page": "2"})
    assert codes_in(second)[0] == "RNCP60020"
    assert "Page précédente" in text(second) and "Page suivante" in text(second)

    last = client.get(LIST, {"page": "3"})
    assert len(codes_in(last)) == 5
    assert "Page suivante" not in text(last)


def test_pagination_keeps_the_filters(client):
    for n in range(25):
        CertificationFactory(code=f"RNCP{60000 + n}", title=f"CQP Soudeur {n:02d}", cqpi=True)
    html = client.get(LIST, {"q": "soudeur", "kind": "CQPI"}).content.decode()
    assert 'href="?q=soudeur&amp;kind=CQPI&amp;page=2"' in html


def test_htmx_request_gets_the_results_region_and_the_count_for_screen_readers(client, catalogue):
    response = client.get(LIST, {"kind": "CQPI"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert '<section id="results"' in html
    assert '<div id="results-status" hx-swap-oob="innerHTML">' in html
    assert codes_in(response) == ["RNCP90002"]
    assert "HX-Request" in response["Vary"]


def test_full_page_has_the_live_region_and_the_htmx_form(client, catalogue):
    html = client.get(LIST).content.decode()
    assert re.search(r'<div id="results-status" class="results-status" role="status">', html)
    form = html[html.index('<form method="get"\n          action="/certifications/"') :]
    form = form[: form.index(">")]
    assert 'hx-get="/certifications/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form


def test_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_list_refuses_writes(client):
    assert client.post(LIST).status_code == 405


# --- Query counts -------------------------------------------------------------------------------

# Branch choices, count, page, certifiers of the page, lineage of the page.
LIST_QUERIES = 5


def test_list_query_count_does_not_depend_on_page_size(client, django_assert_num_queries):
    certifier = CertifierFactory()
    for n in range(20):
        c = CertificationFactory(code=f"RNCP{60000 + n}", title=f"CQP Monteur {n:02d}")
        c.certifiers.add(certifier, CertifierFactory())
    CertificationFactory(code="RNCP61000", title="CQP Régleur").certifiers.add(certifier)

    with django_assert_num_queries(LIST_QUERIES):
        one = client.get(LIST, {"q": "regleur"})
    assert len(codes_in(one)) == 1

    with django_assert_num_queries(LIST_QUERIES):
        twenty = client.get(LIST, {"q": "monteur"})
    assert len(codes_in(twenty)) == 20


def test_unfiltered_list_query_count_does_not_depend_on_the_data(client, django_assert_num_queries):
    branch = BranchFactory()
    job = models.Rome.objects.create(code="H2913", label="Soudage manuel")
    for n in range(65):
        c = CertificationFactory(code=f"RNCP{60000 + n}", title=f"CQP Opérateur {n:02d}")
        c.certifiers.add(CertifierFactory(), CertifierFactory())
        c.branches.add(branch)
        c.rome.add(job)
        models.CertificationLineage.objects.create(old_code=c.code, new_code=f"RNCP{70000 + n}")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(codes_in(response)) == 20
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(
            LIST, {"page": "4", "branch": branch.slug, "kind": "CQP", "vae": "true", "rome": "soudage"}
        )
    assert len(codes_in(response)) == 5
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"page": "2", "rome": "H2913"})
    assert len(codes_in(response)) == 20


def test_home_query_count_is_fixed(client, catalogue, django_assert_num_queries):
    # Counts, branches.
    with django_assert_num_queries(2):
        client.get(reverse("www:home"))


# --- Fiche --------------------------------------------------------------------------------------


@pytest.fixture
def fiche(catalogue):
    """A full fiche: dates, certifiers, branch and IDCC, blocks with criteria, passerelles, jobs, partners."""
    c = catalogue["electrician"]
    c.abbreviation = "CQPM"
    c.abbreviation_label = "Certificat de qualification paritaire de la métallurgie"
    c.registration_type = "Enregistrement sur demande"
    c.decision_date = datetime.date(2023, 11, 27)
    c.effective_date = datetime.date(2023, 12, 1)
    c.registration_end = datetime.date(2028, 11, 27)
    c.delivery_deadline = datetime.date(2029, 5, 27)
    c.activities = "Activités :   - Diagnostiquer une panne   - Remplacer un composant"
    c.abilities = "Capacité à câbler en sécurité."
    c.save()
    agreement = models.CollectiveAgreement.objects.create(number="3109", idcc="3248", label="Métallurgie")
    c.agreements.add(agreement)
    c.nsf.add(models.Nsf.objects.create(code="255", label="Électricité, électronique"))
    c.formacodes.add(models.Formacode.objects.create(code="24054", label="Électricité industrielle"))
    models.YearStatistic.objects.create(certification=c, year=2024, certified=42, certified_vae=3)

    first = c.blocks.get()
    first.assessment_methods = "Mise en situation professionnelle   Entretien avec le jury"
    first.save()
    EvaluationCriterionFactory(block=first, text="Le schéma est respecté", mandatory=True)
    EvaluationCriterionFactory(block=first, text="Le poste est rangé", mandatory=False)
    second = BlockFactory(certification=c, code="RNCP90001BC02", position=2, title="Diagnostic de pannes")
    CompetencyFactory(block=second, text="Localiser une panne électrique")

    conductor = catalogue["conductor"]
    target = BlockFactory(
        certification=conductor, code="RNCP90002BC03", position=3, title="Maintenance de premier niveau"
    )
    models.BlockEquivalence.objects.create(
        certification=c,
        block=second,
        target_certification_code="RNCP90002",
        target_block_code="RNCP90002BC03",
        target_block=target,
        kind=enums.EquivalenceKind.COMMON,
    )
    models.BlockEquivalence.objects.create(
        certification=c, block=first, target_certification_code="RNCP12345", target_block_code="RNCP12345BC01"
    )
    for n in range(25):
        models.Partner.objects.create(
            certification=c, name=f"Organisme de formation {n:02d}", habilitation="HABILITATION_ORGA_FORM"
        )
    return c


def test_fiche_identity_and_registration(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    assert response.status_code == 200
    page = text(response)
    assert '<h1 id="fiche-title">CQP Électricien de maintenance</h1>' in response.content.decode()
    assert "RNCP90001 · CQPM (métallurgie) · CQPM · Niveau 3 (CEC 3)" in page
    assert "Certificat de qualification paritaire de la métallurgie" in response.content.decode()
    assert "Répertoire RNCP" in page
    assert "Type d'enregistrement Enregistrement sur demande" in page
    assert "Date de décision 27 novembre 2023" in page
    assert "Date d'effet 1 décembre 2023" in page
    assert "Fin d'enregistrement 27 novembre 2028" in page
    assert "Date limite de délivrance 27 mai 2029" in page
    assert "État Active" in page
    assert "Niveau Niveau 3 (CEC 3) (repère : CAP, BEP)" in page


def test_fiche_level_reprise_is_without_level(client, catalogue):
    CertificationFactory(code="RNCP5000", title="CQP ancien", level=None, level_code="REPRISE")
    assert "Niveau Sans niveau" in text(client.get(fiche_url("RNCP5000")))


def test_fiche_certifiers_branches_and_agreements(client, fiche):
    page = text(client.get(fiche_url("RNCP90001")))
    assert "UIMM — SIRET 775 671 356 00025 — site internet de UIMM" in page
    assert "Métallurgie — OPCO : OPCO 2i" in page
    assert "Métallurgie (brochure n° 3109, IDCC 3248)" in page
    html = client.get(fiche_url("RNCP90001")).content.decode()
    assert 'href="https://uimm.lafabriquedelavenir.fr/"' in html
    assert f'href="{LIST}?certifier=77567135600025"' in html


def test_fiche_blocks_competencies_methods_and_criteria(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    page = text(response)
    assert "Cette certification compte 2 blocs de compétences" in page
    assert "RNCP90001BC01 — Câblage d'armoires" in page
    assert "RNCP90001BC02 — Diagnostic de pannes" in page
    html = response.content.decode()
    assert "<li>Raccorder une armoire de commande selon le schéma</li>" in html
    assert "<li>Localiser une panne électrique</li>" in html
    assert "<p>Mise en situation professionnelle</p><p>Entretien avec le jury</p>" in html
    assert "Le schéma est respecté oui" in page
    assert "Le poste est rangé non" in page


def test_fiche_passerelles_link_when_the_target_is_in_the_catalogue(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    html = response.content.decode()
    page = text(response)
    assert f'<a href="{fiche_url("RNCP90002")}">RNCP90002 — CQPI Conducteur' in html
    assert "RNCP90002BC03 — Maintenance de premier niveau" in page
    assert "Bloc commun" in page
    # A target the catalogue does not hold: shown, not linked.
    assert "RNCP12345 (absente du catalogue)" in page
    assert fiche_url("RNCP12345") not in html


def test_fiche_shows_passerelles_declared_by_the_other_certification(client, fiche):
    response = client.get(fiche_url("RNCP90002"))
    page = text(response)
    assert "Passerelles vers d'autres certifications" in page
    assert "RNCP90002BC03 — Maintenance de premier niveau" in page
    assert f'<a href="{fiche_url("RNCP90001")}">RNCP90001 — CQP Électricien' in response.content.decode()
    assert "RNCP90001BC02 — Diagnostic de pannes" in page


def test_fiche_rights_rnpc_active_with_vae_route(client, fiche):
    page = text(client.get(fiche_url("RNCP90001")))
    assert "Formation — possible" in page
    assert "VAE — ouverte" in page
    assert "au moins un an d'expérience" in page
    assert "CPF (compte personnel de formation) — éligible" in page
    assert "Contrat de professionnalisation" in page  # access routes of the registry


def test_fiche_rights_rs_opens_cpf_not_vae(client, catalogue):
    page = text(client.get(fiche_url("RS6117")))
    assert "VAE — non ouverte" in page
    assert "La VAE n'est possible que pour une certification enregistrée au RNCP." in page
    assert "CPF (compte personnel de formation) — éligible" in page


def test_fiche_rights_unregistered_opens_neither(client, catalogue):
    page = text(client.get(fiche_url("CQP-00001")))
    assert "VAE — non ouverte" in page
    assert "CPF (compte personnel de formation) — non éligible" in page
    assert "ni au RNCP ni au Répertoire spécifique" in page


def test_fiche_jobs_link_to_the_list_filtered_by_rome(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    assert f'<a href="{LIST}?rome=I1309">I1309 — Maintenance électrique</a>' in response.content.decode()
    page = text(response)
    assert "255 — Électricité, électronique" in page
    assert "24054 — Électricité industrielle" in page


def test_fiche_statistics(client, fiche):
    page = text(client.get(fiche_url("RNCP90001")))
    assert "2024 42 3" in page


def test_fiche_shows_twenty_partners_and_the_count(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    page = text(response)
    assert "25 organismes sont habilités" in page
    assert "Voici les 20 premiers" in page
    assert "Organisme de formation 19" in page
    assert "Organisme de formation 20" not in page
    assert "Habilité à former" in page


def test_fiche_long_texts_are_in_details(client, fiche):
    html = client.get(fiche_url("RNCP90001")).content.decode()
    assert "<summary>Activités visées</summary>" in html
    assert "<li>Diagnostiquer une panne</li><li>Remplacer un composant</li>" in html
    assert "<summary>Capacités attestées</summary>" in html
    assert "<summary>Réglementation d'activités</summary>" not in html


def test_fiche_long_assessment_methods_are_folded(client, fiche):
    block = fiche.blocks.get(code="RNCP90001BC02")
    block.assessment_methods = "Mise en situation professionnelle d'une durée de deux heures. " * 20
    block.save()
    html = client.get(fiche_url("RNCP90001")).content.decode()
    assert "<summary>Modalités d'évaluation</summary>" in html
    # The short one stays in view.
    assert "<h4>Modalités d'évaluation</h4>" in html


def test_fiche_whom_to_contact(client, fiche):
    response = client.get(fiche_url("RNCP90001"))
    html = response.content.decode()
    for site in ("https://www.opco2i.fr/", "francetravail.fr", "unml.info", "capemploi.info"):
        assert site in html
    page = text(response)
    assert "OPCO 2i (Métallurgie)" in page
    assert "Pour une question sur cette certification : le certificateur — UIMM" in page


def test_replaced_fiche_links_to_its_new_version_and_back(client, catalogue):
    old = client.get(fiche_url("RNCP80001"))
    page = text(old)
    assert "Remplacée" in page
    assert "Cette certification a été remplacée par une nouvelle version : RNCP80002 — CQP Soudeur industriel" in page
    assert f'<a href="{fiche_url("RNCP80002")}">RNCP80002 — CQP Soudeur industriel</a>' in old.content.decode()

    new = client.get(fiche_url("RNCP80002"))
    assert "Remplace RNCP80001 — CQP Soudeur" in text(new)
    assert f'<a href="{fiche_url("RNCP80001")}">' in new.content.decode()


def test_replaced_fiche_no_longer_offers_training_vae_or_cpf(client, catalogue):
    page = text(client.get(fiche_url("RNCP80001")))
    assert "Formation — plus proposée" in page
    assert "VAE — non ouverte" in page
    assert "L'enregistrement au RNCP n'est plus actif" in page
    assert "CPF (compte personnel de formation) — non éligible" in page


def test_lineage_to_a_code_not_in_the_catalogue_is_shown_without_link(client, catalogue):
    models.CertificationLineage.objects.create(old_code="RNCP70000", new_code="RNCP90001")
    response = client.get(fiche_url("RNCP90001"))
    assert "Remplace RNCP70000 (absente du catalogue)" in text(response)
    assert fiche_url("RNCP70000") not in response.content.decode()


def test_expired_fiche_says_so(client, catalogue):
    CertificationFactory(code="RNCP70001", title="CQP Chaudronnier", expired=True)
    page = text(client.get(fiche_url("RNCP70001")))
    assert "État Expirée" in page
    assert "n'est plus active au répertoire" in page


def test_unknown_code_gives_a_french_404(client, catalogue):
    response = client.get(fiche_url("RNCP00000"))
    assert response.status_code == 404
    page = text(response)
    assert "Page introuvable" in page
    assert "la certification n'est peut-être pas dans le catalogue" in page
    assert '<html lang="fr">' in response.content.decode()
    assert f'action="{LIST}"' in response.content.decode()


def fiche_with_blocks(code, blocks):
    c = CertificationFactory(code=code)
    c.certifiers.add(CertifierFactory())
    c.branches.add(BranchFactory())
    c.rome.add(models.Rome.objects.get_or_create(code="H2913", label="Soudage manuel")[0])
    for n in range(blocks):
        block = BlockFactory(certification=c, code=f"{code}BC{n:02d}", position=n)
        CompetencyFactory(block=block)
        CompetencyFactory(block=block)
        EvaluationCriterionFactory(block=block)
        models.BlockEquivalence.objects.create(
            certification=c, block=block, target_certification_code=f"RNCP1{n:04d}", target_block_code=""
        )
        models.Partner.objects.create(certification=c, name=f"Organisme {n}")
    return c


# Certification and its 11 prefetches, lineage, incoming equivalences, known codes, partners, partner count,
# the certifications its blocks count for (passerelles).
FICHE_QUERIES = 18


def test_fiche_query_count_does_not_depend_on_the_number_of_blocks(client, django_assert_num_queries):
    fiche_with_blocks("RNCP91001", 1)
    fiche_with_blocks("RNCP91002", 12)
    with django_assert_num_queries(FICHE_QUERIES):
        small = client.get(fiche_url("RNCP91001"))
    with django_assert_num_queries(FICHE_QUERIES):
        large = client.get(fiche_url("RNCP91002"))
    assert "compte 1 bloc" in text(small)
    assert "compte 12 blocs" in text(large)


def test_an_open_fiche_leads_to_applying_and_a_closed_one_does_not(client):
    from tests.catalogue.factories import CertificationFactory

    open_one = CertificationFactory(code="RNCP91001")
    closed = CertificationFactory(code="RNCP91002", active=False)
    page = client.get(f"/certifications/{open_one.code}/").content.decode()
    assert f"/espace/candidat/candidater/?certification={open_one.code}" in page
    assert f"/espace/entreprise/inscrire/?certification={open_one.code}" in page
    assert "/espace/candidat/candidater/" not in client.get(f"/certifications/{closed.code}/").content.decode()
