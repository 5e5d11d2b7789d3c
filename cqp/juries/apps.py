from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "cqp.juries"
    verbose_name = "Jurys paritaires"
