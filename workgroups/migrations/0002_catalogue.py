from django.db import migrations

from workgroups.services import work_group_catalogue_ensure


def add_catalogue(apps, schema_editor):
    work_group_catalogue_ensure(apps.get_model("workgroups", "WorkGroupType"))


class Migration(migrations.Migration):
    dependencies = [("workgroups", "0001_initial")]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
