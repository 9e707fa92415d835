"""Each class of problem the check finds in the editorial layer (``loader.py``,
and ``anchoring.py`` on quotes placed by their context): its whole message, path:line
included, on a copy of the project.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DOCS as ROOT_DOCS
from conftest import copy_project
from sphinx_critical_edition.check import check_edition
from units_helpers import ANN, STARTER

BUHS = "    prefix: 'Toro, '\n    body: b\n    readings:\n      - text: Busch\n        lang: es\n"


#: (file appended to, block, [(line offset in the block, message)]); {first:NAME} stands for
#: where the record NAME was first written (path:line)
MESSAGE_CASES = {
    "duplicate id": (
        STARTER,
        ANN.format(id="hottschild", kind="entity", quote="Atamayo", extra="    ref: hochschild\n"),
        [(0, "duplicate id 'hottschild' (first at {first:- id: hottschild})")],
    ),
    "duplicate register id": (
        "register/persons.yaml",
        "  - id: lechin\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n",
        [(0, "duplicate register id 'lechin' (first at {first:- id: lechin})")],
    ),
    "duplicate siglum": (
        "witnesses.yaml",
        "  - siglum: TP\n    held: false\n    seen: none\n    lang: es\n    description: again.\n",
        [(0, "duplicate siglum 'TP' (first at {first:- siglum: TP})")],
    ),
    "a reading under a witness not seen": (
        STARTER,
        ANN.format(id="x1", kind="variant", quote="Buhs", extra=BUHS + "        wit: [S]\n"),
        [
            (
                8,
                "annotation 'x1': a reading under siglum 'S', which the editors have not seen "
                "(seen: none in docs/witnesses.yaml); a guess at what it says is not its reading: "
                "write type: retroversion (or conjecture) with resp and cert instead of wit",
            )
        ],
    ),
    "an emendation's body of spaces": (
        STARTER,
        ANN.format(
            id="x1",
            kind="emendation",
            quote="mainly agricultural",
            extra="    type: regularisation\n    corr: chiefly agricultural\n    body: ' '\n",
        ),
        [(7, "annotation 'x1': the body is empty; say what and why")],
    ),
    "unknown siglum": (
        STARTER,
        ANN.format(id="x1", kind="variant", quote="Buhs", extra=BUHS + "        wit: [Q]\n"),
        [(8, "annotation 'x1': unknown siglum 'Q'; known sigla (docs/witnesses.yaml): {sigla}")],
    ),
    "unknown bibliography key": (
        STARTER,
        ANN.format(
            id="x2",
            kind="note",
            quote="Hottschild",
            extra="    body: b\n    sources: ['bib:nokey']\n",
        ),
        [(6, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "unknown key in a citation": (
        STARTER,
        ANN.format(
            id="x3",
            kind="note",
            quote="Hottschild",
            extra="    body: 'see {cite:p}`nokey`'\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(5, "annotation 'x3': unknown bibliography key 'nokey' in {{cite}}")],
    ),
    "unknown register id": (
        STARTER,
        ANN.format(id="x4", kind="entity", quote="Atamayo", extra="    ref: nobody\n"),
        [(5, "annotation 'x4': unknown register id 'nobody'")],
    ),
    "empty body": (
        STARTER,
        ANN.format(
            id="x5",
            kind="note",
            quote="Hottschild",
            extra="    body: '  '\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(5, "annotation 'x5': the body is empty; say what and why")],
    ),
    "a comment that cites": (
        STARTER,
        ANN.format(
            id="x7",
            kind="variant",
            quote="Buhs",
            extra=BUHS + "        wit: [EO]\n        comment: 'as {cite:p}`sagra2016litci`'\n",
        ),
        [
            (
                11,
                "annotations.{index}.readings.0.comment: a comment cannot cite; give the work in "
                "its sources (bib:KEY)",
            )
        ],
    ),
    "duplicate event id": (
        "chronology.yaml",
        '  - id: decree-21060\n    date: "1985-08-29"\n    title: T\n'
        "    sources: ['bib:sagra2016litci']\n    cert: high\n",
        [(0, "duplicate event id 'decree-21060'")],
    ),
    "a place not in the register": (
        "chronology.yaml",
        '  - id: new-event\n    date: "1990"\n    title: T\n    places: [lechin, nowhere]\n'
        "    sources: ['bib:sagra2016litci']\n    cert: high\n",
        [
            (3, "event 'new-event': 'lechin' is not a place in the register"),
            (3, "event 'new-event': 'nowhere' is not a place in the register"),
        ],
    ),
    "a suffix that does not fit": (
        STARTER,
        ANN.format(
            id="x9",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'Patiño, '\n    suffix: ' and'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x9': quote 'Hottschild' occurs (§16) but never with its suffix "
                "' and'; the text there reads after it ', At'",
            )
        ],
    ),
    "a prefix and a suffix that fit only apart": (
        STARTER,
        ANN.format(
            id="x10",
            kind="entity",
            quote="Juan Lechín Oquendo",
            extra="    prefix: 'including '\n    suffix: ', Edwin'\n    ref: lechin\n",
        ),
        [
            (
                0,
                "annotation 'x10': quote 'Juan Lechín Oquendo' occurs (§4, §25, §35, §44, §66) "
                "but never with its prefix and suffix together",
            )
        ],
    ),
    "a prefix that does not fit, its suffix does": (
        STARTER,
        ANN.format(
            id="x13",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'the Guggenheim, '\n    suffix: ', Atamayo'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x13': quote 'Hottschild' occurs (§16) but never with its prefix "
                "'the Guggenheim, '; the text there reads before it 'hy (the Patiño, '",
            )
        ],
    ),
    "neither prefix nor suffix fits": (
        STARTER,
        ANN.format(
            id="x14",
            kind="entity",
            quote="Hottschild",
            extra="    prefix: 'the '\n    suffix: ' family'\n    ref: hochschild\n",
        ),
        [
            (
                0,
                "annotation 'x14': quote 'Hottschild' occurs (§16) but never with its prefix "
                "'the ' and suffix ' family'; the text there reads before it 'ño, ' and after it "
                "', Atama'",
            )
        ],
    ),
    "a prefix longer than the text before the quote": (
        STARTER,
        ANN.format(
            id="x15",
            kind="note",
            quote="is a living example",
            extra="    prefix: 'Today, Bolivia '\n    body: b\n"
            "    sources: ['bib:sagra2016litci']\n",
        ),
        [
            (
                0,
                "annotation 'x15': quote 'is a living example' occurs (§16) but never with its "
                "prefix 'Today, Bolivia '; the text there reads before it 'Bolivia '",
            )
        ],
    ),
    "ambiguous within the places the suffix fits": (
        STARTER,
        ANN.format(
            id="x16",
            kind="entity",
            quote="Juan Lechín Oquendo",
            extra="    suffix: ','\n    ref: lechin\n",
        ),
        [
            (
                0,
                "annotation 'x16': quote 'Juan Lechín Oquendo' is ambiguous (2 matches: §25, §44); "
                "add prefix, suffix or paragraph",
            )
        ],
    ),
    "unknown key in an event": (
        "chronology.yaml",
        '  - id: new-event\n    date: "1990"\n    title: T\n'
        "    sources: ['bib:nokey']\n    cert: high\n",
        [(3, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "unknown text": (
        "annotations/zz-new.yaml",
        "text: nothing\nannotations:\n"
        + ANN.format(
            id="x8",
            kind="note",
            quote="Hottschild",
            extra="    body: b\n    sources: ['bib:sagra2016litci']\n",
        ),
        [(0, "unknown text 'nothing'; known: pulacayo, sagra")],
    ),
    "unknown key in a register entry": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: X\n    surname: X\n    description: Y.\n"
        "    sources: ['bib:nokey']\n",
        [(0, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "a surname not in the name": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Peres\n"
        "    description: Y.\n    sources: ['bib:sagra2016litci']\n",
        [
            (
                0,
                "surname 'Peres' of 'someone' is not part of its name 'Juan Pérez': write it as "
                "the name spells it",
            )
        ],
    ),
    "a see-reference that is a headword": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Pérez\n"
        "    see_from: ['Trotsky, Leon']\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n",
        [
            (
                4,
                "see_from 'Trotsky, Leon' of 'someone' is the headword of 'trotsky': the register"
                " already prints that name; remove it from see_from",
            )
        ],
    ),
    "a see-reference two entries give": (
        "register/persons.yaml",
        "  - id: someone\n    type: person\n    name: Juan Pérez\n    surname: Pérez\n"
        "    see_from: ['Raptis, Michel']\n    description: Y.\n"
        "    sources: ['bib:sagra2016litci']\n",
        [
            (
                4,
                "see_from 'Raptis, Michel' of 'someone' is also given by 'pablo'"
                " ({first:- id: pablo}): give it once, under the entry the reader should find",
            )
        ],
    ),
    "unknown key in a witness": (
        "witnesses.yaml",
        "  - siglum: ZZ\n    held: false\n    seen: none\n    lang: es\n    description: d.\n"
        "    bib: nokey\n",
        [(0, "unknown bibliography key 'nokey' (add it to docs/references.bib)")],
    ),
    "a note call on an emendation not supplied": (
        STARTER,
        ANN.format(
            id="x19",
            kind="emendation",
            quote="mainly agricultural",
            extra='    type: typo\n    note_call: "1"\n    body: b\n',
        ),
        [(6, "annotation 'x19': note_call needs type: supplied")],
    ),
    "a note call in a text without notes": (
        "annotations/pulacayo.yaml",
        ANN.format(
            id="x18",
            kind="emendation",
            quote="armed pickets",
            extra='    type: supplied\n    note_call: "1"\n    body: b\n'
            "    sources: ['bib:sagra2016litci']\n",
        ),
        [(0, "annotation 'x18': note_call '1': the text has no author's note 1 (its notes: none)")],
    ),
    "YAML syntax": (
        STARTER,
        "  - id: [unclosed\n",
        [(1, "YAML syntax error: did not find expected ',' or ']'")],
    ),
}


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=list(MESSAGE_CASES))
def test_each_message_in_full(tmp_path: Path, case: str) -> None:
    """The whole message, path:line included, for each class of problem the loader finds."""
    name, block, expected = MESSAGE_CASES[case]
    docs = copy_project(tmp_path)
    path = docs / name
    before = path.read_text(encoding="utf-8").rstrip("\n") if path.is_file() else ""
    path.write_text(before + "\n" + block if before else block, encoding="utf-8")
    start = before.count("\n") + 2 if before else 1
    lines = before.splitlines()

    def first(marker: str) -> str:
        return f"{path}:{next(i for i, line in enumerate(lines, 1) if marker in line)}"

    sigla = ", ".join(sorted(check_edition(ROOT_DOCS).layer.witnesses))
    index = before.count("\n  - id: ")
    wanted = []
    for offset, message in expected:
        message = re.sub(r"\{first:([^}]*)\}", lambda m: first(m.group(1)), message)
        message = message.format(sigla=sigla, index=index)
        wanted.append(f"{path}:{start + offset}: {message}")
    assert [str(p) for p in check_edition(docs).problems] == wanted
