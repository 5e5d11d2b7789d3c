"""Factories for catalogue rows. Derived fields (rights, search text) are set like the services set them."""

import factory

from cqp.catalogue import enums, models, rights
from cqp.catalogue.search import build_search_text


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Branch
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"branche-{n}")
    name = factory.Sequence(lambda n: f"Branche {n}")


class CertifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Certifier
        django_get_or_create = ["siret"]

    siret = factory.Sequence(lambda n: f"{78000000000000 + n:014d}")
    name = factory.Sequence(lambda n: f"CPNE numéro {n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Certification
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"RNCP{90000 + n}")
    registry = enums.Registry.RNCP
    kind = enums.CertificationKind.CQP
    title = factory.Sequence(lambda n: f"CQP Opérateur numéro {n}")
    source = enums.Source.PLATFORM
    level = 3
    level_code = "NIV3"
    active = True
    access_routes = factory.LazyFunction(lambda: ["FC", "CQ", "VAE"])

    class Params:
        rs = factory.Trait(registry=enums.Registry.RS, code=factory.Sequence(lambda n: f"RS{9000 + n}"), level=None)
        unregistered = factory.Trait(
            registry=enums.Registry.NONE, code=factory.Sequence(lambda n: f"CQP-{n:05d}"), level=None
        )
        cqpi = factory.Trait(kind=enums.CertificationKind.CQPI)
        expired = factory.Trait(active=False)

    @factory.post_generation
    def derived(obj, create, extracted, **kwargs):
        obj.vae_open = rights.vae_open(registry=obj.registry, active=obj.active, access_routes=obj.access_routes)
        obj.cpf_eligible = rights.cpf_eligible(registry=obj.registry, active=obj.active)
        obj.search_text = build_search_text(code=obj.code, title=obj.title, abbreviation=obj.abbreviation)
        if create:
            obj.save()


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Block

    certification = factory.SubFactory(CertificationFactory)
    position = factory.Sequence(lambda n: n % 10 + 1)
    code = factory.LazyAttribute(lambda o: f"{o.certification.code}BC{o.position:02d}")
    title = factory.Sequence(lambda n: f"Bloc de compétences {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Competency

    block = factory.SubFactory(BlockFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Réaliser l'opération numéro {n} en sécurité")


class EvaluationCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EvaluationCriterion

    block = factory.SubFactory(BlockFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Le critère numéro {n} est observé")
    mandatory = True
