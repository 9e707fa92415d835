"""Typographic quotes, dashes and ellipses for editorial texts, as Sphinx's smart quotes give.

Sphinx educates a paragraph as one stream of text, so a note's body, sitting right after the
note's label or a lemma, would open with a closing quote; and what is made after the
transforms (the back matter, the timeline, the bibliography's notes) would keep straight
quotes. Each editorial text is therefore educated on its own, here.

Editorial text also keeps together what a reader reads as one unit: "p. 188" takes a no-break
space (``keep_together``), and a range, "1914–1918", is set in a span that does not break
(``ranges_kept_whole``; no invisible character, so it is copied and found as typed). The
witness's text is never touched: it is not editorial, and its characters are the witness's.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.utils import smartquotes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import is_smartquotable

from .config import get_manifest

#: U+00A0 NO-BREAK SPACE
NBSP = "\u00a0"
#: the class of a span that does not break (``white-space: nowrap`` on screen and in print)
NOBREAK = "ce-nobreak"
#: an abbreviation that goes with the number after it: "p. 188", "pp. 49", "n. 5", "no. 8"
_ABBREVIATION_NUMBER = re.compile(r"(?<![\w.])(pp?|nn?|nos?|vols?|chs?)\. (?=\d)", re.IGNORECASE)
#: a range of numbers ("1914–1918", "49–61", "§28–§30"), or a page written without a space
#: in a quotation ("p.188"), which a line may otherwise break after its full stop
_NUMBER_RANGE = re.compile(r"§?\d+(?:,\d{3})*–§?\d+(?:,\d{3})*|(?<![\w.])pp?\.\d+")
#: a day before its month ("23 October 1938"), which a narrow column may otherwise set
#: as "23 / October 1938"
_DAY_MONTH = re.compile(
    r"(?<![\w.])(\d{1,2}) (?=(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b)"
)


def keep_together(text: str) -> str:
    """Editorial *text* with a no-break space after an abbreviation before its number and
    after a day before its month: a line never ends with "p." before "188" or "23" before
    "October". Only for the editors' own text, never the witness's."""
    if "." in text:
        text = _ABBREVIATION_NUMBER.sub(lambda m: m.group(1) + "." + NBSP, text)
    return _DAY_MONTH.sub(lambda m: m.group(1) + NBSP, text)


def ranges_kept_whole(text: str) -> list[nodes.Node]:
    """*text* as nodes, each range of numbers ("1914–1918", "7,000–10,000") and each "p.18" in
    a span that does not break: a line never ends with "1914–" or "p."."""
    return spans_of_matches(text, _NUMBER_RANGE, NOBREAK)


def spans_of_matches(text: str, pattern: re.Pattern[str], css_class: str) -> list[nodes.Node]:
    """*text* as nodes, each match of *pattern* in an inline of *css_class*, the rest plain
    text (nothing for an empty *text*)."""
    out: list[nodes.Node] = []
    pos = 0
    for found in pattern.finditer(text):
        if found.start() > pos:
            out.append(nodes.Text(text[pos : found.start()]))
        out.append(nodes.inline("", found.group(), classes=[css_class]))
        pos = found.end()
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def next_sentence(before: str) -> str:
    """What goes between *before* and a new sentence: ". ", or a space alone after text that
    ends a sentence already, such as a label ending in an abbreviation ("Lora n.d." → never
    "n.d.. In the texts")."""
    return " " if before.rstrip().endswith((".", "?", "!")) else ". "


def educate_text(text: str, action: str = "qDe", language: str = "en") -> str:
    """*text* educated on its own (no document at hand: the bibliography style), a number kept
    with its abbreviation (``keep_together``)."""
    educated = smartquotes.educate_tokens([("plain", text)], attr=action, language=language)
    return keep_together("".join(educated))


#: double quotation marks and the single ones that stand for them inside a quotation
_NESTED = str.maketrans({"“": "‘", "”": "’"})


def nested_quotes(text: str) -> str:
    """*text*, educated, as it stands inside double quotation marks: a quotation within it in
    single ones (“‘Today a New Stage Begins’: …”), so that no two double marks meet."""
    return text.translate(_NESTED)


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
        keep_units_together(block)
        if isinstance(block, nodes.Element):
            block["support_smartquotes"] = False  # done: the page's transform leaves it alone


def keep_units_together(node: nodes.Node) -> None:
    """``keep_together`` and ``ranges_kept_whole`` on each text under *node* that is prose (not
    code, not an address)."""
    for text in list(node.findall(nodes.Text)):
        if is_smartquotable(text) and not _in_nobreak(text):
            _keep_text_together(text)


def _in_nobreak(text: nodes.Text) -> bool:
    return isinstance(text.parent, nodes.inline) and NOBREAK in text.parent["classes"]


def _keep_text_together(text: nodes.Text) -> None:
    kept = keep_together(str(text))
    parts = ranges_kept_whole(kept) if "–" in kept or "." in kept else [nodes.Text(kept)]
    if kept != str(text) or len(parts) > 1:
        parent = text.parent
        index = parent.index(text)
        parent.remove(text)
        for offset, part in enumerate(parts):
            parent.insert(index + offset, part)


#: a backslash-escaped character in a text node, as Sphinx's SmartQuotes passes it on
_NULL_ESCAPED = re.compile(r"(?<=\x00)([-\\'\".`])")


class KeepUnitsTogether(SphinxTransform):
    """The pages' own prose (introduction, principles …) with its units kept together, after
    Sphinx's smart quotes; a transcription's text (its paragraphs, headings and the author's
    notes, all from its file) is left as the witness has it."""

    default_priority = 760  # after SmartQuotes (750)

    def apply(self, **kwargs: Any) -> None:
        manifest = get_manifest(self.config, self.env.srcdir)
        sources: dict[str, bool] = {}
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            while parent is not None and not parent.source:
                parent = parent.parent
            source = parent.source if parent is not None else None
            if source not in sources:
                sources[source] = manifest.text_for_source(source) is None
            if sources[source] and is_smartquotable(text) and not _in_nobreak(text):
                _keep_text_together(text)


def setup_typography(app: Sphinx) -> None:
    app.add_transform(KeepUnitsTogether)
