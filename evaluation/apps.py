from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self) -> None:
        from . import fields, lifecycle  # noqa: F401 - lifecycle connects its receivers

        fields.connect()
