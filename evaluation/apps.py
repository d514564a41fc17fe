from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self) -> None:
        from . import lifecycle  # noqa: F401 - connects its receivers
