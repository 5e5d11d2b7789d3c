from django.apps import AppConfig


class CandidaciesConfig(AppConfig):
    name = "cqp.candidacies"
    verbose_name = "Candidatures"
