"""A member's copy of their personal data (UK GDPR right of access): JSON in a ZIP, with files.

Generic over the model graph so every app's records are included without this module importing
them: every row that points at the member (a foreign key or many-to-many to User, one hop), as
Django serialises it, and every file those rows hold. Secrets that are not data about the member
(password hash, feed token) are left out.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict

from django.core.serializers import serialize
from django.db import models
from django.utils import timezone

from .models import User

PRIVATE_FIELDS = {"password", "calendar_token"}


def rows_about(user: User) -> dict[str, list]:
    rows: dict[str, list] = defaultdict(list)
    for relation in User._meta.related_objects:
        model = relation.related_model
        if (
            (relation.many_to_many and not relation.concrete)
            or relation.one_to_many
            or relation.one_to_one
        ):
            queryset = model.objects.filter(**{relation.field.name: user})
        else:
            continue
        label = model._meta.label
        if label.startswith(("auth.", "admin.", "sessions.")):
            continue
        for obj in queryset.order_by("pk").distinct():
            rows[label].append(obj)
    return rows


def personal_data_zip(user: User) -> bytes:
    buffer = io.BytesIO()
    profile = json.loads(serialize("json", [user]))[0]
    for name in PRIVATE_FIELDS:
        profile["fields"].pop(name, None)
    profile["fields"]["groups"] = list(user.groups.values_list("name", flat=True))
    profile["fields"].pop("user_permissions", None)
    data = {"exported_at": timezone.now().isoformat(), "member": profile, "records": {}}
    written: set[str] = set()  # a file two rows point at (a resource and its version) once
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label, objects in sorted(rows_about(user).items()):
            data["records"][label] = json.loads(serialize("json", objects))
            for obj in objects:
                for holder in (obj, *_children_with_files(obj)):
                    _add_files(archive, holder, written)
        archive.writestr("personal-data.json", json.dumps(data, indent=2, default=str))
    return buffer.getvalue()


def _has_files(model) -> bool:
    return any(isinstance(f, models.FileField) for f in model._meta.fields)


def _children_with_files(obj) -> list:
    """Rows one more hop away that hold the files of a member's row (a resource's versions,
    an application's answers)."""
    children = []
    for relation in obj._meta.related_objects:
        if relation.one_to_many and _has_files(relation.related_model):
            children += list(relation.related_model.objects.filter(**{relation.field.name: obj}))
    return children


def _add_files(archive: zipfile.ZipFile, obj, written: set[str]) -> None:
    for field in obj._meta.fields:
        if isinstance(field, models.FileField):
            fieldfile = getattr(obj, field.name)
            if (
                fieldfile
                and fieldfile.name not in written
                and fieldfile.storage.exists(fieldfile.name)
            ):
                written.add(fieldfile.name)
                with fieldfile.open("rb") as handle:
                    archive.writestr(f"files/{fieldfile.name}", handle.read())
