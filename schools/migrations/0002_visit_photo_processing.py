from django.db import migrations, models

STATUSES = [("processing", "Processing"), ("ready", "Ready"), ("failed", "Failed")]


class Migration(migrations.Migration):
    """Photos are re-encoded by the worker now. Those already kept were re-encoded as they
    were sent, so they are ready."""

    dependencies = [
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitphoto",
            name="failure",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="visitphoto",
            name="original",
            field=models.FileField(blank=True, upload_to="visits/originals/"),
        ),
        migrations.AddField(
            model_name="visitphoto",
            name="status",
            field=models.CharField(choices=STATUSES, default="ready", max_length=10),
        ),
        migrations.AlterField(
            model_name="visitphoto",
            name="status",
            field=models.CharField(choices=STATUSES, default="processing", max_length=10),
        ),
        migrations.AlterField(
            model_name="visitphoto",
            name="image",
            field=models.ImageField(blank=True, upload_to="visits/%Y/%m/"),
        ),
        migrations.AddConstraint(
            model_name="visitphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["processing", "ready", "failed"])),
                name="visit_photo_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="visitphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "ready"), _negated=True),
                    models.Q(("image", ""), _negated=True),
                    _connector="OR",
                ),
                name="visit_photo_ready_has_image",
            ),
        ),
        migrations.AddConstraint(
            model_name="visitphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "processing"), _negated=True),
                    models.Q(("original", ""), _negated=True),
                    _connector="OR",
                ),
                name="visit_photo_processing_has_original",
            ),
        ),
    ]
