/* odf.h — what the ODT and ODP writers share: the zip package, XML
 * writing through libxml2's xmlTextWriter, the theme's styles, and the
 * conversion of inline Markdown to ODF text.
 *
 * Packages follow ODF 1.3 part 2: `mimetype` first, stored, no extra
 * field; META-INF/manifest.xml lists every file. Entry times come from
 * SOURCE_DATE_EPOCH (or 2000-01-01) so the bytes are reproducible. A
 * package is made in memory and returned as bytes: writers never touch
 * files (render.h).
 */
#ifndef VK_ODF_H
#define VK_ODF_H

#include "diag.h"
#include "util.h"

#include <cmark-gfm.h>
#include <libxml/xmlwriter.h>
#include <stdbool.h>

#define ODF_VERSION "1.3"
#define ODF_MIME_TEXT "application/vnd.oasis.opendocument.text"
#define ODF_MIME_PRESENTATION "application/vnd.oasis.opendocument.presentation"

/* ---- theme ------------------------------------------------------------- */

/* Colours and fonts of the documents (themes/<t>/odf/theme.yaml), loaded
 * once and shared read-only by all threads. */
typedef struct odf_theme odf_theme;
odf_theme *odf_theme_load(const char *theme_dir, diag *dg);
void odf_theme_free(odf_theme *t);
const char *odf_theme_get(const odf_theme *t, const char *key); /* never NULL */

/* What slide packs take from the theme's reference.odp, NULL when the theme
 * has none (or it lacks that part): "fonts", "styles", "automatic",
 * "masters" (serialised office:font-face-decls, office:styles,
 * office:automatic-styles, office:master-styles of its styles.xml),
 * "master" (the first master page's name), and from its presentation styles
 * <master>-title / <master>-outline1: "title_color", "title_font",
 * "text_color", "text_font". */
const char *odf_theme_slides(const odf_theme *t, const char *key);

/* ---- package ----------------------------------------------------------- */

typedef struct odf_package odf_package;
odf_package *odf_package_new(const char *mimetype);
/* Copies `data`; `media_type` goes into the manifest. */
void odf_package_add(odf_package *p, const char *name, const char *media_type, const char *data,
                     size_t len);
/* The data of the part called `name` (its length in *len), NULL when there
 * is none yet. */
const char *odf_package_part(const odf_package *p, const char *name, size_t *len);
/* Adds the manifest and appends the zip's bytes to out. 0 or -1. */
int odf_package_bytes(odf_package *p, sbuf *out, diag *dg);
void odf_package_free(odf_package *p);

/* A zip of byte buffers in this order, entry times from SOURCE_DATE_EPOCH
 * (APT packs zip their files with it). Appends to out; 0 or -1. */
typedef struct {
  const char *name, *data;
  size_t len;
  bool store; /* no compression (mimetype, pictures, ODF files) */
} odf_zip_entry;
int odf_zip(const odf_zip_entry *entries, size_t n, sbuf *out);

/* ---- XML --------------------------------------------------------------- */

typedef struct odf_xml odf_xml;
struct odf_xml {
  xmlBufferPtr buf;
  xmlTextWriterPtr w;
  /* How odf_inlines() writes an image (set after odf_xml_begin; the ODT
   * writer embeds it). NULL: its description in italics. `in_link` says a
   * text:a is open, so the hook must not open another. */
  void (*image)(odf_xml *x, cmark_node *n, bool in_link);
};

/* Starts a document whose root element `root` declares every ODF namespace
 * and office:version. */
void odf_xml_begin(odf_xml *x, const char *root);
/* XML made once and reused (styles that depend on nothing per document):
 * `write` writes complete elements into a writer with no element open; the
 * bytes are returned (owned). odf_raw writes such bytes as the content of
 * the element open in x (not as its first attribute). */
char *odf_fragment(void (*write)(odf_xml *x));
void odf_raw(odf_xml *x, const char *xml);
/* Ends it and adds it to the package as `name`. */
void odf_xml_end(odf_xml *x, odf_package *p, const char *name);

void odf_start(odf_xml *x, const char *name);
void odf_end(odf_xml *x);
void odf_attr(odf_xml *x, const char *name, const char *value);
void odf_attrf(odf_xml *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts a text:a to `url` (escaped as a URI) in the Internet link style;
 * close it with odf_end. */
void odf_start_link(odf_xml *x, const char *url);
/* Text with ODF white space: runs of spaces as text:s, tabs as text:tab,
 * newlines as text:line-break (ODF collapses white space otherwise). */
void odf_text(odf_xml *x, const char *s);
/* An element with only text in it. */
void odf_text_element(odf_xml *x, const char *name, const char *style, const char *text);

/* Writes the inline children of `node` (text, emphasis, links, code …)
 * as ODF spans and links; images through x->image. Character styles used: Emphasis,
 * Strong_20_Emphasis, Source_20_Text, Strikethrough, Internet_20_link. */
void odf_inlines(odf_xml *x, cmark_node *node);

/* ---- pictures ---------------------------------------------------------- */

typedef struct {
  char *part;             /* Pictures/… (owned) */
  const char *media_type; /* static */
  double w, h;            /* cm, fitted */
} odf_picture;

/* Embeds the local image at content-relative `path` under Pictures/ (once
 * per package) and sizes it: its own size (pixels at its density), shrunk
 * to fit max_w × max_h cm, aspect kept. false when the file cannot be read
 * or is not an image (*out untouched). */
bool odf_picture_add(odf_package *p, const char *content_dir, const char *path, double max_w,
                     double max_h, odf_picture *out);
/* A draw:frame with the picture. `anchor` (text:anchor-type, e.g. "as-char")
 * for text documents; NULL places it at (x, y) cm on a slide. The title is
 * the frame's short name, the description its alt text. */
void odf_picture_frame(odf_xml *x, const odf_picture *pic, const char *style, int number,
                       const char *anchor, double px, double py, const char *title,
                       const char *desc);

/* meta.xml with title, description, language, generator, dates from
 * SOURCE_DATE_EPOCH and user-defined fields (NULL-terminated name/value pairs). */
void odf_meta(odf_package *p, const char *title, const char *description,
              const char *const *user_fields);

/* The common part of styles.xml's office:styles: fonts, text and heading
 * styles, character styles, list styles. */
void odf_font_decls(odf_xml *x, const odf_theme *t);
/* <style:style> named `name` of `family` (and `parent`, or NULL) holding one
 * properties element `props` with the attributes in `attrs`: name, value
 * pairs in order, ending with NULL. */
void odf_simple_style(odf_xml *x, const char *name, const char *family, const char *parent,
                      const char *props, const char *const *attrs);
void odf_common_styles(odf_xml *x, const odf_theme *t);
/* A portrait A4 page's <style:page-layout-properties>, with these margins. */
void odf_a4_page_properties(odf_xml *x, const char *top_bottom, const char *left_right);
/* A numbered list style of 10 levels, "1<suffix>" at every level ("a" at
 * the even ones when `alternate`). */
void odf_number_list_style(odf_xml *x, const char *name, const char *display, const char *suffix,
                           bool alternate);
/* A bullet list style of 10 levels: `bullet` at every level, or NULL for
 * the usual • ◦ ▪ by level. */
void odf_bullet_list_style(odf_xml *x, const char *name, const char *display, const char *bullet);

/* ISO 8601 date-time of SOURCE_DATE_EPOCH (or the clock), for meta.xml. */
void odf_timestamp(char out[32]);

#endif
