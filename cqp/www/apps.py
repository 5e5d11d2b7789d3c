from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "cqp.www"
    verbose_name = "Pages"
