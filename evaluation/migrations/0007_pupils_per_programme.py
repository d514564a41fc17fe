# Pupils per programme (see evaluation.pseudonym). Each stored pupil, until now one row for
# every programme that held the child, becomes one pupil per programme, known by that
# programme's pseudonym, worked out from the stored keyed hash of the UPN (the UPN itself was
# never kept). Results go to the pupil of their window's programme. A pupil's details for a
# year go to each programme with a result of theirs that year (or, if none has, to every
# programme that holds the pupil), as that programme's own uploads last wrote them: the
# revisions say what each upload found, so a programme whose pupils another programme's
# upload moved gets them back as it left them. Each programme's copy keeps the revisions of
# its own uploads only, so that rolling one back touches nothing of another programme.
# Pupils that no programme holds (no result, no upload, no school in a programme) are
# deleted: no report reads them and no programme's retention would reach them.
#
# All set-based: a few SQL statements whatever the number of pupils, and one pass in Python
# to work out the pseudonyms (an HMAC of each stored hash), written back by COPY.

import hashlib
import hmac
import io

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

P, PY, R = "evaluation_pupil", "evaluation_pupilyear", "evaluation_result"
PYR, U, W = (
    "evaluation_pupilyearrevision",
    "evaluation_assessmentupload",
    "evaluation_assessmentwindow",
)
TEMPORARY = (
    "split_window",
    "split_upload",
    "split_need",
    "split_pupil",
    "split_year_first",
    "split_year",
    "split_state",
    "split_chain",
    "split_target",
)
BATCH = 50_000
YEAR_FIELDS = ("school_id", "year_group", "disadvantaged", "send", "eal", "gender")


def pseudonym(stored_hash: str, programme_id: int) -> str:
    """As evaluation.pseudonym gives it (kept here as it was when this migration was written):
    HMAC(key, "programme <id>:" + the UPN's keyed hash)."""
    key = settings.PUPIL_KEY_SECRET.encode()
    message = b"programme %d:" % programme_id + bytes.fromhex(stored_hash)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _run(cursor, *statements, params=None) -> None:
    for sql in statements:
        cursor.execute(sql, params)


def _write(cursor, table: str, rows: list[tuple], postgres: bool) -> None:
    if not rows:
        return
    if postgres:
        text = "".join("\t".join(map(str, row)) + "\n" for row in rows)
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(text))
    else:
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(rows[0]))})", rows)


def _academic_year(day) -> int:
    return day.year if day.month >= 9 else day.year - 1


def _analyze(postgres: bool, *tables: str) -> list[str]:
    # PostgreSQL's autovacuum never analyses temporary tables: without it, the planner knows
    # nothing of their million rows.
    return [f"ANALYZE {table}" for table in tables] if postgres else []


def _programmes_of_pupils(cursor, apps, postgres: bool) -> None:
    """split_need: (pupil, programme) for each programme that holds a pupil: those with its
    results; failing any, those whose uploads wrote it; failing any, those its schools take
    part in."""
    collate = ' COLLATE "C"' if postgres else ""
    _run(
        cursor,
        "CREATE TEMPORARY TABLE split_window (window_id bigint, programme_id bigint, "
        "academic_year integer)",
        "CREATE TEMPORARY TABLE split_pupil (old_id bigint, programme_id bigint, "
        f"upn_hash varchar(64){collate}, keeper boolean, first_upload_id bigint, new_id bigint)",
    )
    cursor.execute(f"SELECT id, programme_id, date FROM {W}")
    windows = [(pk, programme, _academic_year(day)) for pk, programme, day in cursor.fetchall()]
    _write(cursor, "split_window", windows, postgres)
    enrolment = apps.get_model("programmes", "Enrolment")._meta.db_table
    comparison = apps.get_model("programmes", "ComparisonSchool")._meta.db_table
    unheld = "NOT EXISTS (SELECT 1 FROM split_need n WHERE n.old_id = {pupil})"
    _run(
        cursor,
        "CREATE TEMPORARY TABLE split_upload AS SELECT u.id AS upload_id, w.programme_id, "
        "ROW_NUMBER() OVER (ORDER BY u.imported_at, u.id) AS seq "
        f"FROM {U} u JOIN {W} w ON w.id = u.window_id WHERE u.imported_at IS NOT NULL",
        "CREATE TEMPORARY TABLE split_need AS SELECT DISTINCT r.pupil_id AS old_id, "
        f"sw.programme_id FROM {R} r JOIN split_window sw ON sw.window_id = r.window_id",
        "CREATE INDEX split_need_old ON split_need (old_id)",
        *_analyze(postgres, "split_window", "split_upload", "split_need"),
        "INSERT INTO split_need SELECT y.pupil_id, su.programme_id "
        f"FROM {PY} y JOIN split_upload su ON su.upload_id = y.upload_id WHERE "
        + unheld.format(pupil="y.pupil_id")
        + " UNION SELECT p.id, su.programme_id "
        f"FROM {P} p JOIN split_upload su ON su.upload_id = p.first_upload_id WHERE "
        + unheld.format(pupil="p.id"),
        f"INSERT INTO split_need SELECT DISTINCT y.pupil_id, t.programme_id FROM {PY} y "
        f"JOIN (SELECT school_id, programme_id FROM {enrolment} UNION "
        f"SELECT school_id, programme_id FROM {comparison}) t ON t.school_id = y.school_id "
        "WHERE " + unheld.format(pupil="y.pupil_id"),
        # Held by no programme: no report reads them, and no programme's retention would.
        f"DELETE FROM {PYR} WHERE pupil_year_id IN (SELECT y.id FROM {PY} y WHERE "
        + unheld.format(pupil="y.pupil_id")
        + ")",
        f"DELETE FROM {PY} WHERE " + unheld.format(pupil=f"{PY}.pupil_id"),
        f"DELETE FROM {P} WHERE " + unheld.format(pupil=f"{P}.id"),
    )


def _pseudonyms(cursor, reader, postgres: bool) -> None:
    """split_pupil: each (pupil, programme) with the programme's pseudonym; the pair of each
    pupil's first programme keeps the pupil's row."""
    reader.execute(
        f"SELECT n.old_id, n.programme_id, p.upn_hash FROM split_need n "
        f"JOIN {P} p ON p.id = n.old_id ORDER BY n.old_id, n.programme_id"
    )
    previous = None
    while chunk := reader.fetchmany(BATCH):
        rows = []
        for old_id, programme_id, stored_hash in chunk:
            keeper = old_id != previous
            previous = old_id
            flag = ("t" if keeper else "f") if postgres else keeper
            rows.append((old_id, programme_id, pseudonym(stored_hash, programme_id), flag))
        _write(cursor, "split_pupil (old_id, programme_id, upn_hash, keeper)", rows, postgres)


def _split_pupils(cursor, postgres: bool) -> None:
    """A pupil row for each (pupil, programme), and each result to its programme's pupil."""
    _run(
        cursor,
        "CREATE INDEX split_pupil_old ON split_pupil (old_id, programme_id)",
        *_analyze(postgres, "split_pupil"),
        # The upload that first named the pupil, if the programme's; else the earliest of
        # the programme's uploads that wrote one of its results.
        f"UPDATE split_pupil AS s SET first_upload_id = p.first_upload_id FROM {P} p, "
        "split_upload su WHERE p.id = s.old_id AND su.upload_id = p.first_upload_id "
        "AND su.programme_id = s.programme_id",
        "UPDATE split_pupil AS s SET first_upload_id = m.upload_id FROM (SELECT r.pupil_id, "
        f"sw.programme_id, MIN(r.upload_id) AS upload_id FROM {R} r JOIN split_window sw "
        "ON sw.window_id = r.window_id GROUP BY r.pupil_id, sw.programme_id) m "
        "WHERE m.pupil_id = s.old_id AND m.programme_id = s.programme_id "
        "AND s.first_upload_id IS NULL",
        f"INSERT INTO {P} (programme_id, upn_hash, first_upload_id) "
        "SELECT programme_id, upn_hash, first_upload_id FROM split_pupil WHERE NOT keeper "
        "ORDER BY upn_hash",
        f"UPDATE {P} AS t SET programme_id = s.programme_id, upn_hash = s.upn_hash, "
        "first_upload_id = s.first_upload_id FROM split_pupil s WHERE s.old_id = t.id AND s.keeper",
        f"UPDATE split_pupil AS s SET new_id = p.id FROM {P} p WHERE p.upn_hash = s.upn_hash",
        f"UPDATE {R} AS t SET pupil_id = s.new_id FROM split_window sw, split_pupil s "
        "WHERE sw.window_id = t.window_id AND s.old_id = t.pupil_id "
        "AND s.programme_id = sw.programme_id AND NOT s.keeper",
    )


def _year_targets(cursor, postgres: bool) -> None:
    """split_target: which programme's pupil each pupil year goes to, and the last state of
    it that the programme's own uploads wrote (none if they never changed it); split_chain:
    each write of a programme's, with the one of the same programme before it."""
    has_result = (
        f"EXISTS (SELECT 1 FROM {R} r JOIN split_window sw ON sw.window_id = r.window_id "
        "WHERE r.pupil_id = s.new_id AND sw.programme_id = s.programme_id "
        "AND sw.academic_year = y.academic_year)"
    )
    state = ", ".join(f"{{table}}.{field}" for field in YEAR_FIELDS)
    before = ", ".join(
        f"LAG({field}) OVER (PARTITION BY py_id, programme_id ORDER BY seq) AS before_{field}"
        for field in (*YEAR_FIELDS, "upload_id", "seq")
    )
    _run(
        cursor,
        "CREATE TEMPORARY TABLE split_year_first AS SELECT y.id AS py_id, s.programme_id, "
        f"s.new_id AS new_pupil_id, y.academic_year FROM {PY} y "
        f"JOIN split_pupil s ON s.old_id = y.pupil_id WHERE {has_result}",
        "CREATE INDEX split_year_first_py ON split_year_first (py_id)",
        *_analyze(postgres, "split_year_first"),
        "CREATE TEMPORARY TABLE split_year AS SELECT a.*, "
        "ROW_NUMBER() OVER (PARTITION BY a.py_id ORDER BY a.programme_id) AS place FROM ("
        "SELECT * FROM split_year_first UNION ALL "
        "SELECT y.id, s.programme_id, s.new_id, y.academic_year "
        f"FROM {PY} y JOIN split_pupil s ON s.old_id = y.pupil_id WHERE NOT EXISTS "
        "(SELECT 1 FROM split_year_first f WHERE f.py_id = y.id)) a",
        # Each upload's write of a pupil year: the row as it is (by its upload), and each
        # revision (what the upload before had written).
        "CREATE TEMPORARY TABLE split_state AS "
        f"SELECT y.id AS py_id, su.programme_id, su.seq, y.upload_id, {state.format(table='y')} "
        f"FROM {PY} y JOIN split_upload su ON su.upload_id = y.upload_id UNION ALL "
        "SELECT v.pupil_year_id, su.programme_id, su.seq, v.previous_upload_id, "
        f"{state.format(table='v')} FROM {PYR} v "
        "JOIN split_upload su ON su.upload_id = v.previous_upload_id",
        f"CREATE TEMPORARY TABLE split_chain AS SELECT s.*, {before} FROM split_state s",
        "CREATE INDEX split_chain_py ON split_chain (py_id, programme_id, seq)",
        *_analyze(postgres, "split_year", "split_chain"),
        "CREATE TEMPORARY TABLE split_target AS SELECT t.*, m.last_seq, "
        "CAST(NULL AS BIGINT) AS new_py_id FROM split_year t LEFT JOIN (SELECT py_id, "
        "programme_id, MAX(seq) AS last_seq FROM split_chain GROUP BY py_id, programme_id) m "
        "ON m.py_id = t.py_id AND m.programme_id = t.programme_id",
        *_analyze(postgres, "split_target"),
    )


def _split_years(cursor, postgres: bool) -> None:
    """Each programme's copy of each pupil year, as the programme last wrote it, with the
    revisions of the programme's own uploads."""
    chosen = {field: f"CASE WHEN s.py_id IS NULL THEN y.{field} ELSE s.{field} END"
              for field in YEAR_FIELDS}  # fmt: skip
    last = (
        "LEFT JOIN split_chain s ON s.py_id = t.py_id AND s.programme_id = t.programme_id "
        "AND s.seq = t.last_seq"
    )
    assign = ", ".join(f"{field} = {value}" for field, value in chosen.items())
    fields = ", ".join(YEAR_FIELDS)
    _run(
        cursor,
        f"INSERT INTO {PY} (pupil_id, programme_id, academic_year, {fields}, upload_id) "
        "SELECT t.new_pupil_id, t.programme_id, y.academic_year, "
        f"{', '.join(chosen.values())}, s.upload_id "
        f"FROM split_target t JOIN {PY} y ON y.id = t.py_id {last} WHERE t.place > 1 "
        "ORDER BY t.new_pupil_id",
        f"UPDATE {PY} AS y SET pupil_id = t.new_pupil_id, programme_id = t.programme_id, "
        f"{assign}, upload_id = s.upload_id FROM split_target t {last} "
        "WHERE t.py_id = y.id AND t.place = 1",
        f"UPDATE split_target AS t SET new_py_id = y.id FROM {PY} y "
        "WHERE y.pupil_id = t.new_pupil_id AND y.academic_year = t.academic_year",
        # Each write of the programme's, with what the programme had written before it.
        f"DELETE FROM {PYR} WHERE pupil_year_id IN (SELECT py_id FROM split_target)",
        f"INSERT INTO {PYR} (upload_id, pupil_year_id, {fields}, previous_upload_id) "
        "SELECT c.upload_id, t.new_py_id, "
        + ", ".join(f"c.before_{field}" for field in YEAR_FIELDS)
        + ", c.before_upload_id FROM split_chain c JOIN split_target t "
        "ON t.py_id = c.py_id AND t.programme_id = c.programme_id "
        "WHERE c.before_seq IS NOT NULL",
    )


def split_pupils_by_programme(apps, schema_editor):
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {P} LIMIT 1")
        if cursor.fetchone() is None:
            return
        if postgres:  # joins of a million pupils to a million pupils: let them hash in memory
            cursor.execute("SET LOCAL work_mem = '128MB'")
        _programmes_of_pupils(cursor, apps, postgres)
        with connection.chunked_cursor() as reader:
            _pseudonyms(cursor, reader, postgres)
        _split_pupils(cursor, postgres)
        _year_targets(cursor, postgres)
        _split_years(cursor, postgres)
        for table in TEMPORARY:
            cursor.execute(f"DROP TABLE {table}")
        if postgres:
            # Check the foreign keys of the rows written now, so that the pupil years' table
            # can be altered below in the same transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def refuse_with_pupils(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {P} LIMIT 1")
        if cursor.fetchone() is not None:
            raise RuntimeError(
                "Pupils are now known by each programme's own pseudonym, which cannot be "
                "turned back into the keyed hash of the UPN that pupils were stored by "
                "before: this migration cannot be undone while pupils are stored. Restore "
                "the database from a backup taken before it instead."
            )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_upload_files_expired"),
        ("programmes", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pupil",
            name="programme",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pupils",
                to="programmes.programme",
            ),
        ),
        migrations.AddField(
            model_name="pupilyear",
            name="programme",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programmes.programme",
            ),
        ),
        migrations.RunPython(split_pupils_by_programme, refuse_with_pupils),
        migrations.RemoveConstraint(model_name="pupil", name="pupil_upn_hash_unique"),
        migrations.AddConstraint(
            model_name="pupil",
            constraint=models.UniqueConstraint(
                fields=("programme", "upn_hash"), name="pupil_once_per_programme"
            ),
        ),
        migrations.AlterField(
            model_name="pupilyear",
            name="programme",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programmes.programme",
            ),
        ),
        migrations.AlterField(
            model_name="pupil",
            name="programme",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pupils",
                to="programmes.programme",
            ),
        ),
    ]
