"""The records of visit and action plans moved here from schools: the models are new to
Django's state, but their tables are schools' as they were (0002 renames them)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programmes", "0003_enrolment_invitations"),
        ("schools", "0003_visits_moved_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Action',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField()),
                        ('owner', models.CharField(blank=True, max_length=150)),
                        ('due_date', models.DateField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('red', 'Red: off track'), ('amber', 'Amber: at risk'), ('green', 'Green: on track'), ('done', 'Done')], default='green', max_length=5)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='schools.school')),
                    ],
                    options={
                        'db_table': 'schools_action',
                        'ordering': ['school', 'due_date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RecordOfVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visit_date', models.DateField()),
                        ('kind', models.CharField(choices=[('development', 'In-school development'), ('coaching', 'Coaching'), ('lesson_study', 'Lesson study'), ('subject_leader', 'Subject-leader meeting'), ('governor', 'Governor meeting')], max_length=20)),
                        ('length', models.CharField(choices=[('half_day', 'Half day'), ('full_day', 'Full day'), ('hours', 'Hours')], max_length=10)),
                        ('hours', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True)),
                        ('days', models.DecimalField(decimal_places=2, editable=False, max_digits=4)),
                        ('client_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('year_groups', models.JSONField(blank=True, default=list, help_text='0 is Reception.')),
                        ('activities', models.TextField(blank=True)),
                        ('strengths', models.TextField(blank=True, verbose_name='strengths seen')),
                        ('next_steps', models.TextField(blank=True, help_text='One a line: each becomes an action.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('focus_areas', models.ManyToManyField(blank=True, related_name='visits', to='programmes.focusarea')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='programmes.programme')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='schools.school')),
                        ('sle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to=settings.AUTH_USER_MODEL, verbose_name='SLE')),
                        ('staff_worked_with', models.ManyToManyField(blank=True, related_name='visits', to='schools.staffmember')),
                    ],
                    options={
                        'db_table': 'schools_recordofvisit',
                        'verbose_name': 'record of visit',
                        'verbose_name_plural': 'records of visit',
                        'ordering': ['-visit_date'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('progress', models.CharField(choices=[('done', 'Done'), ('in_progress', 'In progress'), ('not_started', 'Not started')], max_length=12)),
                        ('comment', models.TextField(blank=True)),
                        ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='visits.action')),
                        ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_updates', to='visits.recordofvisit')),
                    ],
                    options={
                        'db_table': 'schools_actionupdate',
                        'ordering': ['-visit__visit_date', 'pk'],
                    },
                ),
                migrations.AddField(
                    model_name='action',
                    name='raised_at_visit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions_raised', to='visits.recordofvisit'),
                ),
                migrations.CreateModel(
                    name='Risk',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField()),
                        ('mitigation', models.TextField(blank=True)),
                        ('is_open', models.BooleanField(default=True, verbose_name='still a risk')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risks', to='schools.school')),
                    ],
                    options={
                        'db_table': 'schools_risk',
                        'ordering': ['school', '-is_open', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='VisitPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.ImageField(blank=True, upload_to='visits/%Y/%m/')),
                        ('original', models.FileField(blank=True, upload_to='visits/originals/')),
                        ('status', models.CharField(choices=[('processing', 'Processing'), ('ready', 'Ready'), ('failed', 'Failed')], default='processing', max_length=10)),
                        ('failure', models.CharField(blank=True, max_length=300)),
                        ('caption', models.CharField(blank=True, max_length=200)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='visits.recordofvisit')),
                    ],
                    options={'db_table': 'schools_visitphoto'},
                ),
                migrations.AddIndex(
                    model_name='recordofvisit',
                    index=models.Index(fields=['programme', 'school'], name='schools_rec_program_3efc80_idx'),
                ),
                migrations.AddConstraint(
                    model_name='recordofvisit',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('length', 'hours'), _negated=True), models.Q(('hours__gt', 0), ('hours__isnull', False)), _connector='OR'), name='visit_hours_given_for_hourly_visits', violation_error_message='Give the number of hours for a visit logged in hours.'),
                ),
                migrations.AddConstraint(
                    model_name='recordofvisit',
                    constraint=models.CheckConstraint(condition=models.Q(('days__gte', 0)), name='visit_days_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='actionupdate',
                    constraint=models.UniqueConstraint(fields=('action', 'visit'), name='action_update_once_a_visit'),
                ),
                migrations.AddConstraint(
                    model_name='visitphoto',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['processing', 'ready', 'failed'])), name='visit_photo_status_known'),
                ),
                migrations.AddConstraint(
                    model_name='visitphoto',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'ready'), _negated=True), models.Q(('image', ''), _negated=True), _connector='OR'), name='visit_photo_ready_has_image'),
                ),
                migrations.AddConstraint(
                    model_name='visitphoto',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'processing'), _negated=True), models.Q(('original', ''), _negated=True), _connector='OR'), name='visit_photo_processing_has_original'),
                ),
            ],
            database_operations=[],
        ),
    ]
