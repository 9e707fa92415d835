"""Alphabetical order for readers: accents and case ignored, numbers by value, leading
articles skipped where a list's rule says so.

Code-point order puts "Ávila" after "Zárate" and "Ángel" after "Arturo", and "part 13" before
"part 6"; an index or a bibliography is read in the order of the alphabet and of the numbers,
so every sorted list of the edition (the register, the bibliography) sorts by the same key.
"""

from __future__ import annotations

import re
import unicodedata

#: articles, definite and indefinite, that a name's sort ignores ("The Fourth International"
#: under F, "La Razón" under R, "Un presidente" under P)
ARTICLES = (
    *("the", "a", "an", "el", "la", "los", "las", "le", "les", "il", "o", "os"),
    *("un", "una", "unos", "unas", "une", "uno", "um", "uma"),
)

#: the leading articles of a text whose language is known: a Spanish title's "A" is a
#: preposition ("A Lakeside todos…" under A), an English or Portuguese title's an article
ARTICLES_BY_LANGUAGE = {
    "de": ("der", "die", "das", "ein", "eine"),
    "en": ("the", "a", "an"),
    "es": ("el", "la", "los", "las", "un", "una", "unos", "unas"),
    "fr": ("le", "la", "les", "un", "une"),
    "it": ("il", "lo", "la", "gli", "le", "un", "uno", "una"),
    "pt": ("o", "a", "os", "as", "um", "uma"),
}


def _article_pattern(articles: tuple[str, ...], elided: bool) -> re.Pattern[str]:
    elision = r"|l['’]" if elided else ""
    return re.compile(r"^(?:(?:{})\s+{})".format("|".join(articles), elision))


_ARTICLE = _article_pattern(ARTICLES, elided=True)
#: what may open a title before its first word: emphasis, quotation marks, brackets
_OPENING = re.compile(r"^[^\w]+")
_ARTICLE_IN = {
    language: _article_pattern(articles, elided=language in ("fr", "it"))
    for language, articles in ARTICLES_BY_LANGUAGE.items()
}


#: letters that no decomposition takes apart, spelt out as an index files them ("Encyclopædia"
#: as "Encyclopaedia", before "Encyclopédie"; "Œuvres" as "Oeuvres")
_LIGATURES = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def folded(text: str) -> str:
    """*text* without accents, ligatures and case: "Ávila" and "avila" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_LIGATURES)


#: stands for a comma in a key: it sorts before the space, so a comma ends a heading's first
#: part ("Grant, Ulysses" before "Grant Duff, Mountstuart", as in Chicago's word-by-word order)
_COMMA = "\x00"

#: a number's digits in a key, padded to this width: "6" sorts before "13" (longer numbers, which
#: no title holds, sort as their digits)
_NUMBER_WIDTH = 12


def _by_value(match: re.Match[str]) -> str:
    return match.group().rjust(_NUMBER_WIDTH, "0")


def collation_key(text: str, skip_article: bool = False, language: str = "") -> tuple[str, str]:
    """The key that sorts *text* alphabetically, word by word as indexes are ("García Márquez"
    before "Garcías": a space sorts before any letter; a comma before both), numbers by their
    value ("part 6" before "part 13"), other punctuation ignored; the text itself breaks ties,
    so the order is total and stable. *skip_article*: a leading article ("The", "La"…) is
    ignored, for a title or an organisation's name, never for a name such as "La Paz": the
    articles of *language* where it is known (``ARTICLES_BY_LANGUAGE``), else those of any."""
    key = folded(text).strip()
    if skip_article:  # (after what opens a title: "*The History…*", "“Un militar…”")
        key = _ARTICLE_IN.get(language, _ARTICLE).sub("", _OPENING.sub("", key), count=1)
    # a qualifier in brackets sorts after the name it qualifies: "MNR" before "MNR de Izquierda"
    key = re.sub(r"\([^)]*\)", "", key)
    key = re.sub(r"[^\w\s,]", "", key)
    key = re.sub(r"\s*,\s*", _COMMA, key)
    key = re.sub(r"\s+", " ", key).strip().rstrip(_COMMA)
    return (re.sub(r"\d+", _by_value, key), text)
