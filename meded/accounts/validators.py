"""What a name may contain: letters as people write them, not characters that hide or reorder.

A bidirectional override (U+202E) makes "Ada‮ecila" read differently than it is stored, a
zero-width space makes two names look identical while differing, and a control character breaks
certificates, CSV exports and emails. All of Unicode's control (Cc), format (Cf), separator
(Zl, Zp), private-use (Co), surrogate (Cs) and unassigned (Cn) characters are refused.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def hidden_characters(text: str) -> list[str]:
    """The refused characters in `text`, as U+XXXX codes, in order of appearance."""
    found = []
    for char in text:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_person_name(value: str) -> None:
    found = hidden_characters(value or "")
    if found:
        raise ValidationError(
            "Names may not contain invisible or direction-changing characters (found "
            f"{', '.join(found)}). Please type your name again.",
            code="hidden_characters",
        )
