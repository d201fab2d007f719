"""`meded.fragment_memo.Memo`, the one bounded memo of rendered pieces: a piece is rendered
once per key, a full memo starts afresh (it never grows past its bound), and a new key is
rendered anew."""

from meded.fragment_memo import Memo


def test_a_piece_is_rendered_once_per_key_and_the_memo_stays_bounded():
    renders = []
    memo = Memo(2)

    def render(value):
        renders.append(value)
        return f"<p>{value}</p>"

    assert memo.get(("a",), lambda: render("a")) == "<p>a</p>"
    assert memo.get(("a",), lambda: render("again")) == "<p>a</p>"
    assert memo.get(("b",), lambda: render("b")) == "<p>b</p>"
    assert memo.get(("c",), lambda: render("c")) == "<p>c</p>"  # full: starts afresh
    assert len(memo) == 1 and renders == ["a", "b", "c"]
    assert memo.get(("a",), lambda: render("a2")) == "<p>a2</p>"
    memo.clear()
    assert len(memo) == 0
