"""A simple spaced-repetition schedule (Leitner boxes). Pure Python: no Django here.

A wrong answer puts the question in box 0, due again in ten minutes; each right answer moves it
up a box and spaces it further: 1, 3, 7, 21 days, then 60 days once mastered (box 5).
"""

from __future__ import annotations

from datetime import datetime, timedelta

WRONG_AGAIN_AFTER = timedelta(minutes=10)
INTERVALS = [timedelta(days=d) for d in (1, 3, 7, 21, 60)]
MASTERED_BOX = len(INTERVALS)


def next_review(box: int, correct: bool, now: datetime) -> tuple[int, datetime]:
    """The box a question moves to after an answer, and when it is due again."""
    if not correct:
        return 0, now + WRONG_AGAIN_AFTER
    new_box = min(box + 1, MASTERED_BOX)
    return new_box, now + INTERVALS[new_box - 1]


def is_mastered(box: int) -> bool:
    return box >= MASTERED_BOX
