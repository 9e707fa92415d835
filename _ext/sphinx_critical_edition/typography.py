"""Typographic quotes, dashes and ellipses for editorial texts, as Sphinx's smart quotes give.

Sphinx educates a paragraph as one stream of text, so a note's body, sitting right after the
note's label or a lemma, would open with a closing quote; and what is made after the
transforms (the back matter, the timeline, the bibliography's notes) would keep straight
quotes. Each editorial text is therefore educated on its own, here.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.utils import smartquotes
from sphinx.util.nodes import is_smartquotable


def educate_text(text: str, action: str = "qDe", language: str = "en") -> str:
    """*text* educated on its own (no document at hand: the bibliography style)."""
    return "".join(smartquotes.educate_tokens([("plain", text)], attr=action, language=language))


def typographic(text: str, document: nodes.document) -> str:
    """A plain editorial string (a chronology title) with the quotes and dashes of the rest."""
    para = nodes.paragraph("", text)
    educate([para], document)
    return para.astext()


def educate(blocks: list[nodes.Node], document: nodes.document) -> None:
    """One text's parsed *blocks* educated on their own (with the project's smart-quotes
    settings), then marked so that the page's transform leaves them alone."""
    config = document.settings.env.config
    excluded = config.smartquotes_excludes
    if (
        config.smartquotes
        and document.settings.env._builder_cls.name not in excluded.get("builders", [])
        and config.language not in excluded.get("languages", [])
    ):
        texts = [text for block in blocks for text in block.findall(nodes.Text)]
        tokens = (
            ("plain", _NULL_ESCAPED.sub(r"\\\1", str(text)))
            if is_smartquotable(text)
            else ("literal", text.astext())
            for text in texts
        )
        educated = smartquotes.educate_tokens(
            tokens, attr=config.smartquotes_action, language=document.settings.language_code
        )
        for text, new in zip(texts, educated, strict=True):
            text.parent.replace(text, nodes.Text(new))
    for block in blocks:
        if isinstance(block, nodes.Element):
            block["support_smartquotes"] = False  # done: the page's transform leaves it alone


#: a backslash-escaped character in a text node, as Sphinx's SmartQuotes passes it on
_NULL_ESCAPED = re.compile(r"(?<=\x00)([-\\'\".`])")
