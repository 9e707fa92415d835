"""The account of surviving mutants (``tests/mutation/survivors.txt``): ``mutate.py`` reads the
names each line gives a verdict on, and fails a run whose survivors it says nothing of."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

MUTATION = Path(__file__).parent / "mutation"
#: what a line of the account may say of its mutants
VERDICTS = ("killed", "equivalent", "gone", "not done")


def _load() -> ModuleType:
    sys.path.insert(0, str(MUTATION))  # mutate.py imports line_selection beside it
    try:
        spec = importlib.util.spec_from_file_location("mutate", MUTATION / "mutate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(MUTATION))


mutate = _load()
PREFIX = "sphinx_critical_edition."


def test_a_line_names_each_of_its_mutants_however_it_groups_them() -> None:
    text = (
        "# a comment: loader.x_f__mutmut_9 (not an entry)\n"
        "anchoring.x_units_of__mutmut_5, _6, _18 (belongs(None); a (nested) note): killed: t\n"
        "anchoring.x_check_overlaps__mutmut_17, _26, x__overlap_problem__mutmut_5, _6: killed\n"
        "inputfiles.x__line_col__mutmut_4, _16; inputfiles.x_read_text__mutmut_43 (x): equivalent\n"
        "plaintext.x_parse__mutmut_30 (renamed), _31 (True): killed: t (see: below)\n"
        "anchoring.xǁHintBudgetǁ__call____mutmut_1 (left < 0): killed: t\n"
    )
    assert mutate.accounted_for(text) == {
        PREFIX + name
        for name in (
            "anchoring.x_units_of__mutmut_5",
            "anchoring.x_units_of__mutmut_6",
            "anchoring.x_units_of__mutmut_18",
            "anchoring.x_check_overlaps__mutmut_17",
            "anchoring.x_check_overlaps__mutmut_26",
            "anchoring.x__overlap_problem__mutmut_5",
            "anchoring.x__overlap_problem__mutmut_6",
            "inputfiles.x__line_col__mutmut_4",
            "inputfiles.x__line_col__mutmut_16",
            "inputfiles.x_read_text__mutmut_43",
            "plaintext.x_parse__mutmut_30",
            "plaintext.x_parse__mutmut_31",
            "anchoring.xǁHintBudgetǁ__call____mutmut_1",
        )
    }


def test_a_line_whose_names_cannot_be_read_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a mutant's name: 'and _7'"):
        mutate.accounted_for("loader.x_f__mutmut_5, and _7: killed: t\n")


def test_every_line_of_the_account_gives_a_verdict() -> None:
    """Each entry names its mutants and then says killed (by which test), equivalent (why),
    gone (the code changed) or not done (why); the file as a whole can be read."""
    text = mutate.SURVIVORS.read_text(encoding="utf-8")
    assert len(mutate.accounted_for(text)) > 300
    for line in filter(mutate._ENTRY.match, text.splitlines()):
        head = line
        while mutate._BRACKETED.search(head):
            head = mutate._BRACKETED.sub("", head)
        verdict = head.split(":", 1)[1].strip()
        assert verdict.startswith(VERDICTS), line
