"""Neutral doctree nodes of the editorial layer (TEI names in brackets).

Each subclasses ``nodes.inline`` so that a builder without its own visitor degrades to plain
inline text; ``html.py`` gives the HTML (and PDF) builders their markup.
"""

from __future__ import annotations

from docutils import nodes


class ed_span(nodes.inline):
    """The span an editorial note comments on [note/@target]."""


class app(nodes.inline):
    """A variant: a lemma and its readings [app]."""


class lem(nodes.inline):
    """The base text's reading [lem]."""


class rdg(nodes.inline):
    """Another reading, with its witnesses or sources [rdg]."""


class app_note(nodes.inline):
    """The editors' comment on a variant, shown with its readings [note in app]."""


class choice(nodes.inline):
    """An emendation: the witness's reading and the edition's [choice]."""


class sic(nodes.inline):
    """What the witness has [sic] (empty for supplied text)."""


class corr(nodes.inline):
    """What the edition reads [corr / supplied]."""


class supplied(nodes.inline):
    """Characters the editors add to the witness's words [supplied]."""


class name_ref(nodes.inline):
    """A span naming a register entry [persName / orgName / placeName / term]."""


class beside_text(nodes.Element):
    """What the editors say about a paragraph, placed after it (HTML): its notes, readings and
    reasons, so that the paragraph's own text content is the text alone."""


class readings_box(nodes.Element):
    """A variant's readings (and the editors' comment), the box its lemma opens (HTML)."""


class reason_box(nodes.Element):
    """An emendation's witness reading and reason, the box the emendation opens (HTML)."""


#: nodes whose text is the editors', not the witness's: anchoring offsets skip them
EDITORIAL_NODES: tuple[type[nodes.Node], ...] = (corr, rdg, app_note)
