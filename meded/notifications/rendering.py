"""Rendering an email at delivery: the sent-log row keeps what to say (kind, a context of
references), and the worker turns it into a subject, bodies and attachments just before SMTP.

Why: the decision to email is taken inside the caller's transaction, often with a row lock held
(a booking locks its session). Rendering templates or building an .ics there makes everyone
behind the lock wait; a reference costs a few bytes. So the context is stored as JSON with
model instances as `{"$ref": "app_label.model", "pk": 1}` and times in ISO form, and
attachments as the name of a registered builder plus its (referenced) arguments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse

from meded.accounts.models import User

from .kinds import get_kind
from .tokens import unsubscribe_token

REF, DATETIME, DATE, DECIMAL = "$ref", "$datetime", "$date", "$decimal"


class MissingObject(LookupError):
    """What the email was about was deleted before it could be rendered."""


# --- the context as JSON -------------------------------------------------------------------


def dump_context(value: Any) -> Any:
    """A context (or any value in it) as JSON: models by reference, times in ISO form."""
    if isinstance(value, Model):
        return {REF: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, dict):
        return {str(k): dump_context(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [dump_context(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(
        f"An email context holds only models, times, numbers, text and lists of them, "
        f"not {type(value).__name__}: it is rendered later, at delivery."
    )


def _refs(value: Any, found: dict[str, set]) -> None:
    if isinstance(value, dict):
        if REF in value:
            found[value[REF]].add(value["pk"])
            return
        for v in value.values():
            _refs(v, found)
    elif isinstance(value, list):
        for v in value:
            _refs(v, found)


def load_objects(values: Iterable[Any]) -> dict[tuple[str, Any], Model]:
    """Every referenced object of many contexts in one query per model (a worker's batch)."""
    found: dict[str, set] = defaultdict(set)
    for value in values:
        _refs(value, found)
    objects: dict[tuple[str, Any], Model] = {}
    for label, pks in found.items():
        model = apps.get_model(label)
        for pk, obj in model._default_manager.in_bulk(list(pks)).items():
            objects[(label, pk)] = obj
    return objects


def load_context(value: Any, objects: dict[tuple[str, Any], Model] | None = None) -> Any:
    """The inverse of dump_context; raises MissingObject for a deleted reference."""
    if objects is None:
        objects = load_objects([value])
    if isinstance(value, dict):
        if REF in value:
            try:
                return objects[(value[REF], value["pk"])]
            except KeyError:
                raise MissingObject(f"{value[REF]} {value['pk']} no longer exists.") from None
        if DATETIME in value:
            return datetime.fromisoformat(value[DATETIME])
        if DATE in value:
            return date.fromisoformat(value[DATE])
        if DECIMAL in value:
            return Decimal(value[DECIMAL])
        return {k: load_context(v, objects) for k, v in value.items()}
    if isinstance(value, list):
        return [load_context(v, objects) for v in value]
    return value


# --- attachments built at delivery ---------------------------------------------------------

_BUILDERS: dict[str, Callable[..., dict | list[dict]]] = {}


def register_attachment(name: str, builder: Callable[..., dict | list[dict]]) -> None:
    """`builder(**arguments)` returns one {filename, mimetype, content} (or a list of them)."""
    _BUILDERS[name] = builder


def attachment(name: str, **arguments: Any) -> dict:
    """An attachment to build at delivery: `attachment("booking_ics", booking=booking)`."""
    if name not in _BUILDERS:
        raise LookupError(f"Attachment builder {name!r} is not registered.")
    return {"builder": name, "arguments": dump_context(arguments)}


def build_attachments(items: list[dict], objects: dict | None = None) -> list[dict]:
    """Stored attachments as files: built ones are built now, ready ones pass through."""
    files: list[dict] = []
    for item in items or []:
        if "builder" not in item:
            files.append(item)
            continue
        built = _BUILDERS[item["builder"]](**load_context(item["arguments"], objects))
        files.extend(built if isinstance(built, list) else [built])
    return files


# --- templates -----------------------------------------------------------------------------


def _render_plain(template_name: str, context: dict[str, Any]) -> str:
    """Render without HTML escaping: subjects are plain text ("O'Brien", not "O&#x27;Brien")."""
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def render_email(user: User, kind_name: str, context: dict[str, Any] | None = None) -> dict:
    """Subject, text and HTML bodies and headers of one email of a registered kind."""
    kind = get_kind(kind_name)
    ctx = {
        "user": user,
        "recipient": user,
        "society_name": settings.SOCIETY_NAME,
        "site_url": settings.SITE_URL,
        "kind": kind,
        "preferences_url": settings.SITE_URL + reverse("notification_preferences"),
        "support_url": settings.SITE_URL + reverse("support"),
        **(context or {}),
    }
    headers: dict[str, str] = {}
    if kind.optional:
        url = settings.SITE_URL + reverse(
            "unsubscribe", args=[unsubscribe_token(user, kind.category)]
        )
        ctx["unsubscribe_url"] = url
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject = " ".join(_render_plain(f"emails/{kind_name}.subject.txt", ctx).split())
    return {
        "subject": subject[:255],
        "body_text": _render_plain(f"emails/{kind_name}.txt", ctx),
        "body_html": render_to_string(f"emails/{kind_name}.html", ctx),
        "headers": headers,
    }
