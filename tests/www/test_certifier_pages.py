"""The certifier pages as staff use them: forms, errors tied to fields, htmx and no-JavaScript paths."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.catalogue import services
from cqp.catalogue.models import Block, BlockEquivalence, Certification, EvaluationCriterion
from cqp.core.models import AuditEvent
from tests.catalogue.factories import BlockFactory, BranchFactory, CertificationFactory, CertifierFactory

pytestmark = pytest.mark.django_db

PASSWORD = "demo-cqp-2026"


@pytest.fixture
def uimm():
    return CertifierFactory(siret="78471719100018", name="UIMM")


@pytest.fixture
def alice(uimm):
    user = User.objects.create_user("alice@uimm.example", PASSWORD, first_name="Alice", last_name="Martin")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=uimm)
    return user


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def cqp(alice, uimm):
    return services.certification_create(by=alice, certifier=uimm, title="CQPM Opérateur régleur", kind="CQPM")


def edit_url(certification):
    return reverse("www:certifier_certification_edit", args=[certification.code])


def text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- create


def test_create_an_unregistered_cqp(signed_in, uimm):
    metallurgie = BranchFactory(slug="metallurgie", name="Métallurgie")
    page = text(signed_in.get(reverse("www:certifier_certification_create")))
    assert "Certificateur : UIMM" in page
    response = signed_in.post(
        reverse("www:certifier_certification_create"),
        {
            "certifier": uimm.pk,
            "title": "CQP Opérateur de production",
            "kind": "CQP",
            "registry": "NONE",
            "code": "",
            "level": "",
            "branches": [metallurgie.pk],
            "access_routes": ["FC", "CQ"],
            "objectives": "Contenu de démonstration.",
        },
        follow=True,
    )
    certification = Certification.objects.get(title="CQP Opérateur de production")
    assert certification.code == "CQP-00001"
    assert response.redirect_chain[-1][0] == edit_url(certification)
    assert "La certification CQP-00001 est créée" in text(response)
    assert list(certification.branches.all()) == [metallurgie]
    assert certification.access_routes == ["FC", "CQ"]


def test_create_errors_are_tied_to_their_fields_and_nothing_is_written(signed_in, uimm):
    response = signed_in.post(
        reverse("www:certifier_certification_create"),
        {"certifier": uimm.pk, "title": "CQP Soudeur", "kind": "CQP", "registry": "RNCP", "code": "RNCP12"},
    )
    page = text(response)
    assert response.status_code == 200
    assert not Certification.objects.exists() and not AuditEvent.objects.exists()
    assert "Rien n'a été enregistré" in page
    error = re.search(r'<ul class="errorlist" id="id_code_error"><li>(.*?)</li>', page).group(1)
    assert "RNCP suivi de 3 à 6 chiffres" in error
    code_input = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'aria-describedby="id_code_helptext id_code_error"' in code_input
    assert 'aria-invalid="true"' in code_input
    assert 'value="CQP Soudeur"' in page  # what was typed is kept


def test_create_refuses_a_certifier_that_is_not_mine(signed_in):
    other = CertifierFactory(name="OCAPIAT")
    response = signed_in.post(
        reverse("www:certifier_certification_create"),
        {"certifier": other.pk, "title": "CQP", "kind": "CQP", "registry": "NONE"},
    )
    assert response.status_code == 200
    assert not Certification.objects.exists()


# --------------------------------------------------------------------------- edit page


def test_edit_page_shows_blocks_competencies_criteria_and_the_trail(signed_in, alice, cqp):
    block = services.block_create(
        certification=cqp, by=alice, title="Régler la machine", competencies=["Lire le plan", "Monter l'outil"]
    )
    services.criterion_create(block=block, by=alice, text="Les cotes sont conformes")
    services.criterion_create(block=block, by=alice, text="Une amélioration est proposée", mandatory=False)
    page = text(signed_in.get(edit_url(cqp)))
    assert "<h1>CQPM Opérateur régleur</h1>" in page
    assert "CQP-00001BC01 — Régler la machine" in page
    assert "<li>Lire le plan</li>" in page and "<li>Monter l&#x27;outil</li>" in page
    assert "Les cotes sont conformes" in page and "Obligatoire" in page and "Facultatif" in page
    assert f'href="{cqp.get_absolute_url()}"' in page and "Voir la fiche publique" in page
    trail = " ".join(page[page.index('id="historique"') :].split())
    assert "Alice Martin" in trail
    assert "Création de la certification" in trail and "Bloc ajouté" in trail and "Critère ajouté" in trail
    # Labels, not codes; a creation lists only what it held.
    assert "répertoire : Non enregistré" in trail and "type : CQPM (métallurgie)" in trail
    assert "NONE" not in trail and "fin d&#x27;enregistrement" not in trail


def test_edit_page_queries_do_not_grow_with_blocks(signed_in, alice, cqp):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(edit_url(cqp)).status_code == 200
        return len(queries)

    block = services.block_create(certification=cqp, by=alice, title="Bloc", competencies=["A"])
    services.criterion_create(block=block, by=alice, text="Critère")
    few = count()
    for n in range(4):
        extra = services.block_create(certification=cqp, by=alice, title=f"Bloc {n}", competencies=["A", "B"])
        services.criterion_create(block=extra, by=alice, text="Critère")
        services.equivalence_create(block=extra, target_block=BlockFactory(), by=alice)
    assert count() == few


# --------------------------------------------------------------------------- blocks


def test_add_edit_move_and_delete_blocks(signed_in, cqp):
    signed_in.post(
        reverse("www:certifier_block_create", args=[cqp.code]),
        {
            "title": "Préparer",
            "competencies": "Lire l'ordre de fabrication\nPréparer le poste",
            "assessment_methods": "",
        },
    )
    signed_in.post(reverse("www:certifier_block_create", args=[cqp.code]), {"title": "Produire", "competencies": ""})
    first, second = cqp.blocks.order_by("position")
    assert [c.text for c in first.competencies.all()] == ["Lire l'ordre de fabrication", "Préparer le poste"]

    update = reverse("www:certifier_block_update", args=[cqp.code, second.pk])
    assert "Produire" in text(signed_in.get(update))
    signed_in.post(
        update, {"title": "Produire en série", "competencies": "Conduire\nContrôler", "assessment_methods": ""}
    )
    second.refresh_from_db()
    assert second.title == "Produire en série"
    assert [c.text for c in second.competencies.all()] == ["Conduire", "Contrôler"]

    response = signed_in.post(reverse("www:certifier_block_move", args=[cqp.code, second.pk]), {"direction": "up"})
    assert response["Location"].endswith(f"#bloc-{second.pk}")
    assert list(cqp.blocks.order_by("position").values_list("title", flat=True)) == ["Produire en série", "Préparer"]

    delete = reverse("www:certifier_block_delete", args=[cqp.code, first.pk])
    confirmation = text(signed_in.get(delete))
    assert "Supprimer le bloc CQP-00001BC01 ?" in confirmation and "Ses 2 compétences" in confirmation
    assert Block.objects.filter(pk=first.pk).exists()  # a GET deletes nothing
    signed_in.post(delete, {"reason": "Bloc en double"})
    assert not Block.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="block.delete", reason="Bloc en double").exists()


def test_block_move_refuses_get(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    assert signed_in.get(reverse("www:certifier_block_move", args=[cqp.code, block.pk])).status_code == 405


def test_block_without_title_shows_the_error_on_its_field(signed_in, cqp):
    response = signed_in.post(reverse("www:certifier_block_create", args=[cqp.code]), {"title": "  "})
    assert 'id="id_title_error"' in text(response)
    assert not Block.objects.exists()


# --------------------------------------------------------------------------- criteria


def test_add_a_criterion_without_javascript(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    response = signed_in.post(
        reverse("www:certifier_criterion_create", args=[cqp.code, block.pk]), {"text": "Le poste est propre"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#bloc-{block.pk}")
    criterion = block.criteria.get()
    assert (criterion.text, criterion.mandatory) == ("Le poste est propre", False)  # unticked box: optional


def test_add_a_criterion_inline_with_htmx(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    url = reverse("www:certifier_criterion_create", args=[cqp.code, block.pk])
    response = signed_in.post(url, {"text": "Les EPI sont portés", "mandatory": "on"}, HTTP_HX_REQUEST="true")
    fragment = text(response)
    assert response.status_code == 200
    assert "<html" not in fragment and f'id="criteria-{block.pk}"' in fragment
    assert "Critère ajouté : Les EPI sont portés" in fragment
    assert block.criteria.get().mandatory
    # Errors come back inline too, tied to the field.
    response = signed_in.post(url, {"text": ""}, HTTP_HX_REQUEST="true")
    assert f'id="criterion_{block.pk}_text_error"' in text(response)
    assert block.criteria.count() == 1


def test_edit_and_delete_a_criterion(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    first = services.criterion_create(block=block, by=alice, text="Premier")
    second = services.criterion_create(block=block, by=alice, text="Second")
    update = reverse("www:certifier_criterion_update", args=[cqp.code, second.pk])
    signed_in.post(update, {"text": "Second, reformulé", "mandatory": "on", "position": "1"})
    assert list(block.criteria.order_by("position").values_list("text", flat=True)) == ["Second, reformulé", "Premier"]
    delete = reverse("www:certifier_criterion_delete", args=[cqp.code, first.pk])
    assert "Premier" in text(signed_in.get(delete))
    signed_in.post(delete, {})
    assert not EvaluationCriterion.objects.filter(pk=first.pk).exists()


# --------------------------------------------------------------------------- equivalences


def test_declare_a_common_block_by_searching_a_code(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Communiquer")
    other = CertificationFactory(code="RNCP36086", title="CQP Ajusteur assembleur", kind="CQPI")
    target = BlockFactory(certification=other, code="RNCP36086BC01", title="Communiquer en équipe")
    url = reverse("www:certifier_equivalence_create", args=[cqp.code, block.pk])
    page = text(signed_in.get(url, {"code": "rncp36086"}))
    assert "RNCP36086BC01" in page and "Communiquer en équipe" in page
    assert "Aucun bloc" in text(signed_in.get(url, {"code": "RNCP99999"}))
    response = signed_in.post(url, {"code": "RNCP36086", "target_block": target.pk, "kind": "COMMON"})
    assert response.status_code == 302
    assert BlockEquivalence.objects.filter(block=block, target_block=target, kind="COMMON").exists()
    assert BlockEquivalence.objects.filter(block=target, target_block=block, kind="COMMON").exists()
    assert "RNCP36086BC01" in text(signed_in.get(edit_url(cqp)))
    # The same declaration twice is refused on the field.
    response = signed_in.post(url, {"code": "RNCP36086", "target_block": target.pk, "kind": "COMMON"})
    assert "déjà déclarée" in text(response)


def test_withdraw_an_equivalence(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Communiquer")
    equivalence = services.equivalence_create(block=block, target_block=BlockFactory(), by=alice)
    url = reverse("www:certifier_equivalence_delete", args=[cqp.code, equivalence.pk])
    assert "Retirer cette équivalence ?" in text(signed_in.get(url))
    signed_in.post(url, {})
    assert not BlockEquivalence.objects.exists()


# --------------------------------------------------------------------------- registry fiches


def test_registry_fiche_is_read_only_but_takes_criteria(signed_in, uimm):
    fiche = CertificationFactory(code="RS6117", registry="RS", source="REGISTRY", title="CQP Tourier", level=None)
    fiche.certifiers.add(uimm)
    block = BlockFactory(certification=fiche, code="RS6117BC01", source="REGISTRY", title="Fabriquer")
    page = text(signed_in.get(edit_url(fiche)))
    assert "importée du répertoire de France compétences" in page
    assert f'href="{reverse("www:certifier_certification_update", args=[fiche.code])}"' not in page
    assert f'href="{reverse("www:certifier_block_update", args=[fiche.code, block.pk])}"' not in page
    assert "données du répertoire" in text(
        signed_in.get(reverse("www:certifier_certification_update", args=[fiche.code]))
    )
    signed_in.post(reverse("www:certifier_criterion_create", args=[fiche.code, block.pk]), {"text": "Pâte conforme"})
    assert block.criteria.get().text == "Pâte conforme"
    response = signed_in.post(reverse("www:certifier_block_delete", args=[fiche.code, block.pk]), {}, follow=True)
    assert Block.objects.filter(pk=block.pk).exists()
    assert "vient du répertoire" in text(response)


# --------------------------------------------------------------------------- list, dashboard, login


def test_list_counts_blocks_criteria_and_equivalences(signed_in, alice, cqp):
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    services.block_create(certification=cqp, by=alice, title="Bloc 2")
    services.criterion_create(block=block, by=alice, text="C1")
    services.criterion_create(block=block, by=alice, text="C2")
    services.criterion_create(block=block, by=alice, text="C3")
    page = text(signed_in.get(reverse("www:certifier_certification_list")))
    row = re.search(r"<tr>\s*<td>CQP-00001</td>.*?</tr>", page, re.S).group(0)
    assert [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] == [2, 3, 0]


def test_list_queries_do_not_grow_with_certifications(signed_in, alice, uimm, cqp):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse("www:certifier_certification_list")).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        other = services.certification_create(by=alice, certifier=uimm, title=f"CQP {n}", kind="CQP")
        services.block_create(certification=other, by=alice, title="Bloc")
    assert count() == few


def test_dashboard_of_certifier_staff(signed_in, cqp):
    page = text(signed_in.get(reverse("www:dashboard")))
    assert "UIMM" in page and "CQPM Opérateur régleur" in page
    assert edit_url(cqp) in page
    assert reverse("www:certifier_certification_create") in page


def test_dashboard_of_platform_admin(client, uimm):
    client.force_login(User.objects.create_superuser("admin@example.org", PASSWORD))
    page = text(client.get(reverse("www:dashboard")))
    assert reverse("admin:index") in page
    assert f"?certificateur={uimm.pk}" in page and "UIMM" in page


def test_dashboard_of_other_roles(client):
    user = User.objects.create_user("candidat@example.org", PASSWORD)
    Membership.objects.create(user=user, role=Role.CANDIDATE)
    client.force_login(user)
    page = text(client.get(reverse("www:dashboard")))
    assert "Candidat" in page
    assert reverse("www:candidate_home") in page
    assert reverse("www:certifier_certification_list") not in page


def test_login_page_and_sign_in_leads_to_my_space(client, alice):
    page = text(client.get(reverse("accounts:login")))
    assert '<label for="id_username">' in page and '<label for="id_password">' in page
    response = client.post(reverse("accounts:login"), {"username": "alice@uimm.example", "password": "wrong"})
    assert "mot de passe" in text(response).lower() and response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "ALICE@uimm.example", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("www:dashboard")
