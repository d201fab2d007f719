from django.conf import settings

from .roles import is_committee, is_tutor


def society(request):
    user = getattr(request, "user", None)
    return {
        "society_name": settings.SOCIETY_NAME,
        "is_committee": is_committee(user) if user else False,
        "is_tutor": is_tutor(user) if user else False,
    }
