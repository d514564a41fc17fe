"""What every app's named services build on: the fields a service may write, checked; the
whole object validated, then saved."""

from django.db import models, transaction


@transaction.atomic
def fields_write(instance: models.Model, *, fields: dict, allowed: tuple[str, ...]):
    """Give `instance` (new, or stored) `fields`, validate the whole object, then save it and
    its many-to-many fields. Each service names in `allowed` the fields it may write: any other
    name is the caller's mistake, refused before anything is written. A stored object saves
    only the fields given, so an edit never writes back what someone else changed meanwhile."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"{type(instance).__name__} cannot be given {', '.join(unknown)}")
    many = {f.name for f in instance._meta.many_to_many} & fields.keys()
    plain = [name for name in fields if name not in many]
    for name in plain:
        setattr(instance, name, fields[name])
    instance.full_clean()
    if instance._state.adding:
        instance.save()
    elif plain:
        instance.save(update_fields=plain)
    for name in many:
        getattr(instance, name).set(fields[name])
    return instance


def changed_fields(instance: models.Model, fields: dict, names) -> set[str]:
    """Which of `names` an update to `fields` changes, against the stored row rather than
    `instance` (a ModelForm has already given the instance its new values while validating).
    A new instance changes every one of them that is given."""
    wanted = [name for name in names if name in fields]
    if not wanted or instance.pk is None:
        return set(wanted)
    stored = type(instance).objects.filter(pk=instance.pk).values(*wanted).get()
    return {name for name in wanted if getattr(fields[name], "pk", fields[name]) != stored[name]}


def form_changes(form) -> dict:
    """The fields a validated form (the data admin's) changed, for a service that names what
    it updates."""
    return {name: form.cleaned_data[name] for name in form.changed_data}
