from django.apps import AppConfig


class CapitalisationConfig(AppConfig):
    name = "cqp.capitalisation"
    verbose_name = "Capitalisation des blocs"
