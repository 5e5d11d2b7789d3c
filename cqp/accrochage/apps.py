from django.apps import AppConfig


class AccrochageConfig(AppConfig):
    name = "cqp.accrochage"
    verbose_name = "Déclaration à la Caisse des Dépôts (accrochage)"
