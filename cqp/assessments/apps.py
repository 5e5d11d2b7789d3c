from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cqp.assessments"
    verbose_name = "Positionnement, formation et évaluation"
