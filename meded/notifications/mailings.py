"""Mass emails: an action that writes to many people is previewed, confirmed, held, undoable.

An app registers a `MassAction` (who would receive what, the change itself, how to take the
change back). The committee then goes through three steps, all here:

- `preview(name, target_id)`: the recipients (count and list) and one rendered email per
  variant (accepted / rejected ...). Reads only: no row is written, nothing is sent.
- `confirm(actor, name, target_id, fingerprint=..., send_at=None)`: the emails are rendered
  first, with no lock held; then one transaction applies the action (its own locks and rules),
  records a `Mailing` and writes its emails as *held* until `release_at` (now + the undo
  window, MEDED_UNDO_MINUTES, or a chosen time). The fingerprint of the previewed recipients
  must still match: if the list changed since the preview, nothing happens.
- `undo(actor, mailing_id)`: before `release_at`, the action's undo callback reverts its
  change and the held emails are cancelled (their key is freed, so doing the action again
  writes again).

`release_due()` (a periodic job) derives from the database which held mailings are due and
queues their emails; delivery never claims a held row, so nothing goes before its time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from meded.accounts.models import User
from meded.errors import DomainError

from .kinds import get_kind
from .models import Mailing, SentEmail
from .tasks import deliver_email

MAX_SCHEDULE_DAYS = 60


class MailingError(DomainError):
    """A mass email that cannot be confirmed, or undone, as asked."""


@dataclass
class Letter:
    """One email the action would write: to whom, about what, with which context."""

    user: User
    object_key: str
    context: dict[str, Any]
    variant: str = ""  # e.g. "Accepted": the preview shows one email of each variant
    attachments: list[dict[str, str]] | None = None
    deliver_before: datetime | None = None
    kind: str = ""  # another kind than the action's (an edit: "changed" and waiting-list offers)


@dataclass(frozen=True)
class MassAction:
    """What an app registers for an action that emails many people.

    load(target_id) -> the object acted on (raise its DoesNotExist for a bad id);
    letters(target) -> the emails it would write, changing nothing (raise a DomainError when
      the action cannot be taken now);
    apply(actor, target, letters) -> undo data (JSON): the change itself, called inside the
      confirming transaction; it takes its own row locks and re-checks its rules;
    revert(mailing, undo_data): the change taken back, inside the undo transaction;
    title(target) -> the action in the society's words; back_url(target) -> its page.
    """

    name: str
    verb: str  # the button: "Release decisions"
    kind: str
    load: Callable[[int], Any]
    letters: Callable[[Any], list[Letter]]
    apply: Callable[[User | None, Any, list[Letter]], dict]
    revert: Callable[[Mailing, dict], None]
    title: Callable[[Any], str]
    back_url: Callable[[Any], str]
    explain: str = ""  # what confirming does besides emailing
    extra: dict = field(default_factory=dict)


_ACTIONS: dict[str, MassAction] = {}


def register_action(action: MassAction) -> MassAction:
    get_kind(action.kind)  # the kind must exist
    _ACTIONS[action.name] = action
    return action


def get_action(name: str) -> MassAction:
    try:
        return _ACTIONS[name]
    except KeyError:
        raise LookupError(f"No mass action {name!r}.") from None


def undo_minutes() -> int:
    return settings.MEDED_UNDO_MINUTES


def _kind(action: MassAction, letter: Letter) -> str:
    return letter.kind or action.kind


def fingerprint(letters: list[Letter]) -> str:
    """Who would receive what: confirming checks it so a changed list is previewed again."""
    keys = sorted(f"{letter.user.pk}|{letter.object_key}" for letter in letters)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:32]


@dataclass
class Preview:
    action: MassAction
    target: Any
    title: str
    letters: list[Letter]
    samples: list[tuple[str, dict]]  # (variant, rendered email)
    fingerprint: str

    @property
    def count(self) -> int:
        return len(self.letters)


def preview(name: str, target_id: int) -> Preview:
    """Who would receive what, with one rendered email per variant; writes nothing."""
    from .services import render_email

    action = get_action(name)
    target = action.load(target_id)
    letters = _not_yet_written(action, action.letters(target))
    if not letters:
        raise MailingError("Nobody would receive an email from this action.")
    samples: list[tuple[str, dict]] = []
    seen: set[str] = set()
    for letter in letters:
        if letter.variant not in seen:
            seen.add(letter.variant)
            body = render_email(letter.user, _kind(action, letter), letter.context)
            samples.append((letter.variant, body))
    return Preview(
        action=action,
        target=target,
        title=action.title(target),
        letters=sorted(
            letters, key=lambda letter: (letter.user.full_name.lower(), letter.user.email)
        ),
        samples=samples,
        fingerprint=fingerprint(letters),
    )


def _not_yet_written(action: MassAction, letters: list[Letter]) -> list[Letter]:
    """At most once per (recipient, kind, object): drop the emails the log already holds."""
    written = set(
        SentEmail.objects.filter(
            kind__in={_kind(action, letter) for letter in letters},
            object_key__in={letter.object_key for letter in letters},
        ).values_list("recipient_id", "kind", "object_key")
    )
    return [
        letter
        for letter in letters
        if (letter.user.pk, _kind(action, letter), letter.object_key) not in written
    ]


def _release_at(send_at: datetime | None, now: datetime) -> tuple[datetime, bool]:
    window = now + timedelta(minutes=undo_minutes())
    if send_at is None:
        return window, False
    if timezone.is_naive(send_at):
        raise MailingError("Give the time with its time zone.", field="send_at")
    if send_at < window:
        raise MailingError(
            f"Choose a time at least {undo_minutes()} minutes from now, or send now with the "
            "usual undo window.",
            field="send_at",
        )
    if send_at > now + timedelta(days=MAX_SCHEDULE_DAYS):
        raise MailingError(
            f"Choose a time within {MAX_SCHEDULE_DAYS} days.",
            field="send_at",
        )
    return send_at, True


def confirm(
    actor: User | None,
    name: str,
    target_id: int,
    *,
    expected: str,
    send_at: datetime | None = None,
    now: datetime | None = None,
) -> Mailing:
    """Apply the action and hold its emails until the undo window ends (or `send_at`)."""
    from .selectors import is_enabled
    from .services import render_email

    now = now or timezone.now()
    action = get_action(name)
    release_at, scheduled = _release_at(send_at, now)
    target = action.load(target_id)
    letters = _not_yet_written(action, action.letters(target))
    if not letters:
        raise MailingError("Nobody would receive an email from this action.")
    if fingerprint(letters) != expected:
        raise MailingError(
            "Who would receive this changed since you looked; check the new preview and "
            "confirm again."
        )
    # Rendering is the slow part: done here, before any row is locked.
    rendered = []
    for letter in letters:
        kind = _kind(action, letter)
        enabled = is_enabled(letter.user, get_kind(kind).category)
        body = render_email(letter.user, kind, letter.context) if enabled else None
        rendered.append((letter, kind, body))
    with transaction.atomic():
        undo_data = action.apply(actor, target, letters)
        mailing = Mailing.objects.create(
            action=name,
            kind=action.kind,
            target_key=f"{target._meta.label_lower}:{target.pk}",
            title=action.title(target),
            created_by=actor,
            recipient_count=len(letters),
            release_at=release_at,
            scheduled=scheduled,
            undo_data=undo_data or {},
        )
        already = set(
            SentEmail.objects.filter(
                kind__in={kind for _, kind, _ in rendered},
                object_key__in=[letter.object_key for letter in letters],
            ).values_list("recipient_id", "kind", "object_key")
        )
        SentEmail.objects.bulk_create(
            [
                _row(mailing, letter, kind, body)
                for letter, kind, body in rendered
                if (letter.user.pk, kind, letter.object_key) not in already
            ]
        )
    return mailing


def _row(mailing: Mailing, letter: Letter, kind: str, body: dict | None) -> SentEmail:
    suppressed = {"subject": f"({kind} suppressed)", "body_text": "", "body_html": ""}
    return SentEmail(
        mailing=mailing,
        recipient=letter.user,
        to_email=letter.user.email,
        kind=kind,
        object_key=letter.object_key,
        status=SentEmail.Status.HELD if body else SentEmail.Status.SUPPRESSED,
        attachments=letter.attachments or [],
        deliver_before=letter.deliver_before,
        headers=(body or {}).get("headers", {}),
        **{k: v for k, v in (body or suppressed).items() if k != "headers"},
    )


def undo(actor: User | None, mailing_id: int, *, now: datetime | None = None) -> Mailing:
    """Take the action back while its emails are held; refused once they have gone."""
    now = now or timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None:
            raise MailingError("There is no such mailing.")
        if mailing.state == Mailing.State.UNDONE:
            raise MailingError("This was already undone.")
        if mailing.state == Mailing.State.RELEASED or now >= mailing.release_at:
            raise MailingError(
                "Too late to undo: these emails have been sent. Send a correction instead."
            )
        get_action(mailing.action).revert(mailing, mailing.undo_data)
        mailing.emails.filter(status=SentEmail.Status.HELD).update(
            status=SentEmail.Status.CANCELLED,
            # free the (recipient, kind, object) slot: doing the action again writes again
            object_key=Concat(F("object_key"), Value(f":undone-{mailing.pk}")),
            updated_at=now,
        )
        mailing.emails.filter(status=SentEmail.Status.SUPPRESSED).update(
            object_key=Concat(F("object_key"), Value(f":undone-{mailing.pk}")),
        )
        mailing.state = Mailing.State.UNDONE
        mailing.undone_at = now
        mailing.undone_by = actor
        mailing.save(update_fields=["state", "undone_at", "undone_by"])
    return mailing


def release_due(now: datetime | None = None, **signal_kwargs) -> int:
    """Queue the emails of every held mailing whose time has come; returns how many emails.

    A `periodic_task` receiver (and a beat task): derived from the database, so a missed run
    catches up and a second run finds nothing left to release.
    """
    now = now or timezone.now()
    due = Mailing.objects.filter(state=Mailing.State.HELD, release_at__lte=now)
    queued = 0
    for mailing_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            mailing = (
                Mailing.objects.select_for_update(skip_locked=True)
                .filter(pk=mailing_id, state=Mailing.State.HELD, release_at__lte=now)
                .first()
            )
            if mailing is None:  # undone meanwhile, or another runner has it
                continue
            ids = list(
                mailing.emails.filter(status=SentEmail.Status.HELD).values_list("pk", flat=True)
            )
            SentEmail.objects.filter(pk__in=ids).update(
                status=SentEmail.Status.QUEUED, updated_at=now
            )
            mailing.state = Mailing.State.RELEASED
            mailing.released_at = now
            mailing.save(update_fields=["state", "released_at"])
            transaction.on_commit(lambda ids=ids: _deliver_all(ids), robust=True)
        queued += len(ids)
    return queued


def _deliver_all(ids: list[int]) -> None:
    for pk in ids:
        deliver_email.delay(pk)
