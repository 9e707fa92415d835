"""The received witness is kept byte-identical."""

from __future__ import annotations

from sphinx_critical_edition.texts import Manifest

# From ../shared/witness/README.md: the checksum of the witness as received.
WITNESS_SHA256 = "ce835d87ddb1c1cb3742c6e0fcab19b72cb3e0983759bebbe34b5c945429d6ac"


def test_witness_checksum_is_the_received_one(manifest: Manifest) -> None:
    assert manifest.witness.sha256 == WITNESS_SHA256
    assert manifest.witness.actual_sha256() == WITNESS_SHA256


def test_witness_shape(manifest: Manifest) -> None:
    raw = manifest.witness.path.read_bytes()
    assert b"\r" not in raw
    assert len(raw.decode("utf-8").splitlines()) == 287
