"""A report's figures are kept as PostgreSQL's `json` (the text, checked on the way in), not
`jsonb`: entries are written whole and read whole, and turning a million results' report
(15 MB of figures) into jsonb's binary numbers took PostgreSQL 0.9 s, as long as computing
it, against 0.2 s as json. Key lookups in SQL (`->`, `->>`) work on both."""

from django.db import models
from django.db.backends.signals import connection_created


class ReportFigures(models.JSONField):
    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)


def hand_json_over_as_text(sender, connection, **kwargs) -> None:
    """Have psycopg2 give `json` values as their text, as Django has it give `jsonb`, so that
    the field decodes both the same way (a value of a key lookup included)."""
    if connection.vendor != "postgresql":
        return
    import psycopg2.extras

    psycopg2.extras.register_default_json(conn_or_curs=connection.connection, loads=lambda x: x)


def connect() -> None:
    connection_created.connect(hand_json_over_as_text, dispatch_uid="report-figures-as-text")
