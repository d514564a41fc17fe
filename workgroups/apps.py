from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = "Work groups"
