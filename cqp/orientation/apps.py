from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "cqp.orientation"
    verbose_name = "Orientation"
