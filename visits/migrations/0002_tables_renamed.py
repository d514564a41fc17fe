from django.db import migrations


class Migration(migrations.Migration):
    """The tables moved from schools take this app's names (with the many-to-many tables of a
    record of visit, and the index named after its table)."""

    dependencies = [
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="recordofvisit", table=None),
        migrations.AlterModelTable(name="visitphoto", table=None),
        migrations.AlterModelTable(name="action", table=None),
        migrations.AlterModelTable(name="actionupdate", table=None),
        migrations.AlterModelTable(name="risk", table=None),
        migrations.RenameIndex(
            model_name="recordofvisit",
            new_name="visits_reco_program_2c0f2d_idx",
            old_name="schools_rec_program_3efc80_idx",
        ),
    ]
