"""Attributes of WeasyPrint replaced for a while, then put back: the one way ``weasy.py`` and
``mending.py`` reach into it.

Each patch is declared once, as ``(owner, name, replacement)``, and the ``with`` gives the
replaced attributes back for the replacements to call (they look the names up when called,
after the ``with`` has bound them)::

    def make_page(*args):
        return original_make_page(*args)

    with patched((page_layout, "make_page", make_page)) as (original_make_page,):
        ...

Whatever happens inside the ``with``, an exception included, every attribute is as it was
afterwards (a WeasyPrint left patched would lay out every later PDF of the process, a test's
included, with the edition's changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

#: a patch: the module or class, the attribute's name, what stands in for it meanwhile
Patch = tuple[Any, str, Any]

_INHERITED = object()  # (the attribute is not the owner's own but a base class's)


@contextmanager
def patched(*patches: Patch, kept: Iterable[dict | list] = ()) -> Iterator[tuple[Any, ...]]:
    """While active, each ``owner.name`` is its replacement; yields the replaced attributes, in
    the order of *patches*. All are restored on exit, and each of *kept* (what the replacements
    remember meanwhile: WeasyPrint's boxes) is emptied.

    A name the owner does not have is an ``AttributeError`` before anything is replaced (a
    WeasyPrint whose internals moved fails loudly, rather than lay out unmended). An attribute
    the owner only inherits is deleted again on exit, so that the class is left as it was.
    """
    for owner, name, _replacement in patches:
        if not hasattr(owner, name):
            raise AttributeError(f"{owner!r} has no attribute {name!r} to patch")
    saved = [(owner, name, vars(owner).get(name, _INHERITED)) for owner, name, _new in patches]
    originals = tuple(getattr(owner, name) for owner, name, _new in patches)
    try:
        for owner, name, replacement in patches:
            setattr(owner, name, replacement)
        yield originals
    finally:
        for owner, name, original in reversed(saved):
            if original is _INHERITED:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        for memory in kept:
            memory.clear()
