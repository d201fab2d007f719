"""Test support for mass emails: do an action the committee's way (preview, confirm) and let
the undo window pass, so the emails are written and queued as in production."""

from __future__ import annotations

from meded.notifications import mailings


def confirm_action(actor, action: str, target_id: int, **kwargs):
    """Preview then confirm: the emails are held, nothing is sent yet."""
    shown = mailings.preview(action, target_id)
    return mailings.confirm(actor, action, target_id, expected=shown.fingerprint, **kwargs)


def confirm_and_release(actor, action: str, target_id: int):
    """Preview, confirm, and release as if the undo window had passed."""
    mailing = confirm_action(actor, action, target_id)
    mailings.release_due(now=mailing.release_at)
    mailing.refresh_from_db()
    return mailing


def confirm_on_the_page(client, response):
    """Follow a redirect to a preview page and press its confirm button (as the committee)."""
    preview = client.get(response["Location"])
    assert preview.status_code == 200, preview
    assert "preview" in preview.context, [str(m) for m in preview.context.get("messages", [])]
    data = {"expected": preview.context["preview"].fingerprint, "when": "now"}
    return client.post(response["Location"], data, follow=True)
