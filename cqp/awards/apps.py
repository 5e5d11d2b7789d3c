from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "cqp.awards"
    verbose_name = "Délivrance"
