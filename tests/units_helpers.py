"""Shared by the unit tests (``test_unit_*.py``) that append an annotation to a copy of the
project's layer."""

#: an annotation record, indented as an item of a layer file's list; {extra}: its other lines
ANN = (
    "  - id: {id}\n    kind: {kind}\n    quote: {quote}\n    resp: editors\n    cert: high\n{extra}"
)
#: the annotation file of the article (text 'sagra') that these tests append to, under docs/
STARTER = "annotations/sagra-starter.yaml"
