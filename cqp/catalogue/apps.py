from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cqp.catalogue"
    verbose_name = "Catalogue"
