from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cqp.accounts"
    verbose_name = "Comptes"
