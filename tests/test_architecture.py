"""Rules of the layout that neither ruff nor import-linter can state (issue 17)."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from mathsprog.queueing import task_named

# The shared write helper every named service builds on, and the generic ones it replaced.
GENERIC_WRITES = {"fields_write", "model_save", "model_update", "model_create"}
# Writes straight to the database: a model's or a form's save, a manager's or queryset's.
DIRECT_WRITES = {
    "save", "delete", "create", "bulk_create", "bulk_update", "get_or_create",
    "update_or_create", "update",
}  # fmt: skip
ROOT = Path(settings.BASE_DIR)


def _is_entry_point(path: Path) -> bool:
    """Views, forms, tasks and management commands: the code that must write through a named
    service, whether a module or a package of them."""
    parts = path.parts
    return (
        path.stem in {"views", "forms", "tasks"}
        or "views" in parts[:-1]
        or "forms" in parts[:-1]
        or ("management" in parts and "commands" in parts)
    )


def _project_modules():
    for config in apps.get_app_configs():
        app_path = Path(config.path)
        if app_path.is_relative_to(ROOT) and ".venv" not in app_path.parts:
            yield from (p for p in app_path.rglob("*.py") if "migrations" not in p.parts)


def _generic_writes(path: Path, root: Path = ROOT) -> list[str]:
    """Each use (a call, or the helper passed on to be called) of a generic write helper, and
    each call of a write method (`x.save()`, `Model.objects.create(...)`): an entry point
    writes through a named service only. A dictionary's `update` reads the same, so entry
    points merge dictionaries with `|`."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(node, ast.Name | ast.Attribute) and name in GENERIC_WRITES:
            uses.append((node.lineno, name))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) in DIRECT_WRITES:
            uses.append((node.lineno, f".{node.func.attr}()"))
    return [f"{path.relative_to(root)}:{line} {name}" for line, name in sorted(uses)]


def test_it_finds_the_entry_points_of_every_app():
    found = {p.relative_to(ROOT).as_posix() for p in _project_modules() if _is_entry_point(p)}
    assert {"workgroups/views.py", "evaluation/tasks.py", "evaluation/forms.py"} <= found
    assert "evaluation/management/commands/load_programme.py" in found


def test_it_sees_a_helper_passed_on_as_well_as_called(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("save = model_save\nservices.fields_write(x)\n")
    assert _generic_writes(module, root=tmp_path) == [
        "views.py:1 model_save",
        "views.py:2 fields_write",
    ]


def test_it_sees_a_model_written_directly(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "staff.save()\nStaffMember.objects.create(school=school)\nform.save(commit=False)\n"
        "School.objects.filter(pk=1).update(name='x')\naction.delete()\n"
    )
    assert _generic_writes(module, root=tmp_path) == [
        "views.py:1 .save()",
        "views.py:2 .create()",
        "views.py:3 .save()",
        "views.py:4 .update()",
        "views.py:5 .delete()",
    ]


def test_it_writes_from_views_forms_tasks_and_commands_through_named_services_only():
    uses = [use for p in _project_modules() if _is_entry_point(p) for use in _generic_writes(p)]
    assert uses == []


def _task_names(path: Path) -> set[str]:
    """The tasks a module queues by name ("evaluation.tasks.validate_upload")."""
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"\w+\.tasks\.\w+", node.value)
    }


def test_it_names_only_tasks_that_exist():
    named = {name for path in _project_modules() for name in _task_names(path)}
    assert "evaluation.tasks.validate_upload" in named
    assert [name for name in sorted(named) if not _is_registered(name)] == []


def _is_registered(name: str) -> bool:
    try:
        task_named(name)
    except KeyError:
        return False
    return True
