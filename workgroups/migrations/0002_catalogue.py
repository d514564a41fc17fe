from django.db import migrations


def add_catalogue(apps, schema_editor):
    from workgroups.catalogue import WORK_GROUP_TYPES

    WorkGroupType = apps.get_model("workgroups", "WorkGroupType")
    for fields in WORK_GROUP_TYPES:
        WorkGroupType.objects.update_or_create(name=fields["name"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("workgroups", "0001_initial")]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
