from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cqp.api"
    verbose_name = "API"
