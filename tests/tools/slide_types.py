#!/usr/bin/env python3
"""slide_types.py — the slide types' layouts as a reader sees them.

For each deck IN_DIR/NAME.odp with its render PDF_DIR/NAME.html (pdftotext
-bbox-layout; one PDF page per draw:page) prints one line per problem:
  divider     the dividers are not "item i of n" for i = 1…n with n the
              agenda slide's items, or a divider's title is not on its page
  term        a definition's term is not drawn clearly larger than its
              definition (line height ≥ 1.4×)
  contact     a deck with contacts does not show them on its closing (last)
              slide
and a last line `counted DIVIDERS TERMS CONTACTS` (what was checked).
Usage: slide_types.py IN_DIR PDF_DIR   exit 0 when no problem was found.
"""
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"
D = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
P = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"


def text(e):
    return "".join(e.itertext()).strip()


def odp_pages(path):
    """Per slide: {style: [texts]}, whether it has the divider's bar, list items."""
    root = ET.fromstring(zipfile.ZipFile(path).read("content.xml"))
    out = []
    for page in root.iter(D + "page"):
        for n in list(page.iter(P + "notes")):
            n.clear()
        styles = {}
        for p in page.iter(T + "p"):
            styles.setdefault(p.get(T + "style-name"), []).append(text(p))
        bar = any(r.get(D + "style-name") == "gr_accent" for r in page.iter(D + "rect"))
        out.append((styles, bar, len(list(page.iter(T + "list-item")))))
    return out


def pdf_pages(path):
    root = ET.parse(path).getroot()
    for page in root.iter(NS + "page"):
        lines = []
        for ln in page.iter(NS + "line"):
            words = " ".join(w.text or "" for w in ln.iter(NS + "word"))
            lines.append((float(ln.get("yMax")) - float(ln.get("yMin")), words))
        yield lines


def height_of(lines, s):
    first = s.split()[0] if s.split() else s
    return max((h for h, w in lines if w.startswith(first)), default=0)


def check(odp, html, out, counts):
    name = os.path.basename(odp)
    slides, pages = odp_pages(odp), list(pdf_pages(html))
    if len(slides) != len(pages):
        out.append(f"pages {name}: {len(slides)} slides, {len(pages)} pages")
        return
    agenda = slides[1][2] if len(slides) > 1 else 0
    seen = []
    for (styles, bar, _), lines in zip(slides, pages):
        words = " ".join(w for _, w in lines)
        if bar:
            m = re.search(r"(\d+)/(\d+)", " ".join(styles.get("P_Kind", [])))
            seen.append((int(m.group(1)), int(m.group(2))) if m else (0, 0))
            title = " ".join(styles.get("P_BigTitle", []))
            if not title or title.split()[0] not in words:
                out.append(f"divider {name}: title '{title}' not on its page")
            counts[0] += 1
        for term in styles.get("P_Term", []):
            lead = (styles.get("P_Lead") or [""])[0]
            th, lh = height_of(lines, term), height_of(lines, lead)
            counts[1] += 1
            if not lead or lh == 0 or th < 1.4 * lh:
                out.append(f"term {name}: '{term}' {th:.1f} pt high, its definition {lh:.1f} pt")
    want = [(i, agenda) for i in range(1, agenda + 1)]
    if seen != want:
        out.append(f"divider {name}: dividers {seen}, the agenda has {agenda} items")
    if any("P_Contact" in s for s, _, _ in slides):
        contact = (slides[-1][0].get("P_Contact") or [""])[0]
        last = " ".join(w for _, w in pages[-1])
        counts[2] += 1
        if not contact or " ".join(contact.split()[:3]) not in last:
            out.append(f"contact {name}: the closing slide does not show '{contact}'")


def main():
    src, pdf = sys.argv[1], sys.argv[2]
    out, counts = [], [0, 0, 0]
    for f in sorted(os.listdir(src)):
        if f.endswith(".odp"):
            check(os.path.join(src, f), os.path.join(pdf, f[:-4] + ".html"), out, counts)
    for line in out:
        print(line)
    print("counted", *counts)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
