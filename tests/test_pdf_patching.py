"""``pdf/patching.py``: WeasyPrint's attributes replaced while a ``with`` lasts, then restored."""

from __future__ import annotations

import types

import pytest
from sphinx_critical_edition.pdf.patching import patched


class Base:
    def inherited(self) -> str:
        return "base"


class Owner(Base):
    def own(self) -> str:
        return "own"


def test_each_patch_holds_inside_and_is_restored_after() -> None:
    module = types.SimpleNamespace(layout=len)
    own, inherited = Owner.__dict__["own"], Owner.inherited
    with patched(
        (module, "layout", sum),
        (Owner, "own", lambda self: "patched own"),
        (Owner, "inherited", lambda self: "patched inherited"),
    ) as originals:
        assert originals == (len, own, inherited)  # for the replacements to call
        assert module.layout is sum
        assert (Owner().own(), Owner().inherited()) == ("patched own", "patched inherited")
    assert module.layout is len
    assert Owner.__dict__["own"] is own
    assert "inherited" not in Owner.__dict__  # left to the base class again, not copied down
    assert Owner.inherited is inherited


def test_an_exception_inside_restores_every_patch() -> None:
    module = types.SimpleNamespace(first=1, second=2)
    with (
        pytest.raises(RuntimeError, match="layout failed"),
        patched((module, "first", "one"), (module, "second", "two")),
    ):
        raise RuntimeError("layout failed")
    assert (module.first, module.second) == (1, 2)


def test_the_same_attribute_patched_twice_over_is_restored_in_turn() -> None:
    module = types.SimpleNamespace(make_page="weasyprint's")
    with patched((module, "make_page", "outer")):
        with patched((module, "make_page", "inner")):
            assert module.make_page == "inner"
        assert module.make_page == "outer"
    assert module.make_page == "weasyprint's"


def test_a_name_the_owner_lacks_fails_before_anything_is_replaced() -> None:
    module = types.SimpleNamespace(kept=1)
    with (
        pytest.raises(AttributeError, match="'renamed_in_weasyprint_71'"),
        patched((module, "kept", 2), (module, "renamed_in_weasyprint_71", 3)),
    ):
        pass  # pragma: no cover
    assert module.kept == 1 and not hasattr(module, "renamed_in_weasyprint_71")
