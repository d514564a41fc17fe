from django.db import migrations


class Migration(migrations.Migration):
    """Records of visit and action plans moved to the visits app (visits 0001 takes them over
    with their tables and data): gone from schools' state only."""

    dependencies = [
        ("schools", "0002_visit_photo_processing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ActionUpdate"),
                migrations.DeleteModel(name="VisitPhoto"),
                migrations.DeleteModel(name="Action"),
                migrations.DeleteModel(name="Risk"),
                migrations.DeleteModel(name="RecordOfVisit"),
            ],
            database_operations=[],
        ),
    ]
