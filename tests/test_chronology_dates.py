"""The chronology prints every date in one form: day, month name, year; ranges with an
unspaced en dash that name a shared month or year once. The data keep ISO dates."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT
from sphinx_critical_edition.figures import printed_date


@pytest.mark.parametrize(
    ("start", "end", "printed"),
    [
        ("1947-01-05", None, "5 January 1947"),
        ("1946-07", None, "July 1946"),
        ("1952", None, "1952"),
        ("1936", "1937", "1936–1937"),
        ("1952-04-09", "1952-04-11", "9–11 April 1952"),
        ("1952-05-05", "1952-06-07", "5 May–7 June 1952"),
        ("1952-05", "1952-06", "May–June 1952"),
        ("1946-07", "1952-04", "July 1946–April 1952"),
        ("1982-10-10", "1985-08-06", "10 October 1982–6 August 1985"),
    ],
)
def test_a_chronology_date_is_printed_in_words(start: str, end: str | None, printed: str) -> None:
    assert printed_date(start, end) == printed


#: what a printed date may look like: no ISO form, no spaced dash
PRINTED = re.compile(
    r"^(?:(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}|\d{1,2}(?: [A-Z][a-z]+)?|[A-Z][a-z]+)"
    r"(?:–(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4})?$"
)


def test_every_date_of_the_edition_s_chronology_prints_in_the_one_form() -> None:
    events = yaml.safe_load((ROOT / "docs" / "chronology.yaml").read_text())["events"]
    for event in events:
        printed = printed_date(event["date"], event.get("end"))
        assert PRINTED.match(printed), (event["id"], printed)
        assert not re.search(r"\d-\d| – ", printed), (event["id"], printed)
