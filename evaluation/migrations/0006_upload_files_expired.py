# Written by hand (not makemigrations): an upload's original file is deleted once checked, and
# an upload whose files were deleted before it was imported is "expired". Neither changes a
# column: the choices and blank live in Django's state only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0005_report_threshold_and_failures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessmentupload",
            name="file",
            field=models.FileField(blank=True, upload_to="assessments/%Y/%m/"),
        ),
        migrations.AlterField(
            model_name="assessmentupload",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting for a worker"),
                    ("validating", "Checking the file"),
                    ("invalid", "Needs correcting"),
                    ("ready", "Checked: confirm to import"),
                    ("importing", "Importing"),
                    ("imported", "Imported"),
                    ("rolling_back", "Rolling back"),
                    ("rolled_back", "Rolled back"),
                    ("failed", "Failed"),
                    ("deleted", "Deleted at the end of retention"),
                    ("expired", "Expired: upload it again"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
    ]
