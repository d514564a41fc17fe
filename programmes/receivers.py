"""What `programmes` does when `schools`, below it, changes something its reports rest on:
`schools` cannot import it, so it sends a signal."""

from django.dispatch import receiver

from schools.signals import schools_changed

from . import services


@receiver(schools_changed, dispatch_uid="programmes.schools_changed")
def _schools_changed(sender, *, school_ids, **kwargs) -> None:
    services.school_programmes_data_changed(school_ids=school_ids)
