"""The demo lecture's script: slides, what is said on each (the captions) and the chapters.

One table feeds both the generator (make_demo_lecture.py draws the slides and times the tone
from it) and the demo data (captions and chapters for each demo recording), so what the
student reads in the captions is always what is on the slide at that moment.
"""

from __future__ import annotations

# (start second, slide heading, slide points, captions said over it: (start, end, text))
SLIDES: list[tuple[int, str, list[str], list[tuple[int, int, str]]]] = [
    (
        0,
        "Welcome and objectives",
        ["What we will cover", "How the session runs"],
        [
            (0, 6, "Welcome, everyone, and thank you for coming."),
            (6, 14, "Today we cover the key facts, two cases and practice questions."),
        ],
    ),
    (
        15,
        "Key facts",
        ["Definitions", "Normal values", "What changes and why"],
        [
            (15, 24, "First, the key facts: the definitions you will be asked for."),
            (24, 34, "Learn the normal values; the rest follows from them."),
        ],
    ),
    (
        35,
        "Case one",
        ["History", "Examination", "Investigations"],
        [
            (35, 44, "Our first case: a patient comes in breathless."),
            (44, 54, "Think about what you would ask first, and why."),
        ],
    ),
    (
        55,
        "Case two",
        ["Interpreting results", "Management"],
        [
            (55, 64, "The second case is about reading the results."),
            (64, 74, "Work out the answer before the next slide."),
        ],
    ),
    (
        75,
        "Practice questions",
        ["Three exam-style questions", "Answers in the slides"],
        [
            (75, 84, "To finish, three exam-style questions."),
            (84, 90, "The answers are in the slides. Good luck!"),
        ],
    ),
]
DURATION_SECONDS = 90


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def chapters() -> str:
    """The tutor's chapter list, one "m:ss Title" a line (the player's format)."""
    return "\n".join(f"{_clock(start)} {heading}" for start, heading, _points, _said in SLIDES)


def captions_vtt(title: str = "") -> bytes:
    """WebVTT captions timed to the lecture (the session's title in the first cue)."""

    def stamp(seconds: int) -> str:
        return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"

    lines = ["WEBVTT", ""]
    for _start, _heading, _points, said in SLIDES:
        for start, end, text in said:
            if start == 0 and title:
                text = f"Welcome to {title}."
            lines += [f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(lines).encode()
