"""Erasing a member's account (UK GDPR right to erasure), by the member or by the committee.

The User row is kept but anonymised, never deleted: bookings (attendance counts), published
allocations, anonymous feedback and certificates point at it and must stay consistent. The
core anonymises the account itself (name, email -> a unique tombstone, password, tokens,
sign-ins, email addresses, the sent-email log) and every app erases its own part through the
`erase_member` signal (meded/signals.py). Files are removed after the erasure commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from meded.errors import DomainError
from meded.notifications.models import EmailPreference, SentEmail
from meded.privacy import remove_files_after_commit
from meded.roles import is_committee
from meded.signals import erase_member as erase_member_signal

from .models import User, new_calendar_token
from .personal_data import rows_about

TOMBSTONE_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): nothing is mailed
FORMER_MEMBER = "a former member"


class ErasureError(DomainError):
    pass


@dataclass(frozen=True)
class ErasurePreview:
    """What the committee sees before erasing: the member and the records that point at them."""

    member: User
    records: list[tuple[str, int]]


def preview(actor: User, member: User) -> ErasurePreview:
    _check_committee(actor, member)
    rows = rows_about(member)
    records = sorted(
        (objects[0]._meta.verbose_name_plural.capitalize(), len(objects))
        for objects in rows.values()
        if objects
    )
    return ErasurePreview(member=member, records=records)


def erase_own_account(member: User, password: str) -> User:
    """The member deletes their own account; their password confirms it is them."""
    if member.erased_at:
        raise ErasureError("This account is already erased.")
    if not password or not member.check_password(password):
        raise ErasureError("That is not your password.", "password")
    return _erase(member)


def erase_by_committee(actor: User, member: User) -> User:
    """The committee erases a member (e.g. on a written request), after the preview."""
    _check_committee(actor, member)
    return _erase(member)


def _check_committee(actor: User, member: User) -> None:
    if not is_committee(actor):
        raise ErasureError("Only the committee can erase another member's account.")
    if actor.pk == member.pk:
        raise ErasureError("Delete your own account from your profile page.")
    if member.erased_at:
        raise ErasureError(f"{member} is already erased.")


def _erase(member: User) -> User:
    files: list[str] = []
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.erased_at:
            raise ErasureError("This account is already erased.")
        name, email = member.full_name, member.email
        for _receiver, names in erase_member_signal.send(sender=None, member=member):
            files += names or []
        _scrub_core(member, name, email)
        member.email = f"erased-{secrets.token_hex(8)}@{TOMBSTONE_DOMAIN}"
        member.full_name = ""
        member.name_changed_at = None
        member.calendar_token = new_calendar_token()
        member.set_unusable_password()
        member.is_active = member.is_staff = member.is_superuser = False
        member.last_login = None
        member.erased_at = timezone.now()
        member.save()
        member.groups.clear()
        member.user_permissions.clear()
        remove_files_after_commit(files)
        # A new password hash already ends every sign-in; the rows go too, after the commit
        # (a scan of the session table has no place under the lock).
        transaction.on_commit(lambda: _end_sessions(member.pk))
    return member


def _end_sessions(member_pk: int) -> None:
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(member_pk):
            session.delete()


def _scrub_core(member: User, name: str, email: str) -> None:
    """The core's own records: sign-in addresses, preferences and the email log."""
    EmailAddress.objects.filter(user=member).delete()  # confirmations go with them
    EmailPreference.objects.filter(user=member).delete()
    # The sent log keeps (recipient, kind, object) so nothing is mailed twice; the letters go,
    # and nothing still waiting is sent.
    waiting = [SentEmail.Status.QUEUED, SentEmail.Status.HELD]
    SentEmail.objects.filter(recipient=member, status__in=waiting).update(
        status=SentEmail.Status.CANCELLED
    )
    SentEmail.objects.filter(recipient=member).update(
        to_email="", subject="", body_text="", body_html="", headers={}, attachments=[]
    )
    # Other members' emails that name them (a register, an introduction): the name and address
    # become "a former member" (a name under 3 letters would match inside ordinary words).
    for words in {w for w in (name, email) if len(w) >= 3}:
        for sent in SentEmail.objects.filter(body_text__icontains=words) | SentEmail.objects.filter(
            subject__icontains=words
        ):
            for field in ("subject", "body_text", "body_html"):
                setattr(sent, field, _replace(getattr(sent, field), words))
            sent.save(update_fields=["subject", "body_text", "body_html"])
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(member.pk)
    ).update(object_repr="Former member", change_message="")


def _replace(text: str, words: str) -> str:
    lowered, out, start = text.lower(), [], 0
    while (at := lowered.find(words.lower(), start)) >= 0:
        out += [text[start:at], FORMER_MEMBER]
        start = at + len(words)
    return "".join([*out, text[start:]])
