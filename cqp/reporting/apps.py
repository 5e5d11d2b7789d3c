from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cqp.reporting"
    verbose_name = "Statistiques"
