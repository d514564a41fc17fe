"""What `programmes` does when the apps below it change something its reports rest on: they
cannot import it, so they send a signal."""

from django.dispatch import receiver

from schools.signals import schools_changed
from workgroups.signals import work_group_changed

from . import services


@receiver(schools_changed, dispatch_uid="programmes.schools_changed")
def _schools_changed(sender, *, school_ids, **kwargs) -> None:
    services.school_programmes_data_changed(school_ids=school_ids)


@receiver(work_group_changed, dispatch_uid="programmes.work_group_changed")
def _work_group_changed(sender, *, programme_id, **kwargs) -> None:
    services.programme_data_changed(programme_id=programme_id)
