"""Read a rendered page as a person or a screen reader does: its text and its elements.

Tests assert on what a page says and is made of, not on how its markup happens to be spelled
(attribute order, entities, whitespace). Standard library only (html.parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HIDDEN = {"script", "style", "template"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        """The element's text, entities decoded and whitespace collapsed."""
        return " ".join("".join(self.parts).split())


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag in HIDDEN:
            self.hidden += 1
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):  # tolerate unclosed inner tags
            if self.open[depth].tag == tag:
                del self.open[depth:]
                if tag in HIDDEN:
                    self.hidden = max(0, self.hidden - 1)
                break

    def handle_data(self, data):
        if self.hidden:
            return
        self.parts.append(data)
        for element in self.open:
            element.parts.append(data)


def _parse(html: str | bytes) -> _Page:
    page = _Page()
    page.feed(html.decode() if isinstance(html, bytes) else html)
    page.close()
    return page


def text(html: str | bytes) -> str:
    """The page's visible text, entities decoded and whitespace collapsed."""
    return " ".join("".join(_parse(html).parts).split())


def elements(html: str | bytes, tag: str | None = None, **attrs: str) -> list[Element]:
    """The elements with this tag (any tag if None) whose attributes have these values
    (`class_` for class: matches one of the element's classes)."""
    found = []
    for element in _parse(html).elements:
        if tag is not None and element.tag != tag:
            continue
        if all(_has(element, name.rstrip("_"), value) for name, value in attrs.items()):
            found.append(element)
    return found


def links(html: str | bytes) -> list[str]:
    """Every link target on the page (href of <a>), in order."""
    return [a.attrs["href"] for a in elements(html, "a") if "href" in a.attrs]


def _has(element: Element, name: str, value: str) -> bool:
    actual = element.attrs.get(name)
    if actual is None:
        return False
    if name == "class":
        return value in re.split(r"\s+", actual.strip())
    return actual == value
