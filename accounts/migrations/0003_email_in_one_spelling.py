# E-mail addresses in one spelling (lower case), and unique whatever their case; counts for
# the password-reset rate limit.

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def lower_case_addresses(apps, schema_editor):
    """Lower-case every address; refuse, naming them, when two accounts differ only by case,
    since which one the person uses is for a site admin to decide, not a migration."""
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    clashes = list(
        users.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values_list("lowered", flat=True)
    )
    if clashes:
        spellings = [
            ", ".join(users.filter(email__iexact=email).order_by("pk").values_list("email", flat=True))
            for email in clashes
        ]
        raise RuntimeError(
            "These accounts differ only by the case of their e-mail address, and one address "
            "can now have one account only: "
            + "; ".join(spellings)
            + ". Merge or change them (python manage.py shell, or the data admin), then migrate."
        )
    users.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.RunPython(lower_case_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='user_email_unique_ignoring_case', violation_error_message='Another account already uses this e-mail address.'),
        ),
        migrations.CreateModel(
            name='RequestCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40)),
                ('key', models.CharField(max_length=64)),
                ('since', models.DateTimeField()),
                ('count', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddConstraint(
            model_name='requestcount',
            constraint=models.UniqueConstraint(fields=('kind', 'key'), name='request_count_unique_key'),
        ),
    ]
