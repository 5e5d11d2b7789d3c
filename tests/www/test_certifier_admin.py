"""The catalogue admin, for platform administrators: every model listed, searched, opened."""

import pytest
from django.apps import apps
from django.urls import reverse

from cqp.accounts.models import User
from cqp.catalogue import services
from cqp.catalogue.models import BlockEquivalence, Certification
from tests.catalogue.factories import BlockFactory, BranchFactory, CertifierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("admin@example.org", "demo-cqp-2026")
    uimm = CertifierFactory(name="UIMM")
    BranchFactory(slug="metallurgie", name="Métallurgie")
    cqp = services.certification_create(by=admin, certifier=uimm, title="CQPM Régleur", kind="CQPM")
    block = services.block_create(certification=cqp, by=admin, title="Régler", competencies=["Monter l'outil"])
    services.criterion_create(block=block, by=admin, text="Réglage conforme")
    services.equivalence_create(block=block, target_block=BlockFactory(), by=admin)
    client.force_login(admin)
    return client


def test_every_catalogue_model_is_in_the_admin_and_its_pages_open(admin_client):
    for model in apps.get_app_config("catalogue").get_models():
        name = model._meta.model_name
        changelist = reverse(f"admin:catalogue_{name}_changelist")
        assert admin_client.get(changelist).status_code == 200, name
        assert admin_client.get(changelist, {"q": "RNCP"}).status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            assert admin_client.get(reverse(f"admin:catalogue_{name}_change", args=[obj.pk])).status_code == 200, name


def test_certification_admin_shows_blocks_inline_and_block_admin_its_referential(admin_client):
    certification = Certification.objects.get(title="CQPM Régleur")
    page = admin_client.get(reverse("admin:catalogue_certification_change", args=[certification.pk])).content.decode()
    assert "Régler" in page and "blocs de compétences" in page.lower()
    block = certification.blocks.get()
    page = admin_client.get(reverse("admin:catalogue_block_change", args=[block.pk])).content.decode()
    assert "Monter l&#x27;outil" in page and "Réglage conforme" in page
    assert BlockEquivalence.objects.exists()


def test_the_admin_is_for_platform_administrators_only(client, admin_client):
    staff = User.objects.create_user("staff@example.org", "demo-cqp-2026")
    client.force_login(staff)
    response = client.get(reverse("admin:catalogue_certification_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_accounts_admin_shows_memberships(admin_client):
    from cqp.accounts.enums import Role
    from cqp.accounts.models import Membership

    user = User.objects.create_user("claire@uimm.example", "demo-cqp-2026")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=CertifierFactory(name="UIMM"))
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_membership_changelist") + "?role=certifier_staff",
        reverse("admin:accounts_user_change", args=[user.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "claire@uimm.example" in response.content.decode(), url
