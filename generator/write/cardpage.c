/* cardpage.c — see cardpage.h. */
#include "cardpage.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define QUIET 4 /* modules of white around the code (ISO/IEC 18004) */

/* ---- the QR code ------------------------------------------------------- */

int card_qr_svg(const char *url, const char *size, const char *alt, sbuf *out, diag *dg) {
  QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q) {
    diag_error(dg, NULL, 0, 0,
               "the emergency card's QR code cannot hold '%s' — use a shorter base_url", url);
    return -1;
  }
  int n = q->width + 2 * QUIET;
  xmlBufferPtr buf = xmlBufferCreate();
  xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
  xmlTextWriterStartElement(w, BAD_CAST "svg");
  xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2000/svg");
  xmlTextWriterWriteFormatAttribute(w, BAD_CAST "viewBox", "0 0 %d %d", n, n);
  xmlTextWriterWriteAttribute(w, BAD_CAST "width", BAD_CAST size);
  xmlTextWriterWriteAttribute(w, BAD_CAST "height", BAD_CAST size);
  xmlTextWriterWriteAttribute(w, BAD_CAST "role", BAD_CAST "img");
  xmlTextWriterWriteAttribute(w, BAD_CAST "shape-rendering", BAD_CAST "crispEdges");
  xmlTextWriterWriteAttribute(w, BAD_CAST "aria-label", BAD_CAST alt);
  xmlTextWriterStartElement(w, BAD_CAST "rect");
  xmlTextWriterWriteAttribute(w, BAD_CAST "width", BAD_CAST "100%");
  xmlTextWriterWriteAttribute(w, BAD_CAST "height", BAD_CAST "100%");
  xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST "#fff");
  xmlTextWriterEndElement(w);
  /* one path: a unit square per dark module, runs of a row merged */
  sbuf d = {0};
  for (int y = 0; y < q->width; y++)
    for (int x = 0; x < q->width; x++) {
      if (!(q->data[y * q->width + x] & 1))
        continue;
      int run = 1;
      while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
        run++;
      sbuf_printf(&d, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
      x += run - 1;
    }
  xmlTextWriterStartElement(w, BAD_CAST "path");
  xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST "#000");
  xmlTextWriterWriteAttribute(w, BAD_CAST "d", BAD_CAST sbuf_str(&d));
  xmlTextWriterEndElement(w);
  xmlTextWriterEndElement(w);
  xmlTextWriterFlush(w);
  xmlFreeTextWriter(w);
  sbuf_putn(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
  xmlBufferFree(buf);
  sbuf_free(&d);
  QRcode_free(q);
  return 0;
}

/* ---- HTML -------------------------------------------------------------- */

static void h_el(xmlTextWriterPtr w, const char *name, const char *cls, const char *text) {
  xmlTextWriterStartElement(w, BAD_CAST name);
  if (cls)
    xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST cls);
  xmlTextWriterWriteString(w, BAD_CAST text);
  xmlTextWriterFullEndElement(w);
}

static void h_list(xmlTextWriterPtr w, const char *tag, const char *cls, const char *const *items,
                   size_t n) {
  xmlTextWriterStartElement(w, BAD_CAST tag);
  xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST cls);
  for (size_t i = 0; i < n; i++)
    h_el(w, "li", NULL, items[i]);
  xmlTextWriterFullEndElement(w);
}

int card_write_html(const card_model *m, sbuf *out, diag *dg) {
  sbuf qr = {0};
  if (card_qr_svg(m->url, "4.5cm", m->qr_alt, &qr, dg) < 0)
    return -1;
  xmlBufferPtr buf = xmlBufferCreate();
  xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
  xmlTextWriterStartElement(w, BAD_CAST "html");
  xmlTextWriterWriteAttribute(w, BAD_CAST "lang", BAD_CAST m->lang);
  xmlTextWriterStartElement(w, BAD_CAST "head");
  xmlTextWriterStartElement(w, BAD_CAST "meta");
  xmlTextWriterWriteAttribute(w, BAD_CAST "charset", BAD_CAST "utf-8");
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "meta");
  xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "viewport");
  xmlTextWriterWriteAttribute(w, BAD_CAST "content",
                              BAD_CAST "width=device-width, initial-scale=1");
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "title");
  xmlTextWriterWriteFormatString(w, "%s – %s – %s", m->kind, m->title, m->org_name);
  xmlTextWriterFullEndElement(w);
  if (m->stylesheet) {
    xmlTextWriterStartElement(w, BAD_CAST "link");
    xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "stylesheet");
    xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST m->stylesheet);
    xmlTextWriterEndElement(w);
  }
  xmlTextWriterFullEndElement(w); /* head */
  xmlTextWriterStartElement(w, BAD_CAST "body");
  xmlTextWriterStartElement(w, BAD_CAST "main");
  xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST "card");
  xmlTextWriterStartElement(w, BAD_CAST "header");
  h_el(w, "p", "card-kind", m->kind);
  h_el(w, "h1", NULL, m->title);
  h_el(w, "p", "card-org", m->org_name);
  xmlTextWriterFullEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "section");
  xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST "card-steps");
  h_el(w, "h2", NULL, m->steps_heading);
  h_list(w, "ol", "steps", m->steps, m->n_steps);
  xmlTextWriterFullEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "section");
  xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST "card-contacts");
  h_el(w, "h2", NULL, m->contacts_heading);
  h_list(w, "ul", "contacts", m->contacts, m->n_contacts);
  xmlTextWriterFullEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "section");
  xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST "card-qr");
  xmlTextWriterWriteRaw(w, BAD_CAST sbuf_str(&qr));
  xmlTextWriterStartElement(w, BAD_CAST "p");
  xmlTextWriterWriteString(w, BAD_CAST m->qr_caption);
  xmlTextWriterStartElement(w, BAD_CAST "br");
  xmlTextWriterEndElement(w);
  xmlTextWriterStartElement(w, BAD_CAST "a");
  xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST m->url);
  xmlTextWriterWriteString(w, BAD_CAST m->url);
  xmlTextWriterFullEndElement(w);
  xmlTextWriterFullEndElement(w); /* p */
  xmlTextWriterFullEndElement(w); /* section */
  h_el(w, "p", "card-version", m->version_line);
  xmlTextWriterFullEndElement(w); /* main */
  xmlTextWriterFullEndElement(w); /* body */
  xmlTextWriterFullEndElement(w); /* html */
  xmlTextWriterFlush(w);
  xmlFreeTextWriter(w);
  sbuf_puts(out, "<!DOCTYPE html>\n");
  sbuf_putn(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
  sbuf_putc(out, '\n');
  xmlBufferFree(buf);
  sbuf_free(&qr);
  return 0;
}

/* ---- ODT --------------------------------------------------------------- */

#define QR_CM 4.5

static void para_style(odf_xml *x, const char *name, const char *parent, const char *size,
                       const char *weight, const char *space) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "paragraph");
  odf_attr(x, "style:parent-style-name", parent);
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", space);
  odf_end(x);
  odf_start(x, "style:text-properties");
  odf_attr(x, "fo:font-size", size);
  if (weight)
    odf_attr(x, "fo:font-weight", weight);
  odf_end(x);
  odf_end(x);
}

/* The steps' numbers: bold, at the left edge, the text starting STEP_CM
 * from it whatever the number's width ("1." at 16 pt is about 0.5 cm), so
 * a number never touches its text. */
#define STEP_CM "1cm"

static void step_list_style(odf_xml *x) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "CardStepNumber");
  odf_attr(x, "style:family", "text");
  odf_start(x, "style:text-properties");
  odf_attr(x, "fo:font-weight", "bold");
  odf_end(x);
  odf_end(x);
  odf_start(x, "text:list-style");
  odf_attr(x, "style:name", "CardSteps");
  odf_start(x, "text:list-level-style-number");
  odf_attr(x, "text:level", "1");
  odf_attr(x, "text:style-name", "CardStepNumber");
  odf_attr(x, "style:num-suffix", ".");
  odf_attr(x, "style:num-format", "1");
  odf_start(x, "style:list-level-properties");
  odf_attr(x, "text:list-level-position-and-space-mode", "label-alignment");
  odf_start(x, "style:list-level-label-alignment");
  odf_attr(x, "text:label-followed-by", "listtab");
  odf_attr(x, "text:list-tab-stop-position", STEP_CM);
  odf_attr(x, "fo:text-indent", "-" STEP_CM);
  odf_attr(x, "fo:margin-left", STEP_CM);
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

static void card_styles(odf_xml *x) {
  odf_start(x, "office:automatic-styles");
  step_list_style(x);
  para_style(x, "CardStep", "Text_20_body", "16pt", NULL, "0.35cm");
  para_style(x, "CardContact", "Text_20_body", "14pt", NULL, "0.2cm");
  para_style(x, "CardHeading", "Heading", "18pt", "bold", "0.3cm");
  para_style(x, "CardSmall", "Text_20_body", "10pt", NULL, "0.2cm");
  para_style(x, "CardKind", "Kind", "12pt", "bold", "0.15cm");
  static const char *const frame[] = {
      "style:vertical-pos", "top", "style:horizontal-pos", "left", "style:wrap", "none", NULL};
  odf_simple_style(x, "fr1", "graphic", NULL, "style:graphic-properties", frame);
  odf_end(x);
}

static void card_styles_xml(odf_package *pkg, const odf_theme *t) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-styles");
  odf_font_decls(&x, t);
  odf_common_styles(&x, t);
  odf_start(&x, "office:automatic-styles");
  odf_start(&x, "style:page-layout");
  odf_attr(&x, "style:name", "pm1");
  odf_a4_page_properties(&x, "1.5cm", "2cm");
  odf_end(&x);
  odf_end(&x);
  odf_start(&x, "office:master-styles");
  odf_start(&x, "style:master-page");
  odf_attr(&x, "style:name", "Standard");
  odf_attr(&x, "style:page-layout-name", "pm1");
  odf_end(&x);
  odf_end(&x);
  odf_xml_end(&x, pkg, "styles.xml");
}

static void odt_list(odf_xml *x, const char *list_style, const char *para, const char *const *items,
                     size_t n) {
  if (list_style) {
    odf_start(x, "text:list");
    odf_attr(x, "text:style-name", list_style);
  }
  for (size_t i = 0; i < n; i++) {
    if (list_style)
      odf_start(x, "text:list-item");
    odf_text_element(x, "text:p", para, items[i]);
    if (list_style)
      odf_end(x);
  }
  if (list_style)
    odf_end(x);
}

int card_write_odt(const card_model *m, const vk_write_opts *o, sbuf *out, diag *dg) {
  sbuf qr = {0};
  if (card_qr_svg(m->url, "4.5cm", m->qr_alt, &qr, dg) < 0)
    return -1;
  odf_package *pkg = odf_package_new(ODF_MIME_TEXT);
  odf_package_add(pkg, "Pictures/qr.svg", "image/svg+xml", sbuf_str(&qr), qr.len);
  odf_xml x;
  odf_xml_begin(&x, "office:document-content");
  card_styles(&x);
  odf_start(&x, "office:body");
  odf_start(&x, "office:text");
  odf_text_element(&x, "text:p", "CardKind", m->kind);
  odf_text_element(&x, "text:p", "Title", m->title);
  odf_text_element(&x, "text:p", "Subtitle", m->org_name);
  odf_text_element(&x, "text:p", "CardHeading", m->steps_heading);
  odt_list(&x, "CardSteps", "CardStep", m->steps, m->n_steps);
  odf_text_element(&x, "text:p", "CardHeading", m->contacts_heading);
  odt_list(&x, NULL, "CardContact", m->contacts, m->n_contacts);
  /* the QR code, then its caption and the URL in words */
  odf_start(&x, "text:p");
  odf_attr(&x, "text:style-name", "Text_20_body");
  odf_picture pic = {xstrdup("Pictures/qr.svg"), "image/svg+xml", QR_CM, QR_CM};
  odf_picture_frame(&x, &pic, "fr1", 1, "as-char", 0, 0, m->qr_alt, m->qr_alt);
  free(pic.part);
  odf_end(&x);
  odf_start(&x, "text:p");
  odf_attr(&x, "text:style-name", "CardSmall");
  odf_text(&x, m->qr_caption);
  odf_start(&x, "text:line-break");
  odf_end(&x);
  odf_start_link(&x, m->url);
  odf_text(&x, m->url);
  odf_end(&x);
  odf_end(&x);
  odf_text_element(&x, "text:p", "CardSmall", m->version_line);
  odf_end(&x);
  odf_end(&x);
  odf_xml_end(&x, pkg, "content.xml");
  card_styles_xml(pkg, o->odf);
  odf_meta(pkg, m->title, m->kind, NULL);
  int rc = odf_package_bytes(pkg, out, dg);
  odf_package_free(pkg);
  sbuf_free(&qr);
  return rc;
}
