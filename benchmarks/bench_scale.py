"""Scale: the edition built ten times over, against the real one, to see how builds grow.

The scaled edition is the real one with nine more copies of each text (ten article-sized texts
and ten copies of the Theses) and of their annotation files, ids made unique, so 10 × the
texts and 10 × the annotations (about 5 000), with the same register, chronology and
bibliography. The witness is the real one with the nine copies of its lines appended.

Each build is a fresh ``sphinx-build`` process in an empty output folder (``-E``); time is wall
clock and CPU (user + system, which a busy machine inflates less), memory the process's peak
resident set (``wait4``'s ``ru_maxrss``). Printed, one a line:
the two editions' sizes, then HTML and PDF time and peak memory for both, with the ratio. Growth
is linear when the time ratio stays near the size ratio (10); above it, something is
superlinear.

    python benchmarks/bench_scale.py [--factor 10] [--skip-pdf]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def scaled_project(where: Path, factor: int) -> Path:
    """A copy of docs/ and source_texts/ with *factor* copies of every text; its docs folder."""
    docs, texts = where / "docs", where / "source_texts"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(ROOT / "source_texts", texts)
    manifest_path = texts / "texts.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    witness_path = texts / manifest["witness"]["file"]
    witness = witness_path.read_text(encoding="utf-8").split("\n")
    pages = {"sagra": "article", "pulacayo": "theses"}
    extra_pages = []
    originals = list(manifest["texts"])
    for copy in range(2, factor + 1):
        for spec in originals:
            key = f"{spec['key']}{copy}"
            first, last = spec["witness_lines"]
            start = len(witness) + 1
            witness += witness[first - 1 : last]
            transcription = (texts / spec["transcription"]).read_text(encoding="utf-8")
            # explicit targets must stay unique across the copies
            transcription = transcription.replace(f"{spec['key']}-note", f"{key}-note")
            name = f"{key}.md"
            (texts / name).write_text(transcription, encoding="utf-8")
            manifest["texts"].append(
                {
                    **spec,
                    "key": key,
                    "title": f"{spec['title']} ({copy})",
                    "transcription": name,
                    "witness_lines": [start, start + last - first],
                    "paragraph_id_prefix": f"{spec['paragraph_id_prefix']}{copy}x",
                }
            )
            page = f"{pages[spec['key']]}-{copy}"
            original = (docs / f"{pages[spec['key']]}.md").read_text(encoding="utf-8")
            original = original.replace(spec["transcription"], name)
            original = re.sub(r"^(# .*)$", rf"\1 ({copy})", original, count=1, flags=re.M)
            (docs / f"{page}.md").write_text(original, encoding="utf-8")
            extra_pages.append(page)
            for layer in sorted((docs / "annotations").glob("*.yaml")):
                data = yaml.safe_load(layer.read_text(encoding="utf-8"))
                if data["text"] != spec["key"] or "-copy" in layer.stem:
                    continue
                data["text"] = key
                for annotation in data["annotations"]:
                    annotation["id"] = f"c{copy}-{annotation['id']}"
                out = layer.with_name(f"{layer.stem}-copy{copy}.yaml")
                out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    witness_text = "\n".join(witness)
    witness_path.write_text(witness_text, encoding="utf-8")
    manifest["witness"]["sha256"] = hashlib.sha256(witness_text.encode()).hexdigest()
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    index = docs / "index.md"
    toctree = "\n```{toctree}\n:hidden:\n\n" + "\n".join(extra_pages) + "\n```\n"
    index.write_text(index.read_text(encoding="utf-8") + toctree, encoding="utf-8")
    return docs


def size(docs: Path) -> tuple[int, int]:
    """(texts, annotations) of a project."""
    manifest = yaml.safe_load((docs.parent / "source_texts" / "texts.yaml").read_text("utf-8"))
    annotations = sum(
        len(yaml.safe_load(f.read_text(encoding="utf-8"))["annotations"])
        for f in (docs / "annotations").glob("*.yaml")
    )
    return len(manifest["texts"]), annotations


def build(docs: Path, builder: str, out: Path) -> tuple[float, float, float]:
    """One fresh build in its own process: (wall seconds, CPU seconds, peak resident MiB)."""
    cmd = [sys.executable, "-m", "sphinx", "-E", "-W", "-q", "-b", builder, str(docs), str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext")}
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{builder} build of {docs} failed:\n{process.stderr.read().decode()}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        real = Path(tmp, "real")
        shutil.copytree(ROOT / "docs", real / "docs", ignore=shutil.ignore_patterns("_build"))
        shutil.copytree(ROOT / "source_texts", real / "source_texts")
        scaled = scaled_project(Path(tmp, "scaled"), args.factor)
        (t1, a1), (tn, an) = size(real / "docs"), size(scaled)
        print(f"real edition: {t1} texts, {a1} annotations")
        print(f"scaled edition: {tn} texts, {an} annotations (×{an / a1:.1f})")
        builders = ["html"] + ([] if args.skip_pdf else ["pdf"])
        for builder in builders:
            s1, c1, m1 = build(real / "docs", builder, Path(tmp, "out-real", builder))
            sn, cn, mn = build(scaled, builder, Path(tmp, "out-scaled", builder))
            print(
                f"{builder}: real {s1:.1f} s (CPU {c1:.1f} s), {m1:.0f} MiB; "
                f"×{args.factor} {sn:.1f} s (CPU {cn:.1f} s), {mn:.0f} MiB; "
                f"time ×{sn / s1:.1f} (CPU ×{cn / c1:.1f}), memory ×{mn / m1:.1f}"
            )


if __name__ == "__main__":
    main()
