"""A proof of the PDF for people: every page as a PNG, and one contact sheet of them all.

    python tools/proof.py [PDF] [OUTDIR]     (tox -e proof builds the PDF first)

Pages are rendered with PDFium (``pypdfium2``) and put together with Pillow, so no system
package is needed. Open ``contact-sheet.png`` to see the whole book at once, and a page's PNG
to read it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDF_DIR = ROOT / "docs" / "_build" / "pdf"
DEFAULT_OUT = ROOT / "docs" / "_build" / "proof"
DPI = 70
COLUMNS = 8
THUMB_WIDTH = 240


def render_pages(pdf: Path, out: Path, dpi: int = DPI) -> list[Path]:
    """Each page of *pdf* as ``page-001.png`` … in *out*; returns the files in page order."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("page-*.png"):
        stale.unlink()
    document = pdfium.PdfDocument(str(pdf))
    files = []
    for number, page in enumerate(document, 1):
        path = out / f"page-{number:03d}.png"
        page.render(scale=dpi / 72).to_pil().convert("RGB").save(path)
        files.append(path)
    return files


def contact_sheet(pages: list[Path], path: Path, columns: int = COLUMNS) -> Path:
    """The pages as numbered thumbnails, *columns* to a row, in one PNG."""
    thumbs = []
    for page in pages:
        image = Image.open(page)
        height = round(image.height * THUMB_WIDTH / image.width)
        thumbs.append(image.resize((THUMB_WIDTH, height)))
    cell_w, cell_h = THUMB_WIDTH + 16, max(t.height for t in thumbs) + 28
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * cell_w, rows * cell_h), "#d0d0d0")
    draw = ImageDraw.Draw(sheet)
    for i, thumb in enumerate(thumbs):
        x, y = (i % columns) * cell_w + 8, (i // columns) * cell_h + 8
        sheet.paste(thumb, (x, y))
        draw.text((x, y + thumb.height + 4), f"p. {i + 1}", fill="#000")
    sheet.save(path)
    return path


def main(argv: list[str]) -> int:
    if argv:
        pdf = Path(argv[0])
    else:
        found = sorted(DEFAULT_PDF_DIR.glob("*.pdf"))
        if not found:
            print(f"no PDF in {DEFAULT_PDF_DIR}: build it first (tox -e pdf)", file=sys.stderr)
            return 1
        pdf = found[0]
    if not pdf.is_file():
        print(f"{pdf}: no such PDF", file=sys.stderr)
        return 1
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    pages = render_pages(pdf, out)
    sheet = contact_sheet(pages, out / "contact-sheet.png")
    print(f"{len(pages)} pages of {pdf.name} in {out}; contact sheet: {sheet}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
