"""One way to print a feedback figure, so every page shows the same decimals."""

from django import template

register = template.Library()

PLACES = {"mean": 2, "%": 1}


@register.filter
def figure(value, kind: str = "mean") -> str:
    """A mean or spread with two decimals ("3.67"), a percentage with one ("60.0%"); a blank
    (not shown, or nothing to show) as a dash."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.{PLACES.get(kind, 2)}f}"
    return f"{text}%" if kind == "%" else text
