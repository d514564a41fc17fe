"""The two writes every app's services build on: validate the whole object, then save."""

from django.db import models, transaction


def _split_many_to_many(model: type[models.Model], fields: dict) -> tuple[dict, dict]:
    many = {f.name for f in model._meta.many_to_many}
    plain = {name: value for name, value in fields.items() if name not in many}
    return plain, {name: value for name, value in fields.items() if name in many}


@transaction.atomic
def model_create(model: type[models.Model], **fields) -> models.Model:
    plain, many = _split_many_to_many(model, fields)
    instance = model(**plain)
    instance.full_clean()
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def model_update(instance: models.Model, **fields) -> models.Model:
    plain, many = _split_many_to_many(type(instance), fields)
    for name, value in plain.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in many.items():
        getattr(instance, name).set(values)
    return instance


def model_save(model: type[models.Model], instance: models.Model | None, **fields):
    """Update `instance` when there is one (an edit page), else create a new `model`."""
    return model_update(instance, **fields) if instance else model_create(model, **fields)


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
