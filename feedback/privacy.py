"""What feedback erases with a member's account: reflections and private portfolio links go;
anonymous responses were never linked to anyone and stay; certificates stay valid, holding
only a digest of the name they were issued to (feedback/services/certificates.forget_holder)."""

from __future__ import annotations

from feedback.models import Certificate
from feedback.portfolio.models import PortfolioLink, Reflection
from feedback.services.certificates import forget_holder


def erase_member(member, **kwargs) -> list[str]:
    Reflection.objects.filter(tutor=member).delete()
    PortfolioLink.objects.filter(tutor=member).delete()
    for cert in Certificate.objects.filter(user=member, holder_erased=False):
        forget_holder(cert)
    return []
