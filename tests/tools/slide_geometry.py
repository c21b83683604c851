#!/usr/bin/env python3
"""slide_geometry.py — what a reader sees on rendered slides.

Reads `pdftotext -bbox-layout` output (XHTML) of slide decks and prints one
line per problem:
  overlap   two text lines of a slide overlap (a title running into the body)
  outside   a text line leaves the slide
  lone      a continuation slide (title ends with CONT) holds one item while
            the slide before it has room for that item
  unnumbered  a slide after the first does not show its number in the
            footer bar ("7", or "Punkt 3/7 · 7" with the agenda progress)
Usage: slide_geometry.py CONT FILE.html…   exit 0 when no problem was found.
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"
MARKER = re.compile(r"^(\d+[.)]|[•◦▪–☐☑])$")
FOOTER_PT = 30.0  # the footer bar at the bottom of every slide
TOL = 1.0  # points two lines may touch


def box(e):
    return tuple(float(e.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))


def pages(path):
    root = ET.parse(path).getroot()
    for page in root.iter(NS + "page"):
        w, h = float(page.get("width")), float(page.get("height"))
        blocks = []
        for b in page.iter(NS + "block"):
            lines = []
            for ln in b.iter(NS + "line"):
                words = [wd.text or "" for wd in ln.iter(NS + "word")]
                lines.append((box(ln), words))
            blocks.append((box(b), lines))
        yield w, h, blocks


def overlaps(a, b):
    """Glyph boxes of neighbouring lines touch; a quarter of a line is text
    drawn over text."""
    least = min(a[3] - a[1], b[3] - b[1])
    return (min(a[2], b[2]) - max(a[0], b[0]) > TOL and
            min(a[3], b[3]) - max(a[1], b[1]) > least / 4)


def body_of(h, blocks):
    """Lines under the title (the block of the tallest line) above the footer."""
    lines = [ln for _, ls in blocks for ln in ls if ln[0][1] < h - FOOTER_PT]
    if not lines:
        return None, [], ""
    title = max(blocks, key=lambda b: max((l[0][3] - l[0][1] for l in b[1]), default=0))
    tb = title[0]
    text = " ".join(w for _, ws in title[1] for w in ws)
    return tb, [ln for ln in lines if ln[0][1] >= tb[3] - TOL], text


def items(body):
    marks = [ln for ln in body if ln[1] and MARKER.match(ln[1][0])]
    return len(marks) if marks else len(body)


def check(path, cont, out):
    prev = None
    for n, (w, h, blocks) in enumerate(pages(path), 1):
        lines = [ln for _, ls in blocks for ln in ls]
        for i, a in enumerate(lines):
            x0, y0, x1, y1 = a[0]
            if x0 < -TOL or y0 < -TOL or x1 > w + TOL or y1 > h + TOL:
                out.append(f"outside {path} slide {n}: {' '.join(a[1])}")
            for b in lines[i + 1:]:
                if overlaps(a[0], b[0]):
                    out.append(f"overlap {path} slide {n}: '{' '.join(a[1])}' / '{' '.join(b[1])}'")
        foot = [" ".join(ln[1]) for ln in lines if ln[0][1] >= h - FOOTER_PT]
        if n > 1 and not any(re.fullmatch(rf"(Punkt \d+/\d+ · )?{n}", t) for t in foot):
            out.append(f"unnumbered {path} slide {n}: footer {foot}")
        tb, body, title = body_of(h, blocks)
        if prev and title.endswith(cont) and body and items(body) == 1:
            room = (h - FOOTER_PT) - max((ln[0][3] for ln in prev), default=0)
            need = max(ln[0][3] for ln in body) - min(ln[0][1] for ln in body)
            if room > need + 6:
                out.append(f"lone {path} slide {n}: one item ({need:.0f} pt) while slide {n - 1} has {room:.0f} pt free")
        prev = body


def main():
    cont, files = sys.argv[1], sys.argv[2:]
    out = []
    for f in files:
        check(f, cont, out)
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
