"""Unit tests of ``loader.py``: the layer's files validated against their schemas,
loaded into records as written and checked across files (duplicates, unknown keys, sigla,
places), the reading going on past a broken file; the text manifest's problems.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import DOCS as ROOT_DOCS
from conftest import copy_project
from sphinx_critical_edition import loader
from sphinx_critical_edition.check import check_edition
from sphinx_critical_edition.errors import EditionError, Problem
from sphinx_critical_edition.filecache import FileCache
from sphinx_critical_edition.inputfiles import parse_yaml
from sphinx_critical_edition.loader import (
    _calendar_problem,
    _check_untrusted,
    line_of,
    load_layer,
    parsed_bibliography,
    read_yaml,
    supplied_segments,
)
from sphinx_critical_edition.model import (
    Annotation,
    ChronologyEvent,
    Located,
    Reading,
    RegisterEntry,
    WitnessSiglum,
)
from sphinx_critical_edition.texts import load_manifest
from units_helpers import ANN, STARTER


def _read(tmp_path: Path, kind: str, text: str) -> list[str]:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    read_yaml(path, kind, problems)
    return [str(p).removeprefix(f"{path}:") for p in problems]


NOTE = """text: sagra
annotations:
  - id: x
    kind: note
    quote: Hottschild
    resp: editors
    cert: high
    sources: ['bib:dunkerley1984rebellion']
"""


def test_schema_messages_in_full(tmp_path: Path) -> None:
    """Each schema error becomes one message at its line, naming the path to the field."""
    assert _read(tmp_path, "annotations", NOTE + "    body: b\n    colour: red\n") == [
        "3: annotations.0: Additional properties are not allowed ('colour' was unexpected); "
        "allowed fields: body, cert, corr, id, kind, note_call, paragraph, prefix, quote, "
        "readings, ref, resp, sources, suffix, type"
    ]
    assert _read(tmp_path, "annotations", NOTE) == [
        "3: annotations.0: 'body' is a required property"
    ]
    assert _read(tmp_path, "annotations", "text: sagra\n") == [
        "1: the file: 'annotations' is a required property"
    ]
    emendation = NOTE.replace("kind: note", "kind: emendation") + "    body: b\n    type: typo\n"
    assert _read(tmp_path, "annotations", emendation) == [
        "3: annotations.0: an emendation needs exactly one of corr (the reading) or note_call"
    ]
    variant = NOTE.replace("kind: note", "kind: variant") + (
        "    body: b\n    readings:\n      - text: la Rosca\n        lang: es\n"
    )
    assert _read(tmp_path, "annotations", variant) == [
        "11: annotations.0.readings.0: a reading needs a witness (wit) or sources"
    ]
    assert _read(tmp_path, "annotations", NOTE.replace("high", "total") + "    body: b\n") == [
        "7: annotations.0.cert: 'total' is not one of ['high', 'medium', 'low']"
    ]
    retroversion = variant + (
        "        type: retroversion\n        resp: editors\n        cert: low\n        wit: [EO]\n"
    )
    assert _read(tmp_path, "annotations", retroversion) == [
        "11: annotations.0.readings.0: a retroversion or conjecture is the editors' reading, "
        "which no witness attests: remove wit (resp says who proposes it)"
    ]
    person = (
        "entries:\n  - id: lechin\n    type: person\n    name: Juan Lechín\n    surname: Lechín\n"
        "    description: Y.\n    dates: '(1914–2001)'\n    sources: ['bib:sagra2016litci']\n"
    )
    dates_alone = (
        "dates are printed in brackets after the name: write the dates alone, without brackets "
        "or a semicolon ('1914–1996'), and any doubt about them in the description ('The birth "
        "year is also given as 1913.')"
    )
    assert _read(tmp_path, "register", person) == [
        f"7: entries.0.dates: '(1914–2001)': {dates_alone}"
    ]
    doubt = person.replace("'(1914–2001)'", "1914–2001; birth also given as 1913")
    assert _read(tmp_path, "register", doubt) == [
        f"7: entries.0.dates: '1914–2001; birth also given as 1913': {dates_alone}"
    ]


INVALID = "  - id: r{i}\n    kind: note\n    quote: q\n    cert: low\n"  # no resp, body, sources


VALID = INVALID + "    resp: editors\n    body: b\n    sources: ['bib:sagra2016litci']\n"


MISSING = ("resp", "body", "sources")


NOT_YET = (
    "50 invalid records are listed above; this one and those after it are not explained yet: "
    "fix those and check again"
)


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert _read(tmp_path, "annotations", "- a\n- b\n") == [
        "1: the file: ['a', 'b'] is not of type 'object'"
    ]


def test_up_to_200_records_are_explained_whole_at_most_500_messages(tmp_path: Path) -> None:
    """A file of up to 200 records is explained whole, in at most 500 messages (here 200
    records of 3 errors each); one of 201 records has its first 50 invalid records explained
    and the 51st named."""
    head = "text: sagra\nannotations:\n"
    found = _read(tmp_path, "annotations", head + "".join(INVALID.format(i=i) for i in range(200)))
    assert len(found) == 500 and not any(NOT_YET in m for m in found)
    assert {m.split(": ", 2)[2] for m in found} == {
        f"{f!r} is a required property" for f in MISSING
    }
    found = _read(tmp_path, "annotations", head + "".join(INVALID.format(i=i) for i in range(201)))
    assert found == [
        f"{3 + 4 * i}: annotations.{i}: {f!r} is a required property"
        for i in sorted(range(50), key=str)
        for f in MISSING
    ] + [f"{3 + 4 * 50}: {NOT_YET}"]


def test_a_long_file_is_explained_by_its_frame_and_first_50_invalid_records(
    tmp_path: Path,
) -> None:
    """Over 200 records: the file without its lists (a wrong field, an unknown list) and the
    first 50 invalid records, skipping valid ones, each at its line with its index."""
    text, line, lines = "text: 5\nextra: [1]\nannotations:\n", 4, {}
    for i in range(300):  # valid, invalid, valid …
        record = (INVALID if i % 2 else VALID).format(i=i)
        text, lines[i], line = text + record, line, line + record.count("\n")
    found = _read(tmp_path, "annotations", text)
    invalid = sorted(range(1, 100, 2), key=str)
    assert found == [
        "1: the file: Additional properties are not allowed ('extra' was unexpected); allowed "
        "fields: annotations, text",
        *(
            f"{lines[i]}: annotations.{i}: {f!r} is a required property"
            for i in invalid
            for f in MISSING
        ),
        "1: text: 5 is not text; quote it",
        f"{lines[101]}: {NOT_YET}",
    ]


FULL = """  - id: every-field
    kind: variant
    quote: Buhs
    prefix: 'Toro, '
    suffix: ', Villarroel'
    paragraph: {paragraph}
    resp: the editors
    cert: medium
    body: A body.
    sources: ['bib:dunkerley1984rebellion', 'https://example.org/a']
    readings:
      - text: Busch
        lang: es
        wit: [EO]
        sources: ['bib:dunkerley1984rebellion']
        cert: low
        comment: A comment.
      - text: Bush
        lang: en
        sources: ['https://example.org/b']
"""


def test_the_loader_keeps_every_field_of_an_annotation(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    path = docs / "annotations" / "sagra-starter.yaml"
    before = path.read_text(encoding="utf-8").rstrip("\n")
    found = check_edition(docs)
    buhs = [s for s in found.spans if s.annotation.quote == "Buhs"]
    assert buhs
    paragraph = buhs[0].unit.key
    path.write_text(before + "\n" + FULL.format(paragraph=paragraph), encoding="utf-8")
    result = check_edition(docs)
    assert result.problems == []
    (ann,) = [a for a in result.layer.annotations if a.id == "every-field"]
    assert (ann.kind, ann.text, ann.quote, ann.prefix, ann.suffix) == (
        "variant",
        "sagra",
        "Buhs",
        "Toro, ",
        ", Villarroel",
    )
    assert str(ann.paragraph) == paragraph
    assert (ann.resp, ann.cert, ann.body) == ("the editors", "medium", "A body.")
    assert ann.sources == ("bib:dunkerley1984rebellion", "https://example.org/a")
    assert ann.at.path == path and ann.at.line == before.count("\n") + 2
    assert ann.readings == (
        Reading("Busch", "es", ("EO",), ("bib:dunkerley1984rebellion",), "low", "A comment."),
        Reading("Bush", "en", (), ("https://example.org/b",), "", ""),
    )
    assert (ann.type, ann.corr, ann.note_call, ann.ref) == ("", "", "", "")


def test_the_witness_words_quoted_are_not_checked_as_markup(tmp_path: Path) -> None:
    """A quote, prefix or suffix is the witness's own text (escaped on output): a text that
    reads "<b>" or "data:" may be quoted. Every other string is checked."""
    data = {"annotations": [{"quote": "a <b> c", "prefix": "data: x", "suffix": "<i>"}]}
    problems: list = []
    _check_untrusted(data, tmp_path / "a.yaml", problems)
    assert problems == []
    data["annotations"][0]["body"] = "<b>bold</b>"
    _check_untrusted(data, tmp_path / "a.yaml", problems)
    assert {p.message.split(":")[0] for p in problems} == {"annotations.0.body"}


def _items(path: Path, key: str, id_key: str = "id") -> list[tuple[int, dict]]:
    """(line, item) for each item of *key* in *path*, read with PyYAML alone; the line is that
    of the item's ``- id:`` (or ``- siglum:``) line, found in the text."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lines = text.splitlines()
    found = []
    for item in data[key]:
        marker = f"- {id_key}: {item[id_key]}"
        line = next(i for i, row in enumerate(lines, 1) if row.strip() in (marker, marker + " "))
        found.append((line, item))
    return found


def test_every_shipped_record_is_loaded_as_written() -> None:
    """Each witness, register entry, chronology event and annotation of the shipped layer,
    read by PyYAML alone, equals its loaded record field by field, with its path and line."""
    layer = check_edition(ROOT_DOCS).layer
    path = ROOT_DOCS / "witnesses.yaml"
    for line, item in _items(path, "witnesses", "siglum"):
        assert layer.witnesses[item["siglum"]] == WitnessSiglum(
            siglum=item["siglum"],
            description=item["description"],
            held=item["held"],
            at=Located(path, line),
            lang=item.get("lang", ""),
            base=item.get("base", False),
            bib=item.get("bib", ""),
            seen=item["seen"],
            extent=item.get("extent", ""),
        )
    entries = 0
    for path in sorted((ROOT_DOCS / "register").glob("*.yaml")):
        for line, item in _items(path, "entries"):
            coords = item.get("coordinates")
            assert layer.register[item["id"]] == RegisterEntry(
                id=item["id"],
                type=item["type"],
                name=item["name"],
                description=item["description"],
                sources=tuple(item["sources"]),
                at=Located(path, line),
                variants=tuple(item.get("variants", ())),
                see_from=tuple(item.get("see_from", ())),
                dates=item.get("dates", ""),
                authority=tuple((item.get("authority") or {}).items()),
                coordinates=tuple(coords) if coords else None,
                surname=item.get("surname", ""),
                marked_at=item.get("marked_at", ""),
            ), item["id"]
            entries += 1
    assert entries == len(layer.register) > 50
    path = ROOT_DOCS / "chronology.yaml"
    events = {e.id: e for e in layer.chronology}
    for line, item in _items(path, "events"):
        assert events[item["id"]] == ChronologyEvent(
            id=item["id"],
            date=str(item["date"]),
            title=item["title"],
            sources=tuple(item["sources"]),
            cert=item["cert"],
            at=Located(path, line),
            end=str(item.get("end", "")),
            description=item.get("description", ""),
            places=tuple(item.get("places", ())),
            mentioned=tuple(item.get("mentioned", ())),
            disputed=item.get("disputed", ""),
            short=item.get("short", ""),
        ), item["id"]
    assert [(e.date, e.id) for e in layer.chronology] == sorted(
        (e.date, e.id) for e in events.values()
    )
    annotations = {a.id: a for a in layer.annotations}
    count = 0
    for path in sorted((ROOT_DOCS / "annotations").glob("*.yaml")):
        text_key = yaml.safe_load(path.read_text(encoding="utf-8"))["text"]
        for line, item in _items(path, "annotations"):
            readings = tuple(
                Reading(
                    r["text"],
                    r["lang"],
                    tuple(r.get("wit", ())),
                    tuple(r.get("sources", ())),
                    r.get("cert", ""),
                    r.get("comment", ""),
                    r.get("type", "witness"),
                    r.get("resp", ""),
                )
                for r in item.get("readings", ())
            )
            assert annotations[item["id"]] == Annotation(
                id=item["id"],
                kind=item["kind"],
                text=text_key,
                quote=item["quote"],
                resp=item["resp"],
                cert=item["cert"],
                at=Located(path, line),
                prefix=item.get("prefix", ""),
                suffix=item.get("suffix", ""),
                paragraph=item.get("paragraph"),
                body=item.get("body", ""),
                sources=tuple(item.get("sources", ())),
                readings=readings,
                type=item.get("type", ""),
                corr=item.get("corr", ""),
                note_call=str(item.get("note_call", "")),
                ref=item.get("ref", ""),
            ), item["id"]
            count += 1
    assert count == len(layer.annotations) > 400
    assert layer.files == [
        ROOT_DOCS / "witnesses.yaml",
        *sorted((ROOT_DOCS / "register").glob("*.yaml")),
        ROOT_DOCS / "chronology.yaml",
        *sorted((ROOT_DOCS / "annotations").glob("*.yaml")),
    ]


def test_a_duplicate_siglum_in_the_middle_skips_only_itself(tmp_path: Path) -> None:
    """The witnesses after a duplicate are still read."""
    docs = copy_project(tmp_path)
    path = docs / "witnesses.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - siglum: ")
    siglum = re.match(r"  - siglum: (\S+)", text[first:]).group(1)
    path.write_text(
        text[:first]
        + f"  - siglum: {siglum}\n    held: false\n    seen: full\n    description: first.\n"
        + text[first:],
        encoding="utf-8",
    )
    result = check_edition(docs)
    line = text[:first].count("\n") + 1
    assert [p.message for p in result.problems][:1] == [
        f"duplicate siglum {siglum!r} (first at {path}:{line})"
    ]
    assert {"E", "S", "TP"} <= set(result.layer.witnesses)  # all read, the later ones too
    assert result.layer.witnesses[siglum].description == "first."


def test_optional_fields_of_a_register_entry_and_a_witness(tmp_path: Path) -> None:
    docs = copy_project(tmp_path)
    for name, block in (
        (
            "register/persons.yaml",
            "  - id: someone\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
            "    sources: ['bib:sagra2016litci']\n    authority: {wikidata: Q1}\n",
        ),
        (
            "witnesses.yaml",
            "  - siglum: NB\n    held: false\n    seen: none\n    description: no bib.\n",
        ),
    ):
        path = docs / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + block, "utf-8")
    layer = check_edition(docs).layer
    assert layer.register["someone"].authority == (("wikidata", "Q1"),)
    witness = layer.witnesses["NB"]
    assert (witness.bib, witness.lang, witness.base, witness.held) == ("", "", False, False)


# Sampled survivors of the mutation runs


def test_an_end_not_in_the_calendar_is_named() -> None:
    """The end of an event is held to the calendar as its date is."""
    item = {"date": "1952-04-09", "end": "1952-04-31"}
    assert _calendar_problem(item) == "end '1952-04-31' is not a day of the calendar"
    assert _calendar_problem({"date": "1952-04-09", "end": "1952-04"}) is None
    assert _calendar_problem({"date": "1952-04-09", "end": "1952-04-09"}) is None  # one day


def test_a_layer_without_a_bibliography_is_incomplete(tmp_path: Path) -> None:
    """Without references.bib (no keys) the layer says so; with keys it is complete."""
    docs = copy_project(tmp_path)
    assert load_layer(docs, ["sagra", "pulacayo"], None)[0].incomplete == {"references.bib"}
    assert load_layer(docs, ["sagra", "pulacayo"], set())[0].incomplete == set()


def test_a_page_with_a_title_and_a_description_in_full(tmp_path: Path) -> None:
    """A web page is named by its title or, where it bears none, by a description: not both."""
    titled = "titles:\n  - url: https://a.example/x\n    title: T\n    description: D.\n"
    assert _read(tmp_path, "web-sources", titled) == [
        "2: titles.0: give the page either its title (printed in quotation marks) or a "
        "description (where it bears no title), not both"
    ]


def test_a_bibliography_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    """The parsed bibliography is kept per file state: a file rewritten with the same size
    (another time stamp), or to the same time stamp (another size), is parsed again."""
    bib = tmp_path / "references.bib"

    def rewrite(key: str, ns: int) -> set[str]:
        bib.write_text(f"@book{{{key},\n  title = {{T}},\n  year = {{2000}},\n}}\n", "utf-8")
        os.utime(bib, ns=(ns, ns))
        return set(parsed_bibliography(bib).entries)

    second = 1_700_000_000_000_000_000
    assert rewrite("aaaa", second) == {"aaaa"}
    assert rewrite("bbbb", second + 1_000_000_000) == {"bbbb"}  # same size
    assert rewrite("cccccc", second + 1_000_000_000) == {"cccccc"}  # same time stamp


def test_a_manifest_s_problems_are_raised_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "texts.yaml"
    path.write_text("witness: {}\ntexts: []\nextra: 1\n", encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        load_manifest(path)
    lines = str(raised.value).split("\n")
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}:") for line in lines), lines


def test_a_supplied_emendation_is_its_quote_with_runs_added() -> None:
    """What a supplied emendation adds is told apart from the words it keeps, also in a long
    quote of repeated words (no character is treated as junk); any other change is None."""
    assert supplied_segments("the mines", "the tin mines") == [
        (False, "the"),
        (True, " tin"),
        (False, " mines"),
    ]
    long_quote = "a " * 150 + "end"
    assert supplied_segments(long_quote, "a " * 150 + "the end") == [
        (False, "a " * 150),
        (True, "the "),
        (False, "end"),
    ]
    assert supplied_segments("the mines", "the tin mine") is None


def test_the_check_goes_on_past_a_broken_register_file_and_a_duplicate_id(tmp_path: Path) -> None:
    """A register file that cannot be read does not end the reading of the others, nor does a
    duplicate id end its file: the problems of the entries after them are found too."""
    docs = copy_project(tmp_path)
    organisations = docs / "register" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8") + "  - [broken\n")
    persons = docs / "register" / "persons.yaml"
    persons.write_text(
        persons.read_text(encoding="utf-8").rstrip("\n")
        + "\n  - id: lechin\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n"
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Peres\n"
        "    description: Y.\n    sources: ['bib:sagra2016litci']\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in check_edition(docs).problems]
    assert any(p.startswith(f"{organisations}:") and "YAML syntax error" in p for p in problems)
    assert any("duplicate register id 'lechin'" in p for p in problems), problems
    assert any("surname 'Peres' of 'someone' is not part of its name" in p for p in problems)


def test_the_check_goes_on_past_a_broken_annotation_file_and_a_duplicate_id(
    tmp_path: Path,
) -> None:
    """An annotation file that cannot be read, or names an unknown text, does not end the
    reading of the others, nor does a duplicate id end its file."""
    docs = copy_project(tmp_path)
    annotations = docs / "annotations"
    (annotations / "a-broken.yaml").write_text("text: sagra\nannotations: [broken\n")
    (annotations / "b-other.yaml").write_text("text: nosuch\nannotations: []\n")
    starter = annotations / "sagra-starter.yaml"
    starter.write_text(
        starter.read_text(encoding="utf-8").rstrip("\n")
        + "\n"
        + ANN.format(id="hottschild", kind="entity", quote="Atamayo", extra="    ref: hochschild\n")
        + ANN.format(id="x2", kind="entity", quote="Atamayo", extra="    ref: nobody\n"),
        encoding="utf-8",
    )
    problems = [str(p) for p in check_edition(docs).problems]
    assert any(p.startswith(f"{annotations / 'a-broken.yaml'}:") for p in problems), problems
    assert any("unknown text 'nosuch'" in p for p in problems), problems
    assert any("duplicate id 'hottschild'" in p for p in problems), problems
    assert any("annotation 'x2': unknown register id 'nobody'" in p for p in problems), problems


# Found untested by mutation testing (session 16)


def test_an_unknown_key_in_a_reading_s_sources_is_named_at_that_reading(tmp_path: Path) -> None:
    """A reading's own sources are checked against the bibliography like the annotation's, and
    the problem names the reading that cites the key, not the annotation's first line."""
    docs = copy_project(tmp_path)
    starter = docs / STARTER
    before = starter.read_text(encoding="utf-8").rstrip("\n")
    readings = (
        "    prefix: 'Toro, '\n    body: b\n    readings:\n"
        "      - text: Busch\n        lang: es\n        wit: [EO]\n"
        "      - text: Bush\n        lang: en\n        wit: [EO]\n        sources: ['bib:nokey']\n"
    )
    starter.write_text(
        before + "\n" + ANN.format(id="x1", kind="variant", quote="Buhs", extra=readings),
        encoding="utf-8",
    )
    second_reading = before.count("\n") + 2 + 11
    assert starter.read_text(encoding="utf-8").splitlines()[second_reading - 1] == (
        "      - text: Bush"
    )
    assert [str(p) for p in check_edition(docs).problems] == [
        f"{starter}:{second_reading}: unknown bibliography key 'nokey' (add it to "
        "docs/references.bib)"
    ]


#: a chronology event with the required fields only, and {extra} lines before its sources
EVENT = (
    '  - id: {id}\n    date: "1990"\n    title: T\n{extra}'
    "    sources: ['bib:sagra2016litci']\n    cert: high\n"
)


def test_the_chronology_check_goes_on_past_a_duplicate_event_and_an_unknown_place(
    tmp_path: Path,
) -> None:
    """A duplicate event id does not end the reading of the chronology, and while the register
    is incomplete (a file of it unreadable) a place it lacks is skipped, but the event's next
    places are still checked: an entry that is there but is not a place is named."""
    docs = copy_project(tmp_path)
    organisations = docs / "register" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8") + "  - [broken\n")
    chronology = docs / "chronology.yaml"
    before = chronology.read_text(encoding="utf-8").rstrip("\n")
    chronology.write_text(
        before
        + "\n"
        + EVENT.format(id="decree-21060", extra="")
        + EVENT.format(id="new-event", extra="    places: [nowhere, lechin]\n"),
        encoding="utf-8",
    )
    start = before.count("\n") + 2
    problems = [str(p) for p in check_edition(docs).problems]
    assert problems[1:] == [
        f"{chronology}:{start}: duplicate event id 'decree-21060'",
        f"{chronology}:{start + 8}: event 'new-event': 'lechin' is not a place in the register",
    ]
    assert problems[0].startswith(f"{organisations}:") and "YAML syntax error" in problems[0]


def test_an_event_with_only_the_required_fields_is_loaded_with_empty_defaults(
    tmp_path: Path,
) -> None:
    docs = copy_project(tmp_path)
    chronology = docs / "chronology.yaml"
    before = chronology.read_text(encoding="utf-8").rstrip("\n")
    chronology.write_text(before + "\n" + EVENT.format(id="new-event", extra=""), encoding="utf-8")
    result = check_edition(docs)
    assert result.problems == []
    (event,) = (e for e in result.layer.chronology if e.id == "new-event")
    assert event == ChronologyEvent(
        id="new-event",
        date="1990",
        title="T",
        sources=("bib:sagra2016litci",),
        cert="high",
        at=Located(chronology, before.count("\n") + 2),
        end="",
        description="",
        places=(),
        mentioned=(),
        disputed="",
        short="",
    )


def test_a_rebuild_parses_no_unchanged_file_of_the_layer_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the last build's store, every unchanged file of the layer (the chronology and the
    annotation files included) comes from the store; without one, each is parsed."""
    docs = copy_project(tmp_path)
    store = tmp_path / "store.pickle"
    first = FileCache(store, "code")
    files = check_edition(docs, cache=first).layer.files
    first.save()
    parsed: list[Path] = []
    parse = loader._parse_and_validate

    def counted(path: Path, kind: str, found: list[Problem]) -> object:
        parsed.append(path)
        return parse(path, kind, found)

    monkeypatch.setattr(loader, "_parse_and_validate", counted)
    assert check_edition(docs, cache=FileCache(store, "code")).ok
    assert [path for path in parsed if path in files] == []
    assert check_edition(docs, cache=FileCache()).ok
    assert [path for path in parsed if path in files] == files


def test_an_unknown_siglum_in_an_edition_without_witnesses_says_there_are_none(
    tmp_path: Path,
) -> None:
    """With no witness listed (the schema allows an empty list), the message says so in words."""
    docs = copy_project(tmp_path)
    (docs / "witnesses.yaml").write_text("witnesses: []\n", encoding="utf-8")
    messages = [p.message for p in check_edition(docs).problems]
    sigla = [m for m in messages if "unknown siglum" in m]
    assert sigla, messages
    assert all(m.endswith("; known sigla (docs/witnesses.yaml): none") for m in sigla), sigla


def test_a_missing_top_level_field_is_named_where_the_mapping_begins(tmp_path: Path) -> None:
    """An error about the whole file (a required field missing) is at the first line of its
    mapping, after the comments above it."""
    path = tmp_path / "register.yaml"
    path.write_text("# The register.\n# Of persons.\n\nentrys: []\n", "utf-8")
    problems: list[Problem] = []
    assert read_yaml(path, "register", problems) is None
    assert [(p.line, p.message) for p in problems] == [
        (
            4,
            "the file: Additional properties are not allowed ('entrys' was unexpected); "
            "allowed fields: entries",
        ),
        (4, "the file: 'entries' is a required property"),
    ]


def test_the_line_of_a_path_is_that_of_its_deepest_key_in_the_file() -> None:
    """A path into a file's data is placed at its deepest key the file has: the mapping's own
    line (after the comments) for none, the record's line for a key it lacks, the list's key
    for a record it lacks."""
    data, problems = parse_yaml("# A register.\nentries:\n  - id: a\n    name: A\n", "x.yaml")
    assert problems == []
    assert line_of(data, ()) == 2
    assert line_of(data, ("entries", 0, "name")) == 4
    assert line_of(data, ("entries", 0, "born")) == 3
    assert line_of(data, ("entries", 5, "name")) == 2


def test_a_file_the_two_validators_disagree_on_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jsonschema-rs says whether a file is valid and the pure-Python validator explains why
    not: should the first refuse a file (or fail on it) that the second finds valid, the file
    is refused all the same, at its first line, naming its schema."""
    path = tmp_path / "persons.yaml"
    path.write_text((ROOT_DOCS / "register" / "persons.yaml").read_text("utf-8"), "utf-8")
    assert read_yaml(path, "register", []) is not None

    def fail(data: object) -> bool:
        raise ValueError("a value JSON has no type for")

    for is_valid in (lambda data: False, fail):
        validator = SimpleNamespace(is_valid=is_valid)
        monkeypatch.setattr(loader, "_fast_validator", lambda kind, v=validator: v)
        problems: list[Problem] = []
        assert read_yaml(path, "register", problems) is None
        assert problems == [Problem(str(path), 1, "the file does not match register.schema.json")]
