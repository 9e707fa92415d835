"""Unit tests of ``safety.py``: the markup allowlists of editorial text and of
transcriptions (checked on MyST's tokens), links, and the line of a layer file where a refused
construct is written.

Written to kill mutants ``tox -e mutate`` found alive (``tests/mutation/survivors.txt``), each
pinning one behaviour; no Sphinx build, so they run in the mutation run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from sphinx_critical_edition.errors import Problem
from sphinx_critical_edition.safety import (
    EDITORIAL,
    TRANSCRIPTION,
    TRANSCRIPTION_EXTENSIONS,
    Refusal,
    checking_parser,
    field_problems,
    line_in_file,
    link_refusal,
    markup_refusals,
    normalised_url,
    refusals,
    transcription_refusals,
    unsafe_reason,
)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("A note with [a link](https://example.org) and *emphasis*.", None),
        ("http://example.org in a [link](http://example.org)", None),
        ("1 < 2 & 3 > 2, <= and >=", None),
        ("a mail link [x](mailto:a@example.org)", "only http(s) and internal links are allowed"),
        ("[x]( ftp://example.org)", "only http(s) and internal links are allowed, not ftp:"),
        ("<ftp://example.org", "only http(s) and internal links are allowed, not ftp:"),
        ("< https://example.org", None),
        ("[x](< https://example.org)", None),
        ("[x](<ftp://example.org)", "only http(s) and internal links are allowed, not ftp:"),
        ("<https://example.org>", "raw HTML is not allowed"),  # autolinks read as tags
        ("<b>bold</b>", "raw HTML is not allowed"),
        ("</ i>", "raw HTML is not allowed"),
        ("< !-- comment -->", "raw HTML is not allowed"),
        ("<?php ?>", "raw HTML is not allowed"),
        ("javascript :alert(1)", "javascript:, vbscript: and data: links are not allowed"),
        ("VBScript:msgbox", "javascript:, vbscript: and data: links are not allowed"),
        ("see data: the table", "javascript:, vbscript: and data: links are not allowed"),
        ("metadata: fine", None),
        ("[x](HTTPS://example.org)", None),
    ],
)
def test_unsafe_reason(value: str, reason: str | None) -> None:
    found = unsafe_reason(value)
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def test_unsafe_reason_messages_in_full() -> None:
    assert unsafe_reason("<i>x</i>") == (
        "raw HTML is not allowed (write MyST: *emphasis*, [text](https://…), {cite}`key`)"
    )
    assert unsafe_reason("[x](ftp://a)") == "only http(s) and internal links are allowed, not ftp:"
    assert unsafe_reason("<Ftp://a") == "only http(s) and internal links are allowed, not Ftp:"


@pytest.mark.parametrize("href", ["#p12", "theses.md#p3", "sagra.md", "https://a.org", "HTTP://a"])
def test_a_link_to_the_web_or_into_the_edition_is_allowed(href: str) -> None:
    assert link_refusal(href) is None


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("", "the link '' is not allowed"),
        ("../secret.txt", "the link '../secret.txt' is not allowed"),
        ("/etc/passwd", "the link '/etc/passwd' is not allowed"),
    ],
)
def test_a_link_to_a_file_is_refused_in_full(href: str, message: str) -> None:
    assert link_refusal(href) == (
        f"{message}: a link goes to an http(s) address or to a place in the edition (#p12, "
        "theses.md#p3), never to a file or a path"
    )


def test_a_link_with_another_scheme_is_refused_in_full() -> None:
    assert link_refusal("JavaScript:alert(1)") == (
        "the link 'javascript:alert(1)': javascript:, vbscript: and data: links are not allowed"
    )
    assert link_refusal("data:text/html,x") == (
        "the link 'data:text/html,x': javascript:, vbscript: and data: links are not allowed"
    )
    assert link_refusal("ftp://a.org") == (
        "the link 'ftp://a.org': only http(s) and internal links are allowed, not ftp:"
    )


def test_a_construct_refused_in_a_description_in_full(tmp_path: Path) -> None:
    """A construct named by the allowlist (a heading, a list) in a field that cannot cite: the
    allowlist's message, at the construct's line in the file."""
    path = tmp_path / "register.yaml"
    path.write_text("entries:\n  - description: |\n      A.\n\n      # Heading\n", "utf-8")
    where = ("entries", 0, "description")
    assert field_problems(path, where, "A.\n\n# Heading\n", 2) == [
        Problem(
            str(path),
            5,
            "entries.0.description: a heading (#) is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        )
    ]
    assert [p.line for p in field_problems(path, where, "A.\n\n- item\n", 2)] == [5]
    # nothing written names a heading or a list: placed by its line, not by a search
    assert [(r.line, r.found) for r in markup_refusals("# Heading\n\n- item\n")] == [
        (0, ""),
        (2, ""),
    ]


BLOCKS = (
    "entries:\n"  # 1
    "  - id: a\n"  # 2
    "    description: |\n"  # 3
    "      First line.\n"  # 4
    "\n"  # 5
    "      <b>x</b> here\n"  # 6
    "  - id: b\n"  # 7
    "    description: >\n"  # 8
    "      folded <i>text</i>\n"  # 9
    "      more\n"  # 10
    "  - id: c\n"  # 11
    "    description: 'quoted\n"  # 12
    "      <i>y</i>'\n"  # 13
    "    note: plain\n"  # 14
)


def test_line_in_file_names_the_line_of_the_construct(tmp_path: Path) -> None:
    """A refusal in a layer file is named at the line where its construct is written, looked
    for within the field's own lines; else where the field's text begins (a literal block
    keeps its lines); a field the file lacks, or a file that cannot be read, gets the key's
    line."""
    path = tmp_path / "register.yaml"
    path.write_text(BLOCKS, encoding="utf-8")

    def line(where: tuple, found: str = "", at: int = 0) -> int:
        return line_in_file(path, ("entries", *where), Refusal(at, found, "m"), 99)

    assert line((0, "description"), "<b") == 6
    assert line((0, "description"), at=2) == 6  # the text's third line
    assert line((1, "description"), "<i") == 9
    assert line((1, "description"), at=1) == 9  # folded: its first line
    assert line((2, "description"), "<i") == 13
    assert line((2, "description"), at=1) == 12  # quoted: where it begins
    assert line((2, "description"), "<b") == 12  # elsewhere in the file: not this field's
    assert line((2, "description"), "plain") == 12  # on the line after the field
    assert line((2, "note"), "plain") == 14
    assert line((3, "description"), "<b") == 99  # no fourth entry
    assert line((0, "body"), "<b") == 99  # no such field
    assert line(("0", "description"), "<b") == 99  # a list has no key "0"
    assert line((0,), "<b") == 99  # not a text
    assert line_in_file(path, ("entries", 0, "description"), Refusal(0, "<b", "m"), 99) == 6
    for text in ("entries: [\n", "entries:\n  - \xff\n"):
        path.write_text(text, encoding="latin-1")
        assert line((0, "description"), "<b") == 99  # not YAML, not UTF-8
    missing = tmp_path / "missing.yaml"
    assert line_in_file(missing, ("entries",), Refusal(0, "<b", "m"), 99) == 99


def test_line_in_file_reads_a_file_rewritten_in_place(tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(BLOCKS, encoding="utf-8")
    where, refusal = ("entries", 0, "description"), Refusal(0, "<b", "m")
    assert line_in_file(path, where, refusal, 99) == 6
    path.write_text("\n\n" + BLOCKS, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert line_in_file(path, where, refusal, 99) == 8


def test_raw_html_is_named_by_its_first_line_and_tag() -> None:
    """The message quotes the HTML's first line (at most 60 characters); the tag is what the
    check looks for to find the line in the layer file."""
    instead = EDITORIAL.instead
    (block,) = markup_refusals('A note.\n\n<div class="x">\nsecond\n</div>\n')
    assert (block.line, block.found) == (2, "<div")
    assert block.message == (
        f"raw HTML is not allowed in editorial text (found '<div class=\"x\">'); {instead}"
    )
    (inline,) = markup_refusals("<p>" + "x" * 80 + "</p>")
    assert inline.found == "<p"
    assert f"(found '<p>{'x' * 57}');" in inline.message


# Sampled survivors of the mutation runs


def test_a_string_at_the_top_of_a_file_is_checked_as_plain_text() -> None:
    """A value with no key above it (an empty path) is held to ``unsafe_reason``."""
    assert [str(p) for p in field_problems(Path("f.yaml"), (), "javascript:alert(1)", 1)] == [
        f"f.yaml:1: : {unsafe_reason('javascript:alert(1)')}"
    ]


def test_a_directive_s_option_block_keeps_the_lines_below_in_place() -> None:
    """The ``---`` options of an allowed directive are blanked, not removed: a construct below
    them is named at its own line."""
    text = ":::{text-part}\n---\nlabel: x\n---\nline A\n\n<br> x\n:::\n"
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(6, "<br")]


def test_a_directive_inside_a_directive_is_parsed_with_the_page_s_syntax() -> None:
    """The content of a nested directive is parsed as its page is: without colon fences,
    ``:::{note}`` is a paragraph, not a directive."""
    text = "````{text-part}\n```{text-part}\n:::{note}\nx\n:::\n```\n````\n"
    assert transcription_refusals(text, extensions=()) == []
    assert [r.found for r in transcription_refusals(text)] == ["{note}"]


def test_a_construct_after_a_line_break_is_named_at_its_line() -> None:
    """A paragraph's line breaks count: raw HTML on its second line is on line 1 (from 0)."""
    assert [(r.line, r.found) for r in markup_refusals("a\n<br> two")] == [(1, "<br")]


def test_a_url_is_decoded_four_times_at_most() -> None:
    """Decoding stops after four rounds: a fivefold-escaped "A" stays escaped once."""
    assert normalised_url("%2525252541") == "%41"
    assert normalised_url("%25252541") == "A"


def test_a_script_link_in_a_literal_block_is_named_where_its_text_begins(tmp_path: Path) -> None:
    """A script address the allowlist's parser does not read as a link (plain text) is still
    refused, at the first line of the block's text: a literal block keeps its lines."""
    path = tmp_path / "annotations.yaml"
    path.write_text(
        "annotations:\n  - body: |\n      First line.\n      javascript:alert(1)\n", "utf-8"
    )
    where = ("annotations", 0, "body")
    value = "First line.\njavascript:alert(1)\n"
    assert field_problems(path, where, value, 2) == [
        Problem(
            str(path),
            3,
            "annotations.0.body: javascript:, vbscript: and data: links are not allowed",
        )
    ]


def test_a_refusal_found_on_its_own_line_stays_there() -> None:
    """A construct is looked for on the lines above its token's only when its token's line
    does not show it (a block's attributes): the second of two HTML blocks is named at its own
    line, not at the first one's."""
    found = transcription_refusals("<div>a</div>\n\n<div>b</div>\n")
    assert [(r.line, r.found) for r in found] == [(0, "<div"), (2, "<div")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a --- block of options: blanked up to its closing line, the lines below in place
        (":::{text-part}\n---\nlabel: x\n---\n***\n:::\n", [(4, "")]),
        (":::{text-part}\n---\nlabel: x\n---\nline\n\n***\n:::\n", [(6, "")]),
        # a --- block never closed: all of the content is options
        (":::{text-part}\n---\nlabel: x\n:::\n", []),
        (":::{text-part}\n---\nlabel: x\n***", []),  # to the last line, the text's too
        # :name: options are not read as text, whatever they hold
        (":::{text-part}\n:label: <x>\n***\n:::\n", [(2, "")]),
        # blanked, not replaced: a line of text there would make the code below part of it
        (":::{text-part}\n:label: x\n    code\n:::\n", [(2, "")]),
    ],
)
def test_a_directive_s_options_are_blanked_in_place(text: str, expected: list) -> None:
    """A construct that names nothing written (a rule: no line to look for) is placed by its
    token alone, so the lines of the options must stay where they are."""
    assert [(r.line, r.found) for r in transcription_refusals(text)] == expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{style="x"}\nParagraph.\n', 0),  # on the first line of the text
        ('{style="x"}\n{.b}\nParagraph.\n', 0),  # two lines above
        ('{style="x"}\nParagraph\ncontinues with style.\n', 0),  # above, not below
        ('{style="x"}\n{.b}\n{.c}\n{.d}\nParagraph.\n', 4),  # more than 3 lines above
    ],
)
def test_a_block_s_attribute_is_named_on_its_own_line_above_the_block(text: str, line: int) -> None:
    """A block's attributes are written on up to three lines above it: a refused attribute
    is named where it is written, looked for upwards; further up, at the block."""
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(line, "style")]


# Found untested by mutation testing (session 16)


def test_editorial_text_may_cite_unless_told_otherwise() -> None:
    """A body may cite; with ``cite=False`` (a comment, a description) the role is refused."""
    text = "See {cite:p}`sagra2016`."
    assert markup_refusals(text) == []
    assert [(r.line, r.found) for r in markup_refusals(text, cite=False)] == [(0, "{cite:p}")]


def test_only_a_render_s_own_block_breaks_pass() -> None:
    """The bodies of one file are rendered together, separated by ``+++ ce-body``: that break
    passes, any other block break is refused, and the text after a break is still checked."""
    text = "A.\n\n+++ ce-body\n\nB <b>x</b>\n\n+++ other\n"
    tokens = checking_parser().parse(text)
    broken = f"a block break (+++) is not allowed in editorial text; {EDITORIAL.instead}"
    render = refusals(tokens, EDITORIAL, allow_breaks=True)
    assert [(r.line, r.found) for r in render] == [(4, "<b"), (4, "</b"), (6, "")]
    assert render[-1].message == broken
    alone = refusals(tokens, EDITORIAL)  # a text parsed on its own holds no break
    assert [(r.line, r.found) for r in alone] == [(2, ""), (4, "<b"), (4, "</b"), (6, "")]
    assert alone[0].message == broken


def test_a_construct_before_a_code_block_is_still_refused() -> None:
    """Every refusal of a text is kept: raw HTML, then a code block."""
    assert [(r.line, r.found) for r in markup_refusals("<b>x</b>\n\n```\ncode\n```\n")] == [
        (0, "<b"),
        (0, "</b"),
        (2, ""),
    ]


def test_a_construct_the_allowlist_does_not_name_is_named_by_its_token() -> None:
    """A construct without a name of its own (amsmath, if a ``conf.py`` enables it) is
    refused under markdown-it's name for it, at its line; a named one (a span) by its name."""
    assert transcription_refusals("a\n[x]{.a}") == [
        Refusal(
            1,
            "",
            "a span with attributes ([…]{…}) is not allowed in a transcription; "
            f"{TRANSCRIPTION.instead}",
        )
    ]
    text = "x\n\n\\begin{equation}\ny\n\\end{equation}\n"
    assert transcription_refusals(text, (*TRANSCRIPTION_EXTENSIONS, "amsmath")) == [
        Refusal(2, "", f"amsmath is not allowed in a transcription; {TRANSCRIPTION.instead}")
    ]


def test_hard_line_breaks_count_as_lines() -> None:
    """A backslash and two final spaces break a line as a new line does: the HTML after two
    hard breaks and a soft one is on the fourth line (3, from 0)."""
    text = "a\\\nb  \nc\n<b>x</b>"
    assert [(r.line, r.found) for r in markup_refusals(text)] == [(3, "<b"), (3, "</b")]


def test_an_allowed_inline_construct_has_its_attributes_checked() -> None:
    """A link may stand in a transcription, but not with an attribute outside the allowlist
    (named at its line); a refused construct is refused once, not again for its attributes."""
    assert transcription_refusals("x\n[a](#b){lang=en}") == [
        Refusal(
            1,
            "lang",
            f"the attribute lang='en' is not allowed in a transcription; {TRANSCRIPTION.instead}",
        )
    ]
    assert [r.message for r in markup_refusals("![a](https://example.org/i.png)")] == [
        f"an image is not allowed in editorial text; {EDITORIAL.instead}"
    ]


def test_a_refused_link_escaped_after_its_first_40_characters_is_found_at_its_line(
    tmp_path: Path,
) -> None:
    """A refused link is looked for in the file by its first 40 characters as a browser reads
    them: an escape after them (``&#98;``) does not hide the line the link is on."""
    href = "javascript:" + "a" * 29 + "&#98;"
    path = tmp_path / "notes.yaml"
    path.write_text(f"notes:\n  - body: >\n      A note.\n      See [x]({href}).\n", "utf-8")
    value = yaml.safe_load(path.read_text("utf-8"))["notes"][0]["body"]
    (problem,) = field_problems(path, ("notes", 0, "body"), value, 2)
    assert problem.line == 4
    assert "javascript:, vbscript: and data: links are not allowed" in problem.message


def test_an_unknown_citation_role_in_a_body_is_named_as_a_role(tmp_path: Path) -> None:
    """A body may cite, so a role that only looks like a citation is refused as a role, not
    with the message for a field that cannot cite."""
    path = tmp_path / "notes.yaml"
    path.write_text("annotations:\n  - body: See {cite:x}`k`.\n", "utf-8")
    assert field_problems(path, ("annotations", 0, "body"), "See {cite:x}`k`.", 2) == [
        Problem(
            str(path),
            2,
            "annotations.0.body: the role {cite:x} is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        )
    ]


def test_a_description_that_cites_has_each_refusal_at_its_line(tmp_path: Path) -> None:
    """In a field that cannot cite, a citation gets its own message, found at its line (in a
    folded text too); another construct keeps the allowlist's message and its line."""
    path = tmp_path / "register.yaml"
    path.write_text(
        "entries:\n"  # 1
        "  - description: |\n"  # 2
        "      See {cite:p}`k`.\n"  # 3
        "\n"  # 4
        "      # Heading\n"  # 5
        "  - description: >\n"  # 6
        "      A.\n"  # 7
        "      See {cite:t}`k`.\n",  # 8
        "utf-8",
    )
    cannot = "a description cannot cite; give the work in its sources (bib:KEY)"
    data = yaml.safe_load(path.read_text("utf-8"))["entries"]
    first = field_problems(path, ("entries", 0, "description"), data[0]["description"], 2)
    assert [(p.line, p.message) for p in first] == [
        (3, f"entries.0.description: {cannot}"),
        (
            5,
            f"entries.0.description: a heading (#) is not allowed in editorial text; "
            f"{EDITORIAL.instead}",
        ),
    ]
    second = field_problems(path, ("entries", 1, "description"), data[1]["description"], 6)
    assert [(p.line, p.message) for p in second] == [(8, f"entries.1.description: {cannot}")]


def test_code_in_editorial_text_may_show_a_tag() -> None:
    """Editorial text has passed the allowlist: a tag inside inline code is text, not HTML, and
    only a script link is looked for in it besides."""
    where = ("annotations", 0, "body")
    assert field_problems(Path("notes.yaml"), where, "Write `<b>` for bold.", 2) == []
    assert [p.message for p in field_problems(Path("notes.yaml"), where, "`javascript:x`", 2)] == [
        "annotations.0.body: javascript:, vbscript: and data: links are not allowed"
    ]


def test_a_refusal_in_a_file_that_cannot_be_read_again_is_at_its_key_s_line(
    tmp_path: Path,
) -> None:
    """The construct's own line is looked for in the file; a file gone since it was read gives
    the line of the field's key."""
    missing = tmp_path / "notes.yaml"
    (problem,) = field_problems(missing, ("annotations", 0, "body"), "a<br>b", 7)
    assert (problem.path, problem.line) == (str(missing), 7)


# Found by an audit of "equivalent" verdicts (session 16)


def test_a_refusal_whose_text_is_not_written_as_found_stays_on_its_line() -> None:
    """A link is named by its normalised address ("HTTPS://" read as "https://"), which the
    file does not hold as written: the search for it above its line stops at the first line,
    and never wraps round to the last ("see https://example.com" at the end)."""
    text = "[a](HTTPS://example.com)\n\nsee https://example.com"
    assert [(r.line, r.found) for r in transcription_refusals(text)] == [(0, "https://example.com")]


def test_a_refusal_found_only_by_the_last_safety_net_is_named_where_the_field_begins(
    tmp_path: Path,
) -> None:
    """A link hidden from the Markdown parser (``javascript&colon;``) is caught by the last
    check of the field's whole text, which points at no construct: the problem names the line
    where the field's text begins, whatever its lines say ("XXXX" included)."""
    path = tmp_path / "a.yaml"
    body = "first line\nXXXX and javascript&colon;alert(1)\n"
    path.write_text(
        "- id: a\n  body: |\n    first line\n    XXXX and javascript&colon;alert(1)\n",
        encoding="utf-8",
    )
    assert [(p.line, p.message) for p in field_problems(path, (0, "body"), body, 2)] == [
        (3, "0.body: javascript:, vbscript: and data: links are not allowed")
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (":::{text-part}\n:class: x\n    indented\n:::\n", 2),
        (":::{text-part}\n---\nclass: x\n---\n    indented\n:::\n", 4),
    ],
    ids=["option lines", "option block"],
)
def test_an_indented_block_under_a_directive_s_options_is_refused(text: str, line: int) -> None:
    """A directive's options are blanked before its content is parsed; a blank line, not a
    line of text, so that an indented line under them still opens a code block, refused."""
    assert [(r.line, r.message.split(";")[0]) for r in transcription_refusals(text)] == [
        (line, "an indented code block is not allowed in a transcription")
    ]


@pytest.mark.parametrize(
    "text", ["```{text-part}\n---\na: b\n<div>x</div>", ":::{text-part}\n---\n<div>x</div>"]
)
def test_an_unclosed_option_block_at_a_file_s_end_is_all_options(text: str) -> None:
    """An option block (``---``) left open runs to the end of the file, final newline or
    not: what follows it is options, read as YAML by the directive, never as Markdown."""
    assert transcription_refusals(text) == []


def test_a_span_with_attributes_in_a_transcription_is_named_as_such() -> None:
    """An inline span ``[x]{.a}`` is refused in a transcription, by a name a contributor reads,
    and the list of what is allowed says where a block's attributes go instead."""
    [refusal] = transcription_refusals("a [x]{.a} b\n")
    assert refusal.message.startswith(
        "a span with attributes ([…]{…}) is not allowed in a transcription; "
    )
    assert "{.class} attributes on a block's line above it" in refusal.message
