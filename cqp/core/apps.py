from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cqp.core"
    verbose_name = "Socle"
