"""Signed, login-free unsubscribe tokens (one per member and category)."""

from django.core import signing

SALT = "meded.notifications.unsubscribe"


def unsubscribe_token(user, category: str) -> str:
    return signing.dumps({"u": user.pk, "c": category}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a forged or damaged token."""
    data = signing.loads(token, salt=SALT)
    return int(data["u"]), str(data["c"])
