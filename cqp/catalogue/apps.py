from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _repair_word_index(sender, using, **kwargs):
    from django.db import connections

    from .search import ensure_sqlite_word_index

    ensure_sqlite_word_index(connections[using])


class CatalogueConfig(AppConfig):
    name = "cqp.catalogue"
    verbose_name = "Catalogue"

    def ready(self):
        # Only the word index of SQLite needs this: see search.ensure_sqlite_word_index.
        post_migrate.connect(_repair_word_index, sender=self)
