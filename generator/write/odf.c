/* odf.c — see odf.h. */
#include "odf.h"
#include "image.h"
#include "markdown.h"
#include "safepath.h"
#include "yamlval.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* ---- theme ------------------------------------------------------------- */

static const char *const theme_defaults[][2] = {
    {"font", "Liberation Sans"},    {"font_mono", "Liberation Mono"}, {"font_size", "11pt"},
    {"color_text", "#1b1f24"},      {"color_accent", "#00457c"},      {"color_muted", "#4a5360"},
    {"color_line", "#9aa5b1"},      {"color_tint", "#e8ecf1"},        {"color_note", "#fff8e5"},
    {"color_important", "#a11d1d"}, {"color_tip", "#1e6b34"},         {"page_margin", "2.2cm"},
};
#define N_THEME (sizeof theme_defaults / sizeof *theme_defaults)

/* What slide packs take from the theme's reference.odp (odf.h). */
static const char *const slide_keys[] = {"fonts",      "styles",     "automatic",
                                         "masters",    "master",     "title_color",
                                         "title_font", "text_color", "text_font"};
#define N_SLIDE (sizeof slide_keys / sizeof *slide_keys)

struct odf_theme {
  char *values[N_THEME];
  char *styles_xml;      /* office:styles from the theme's reference.odt, or NULL */
  char *fonts_xml;       /* office:font-face-decls from it */
  char *slides[N_SLIDE]; /* from reference.odp, each NULL when not given */
};

const char *odf_theme_get(const odf_theme *t, const char *key) {
  for (size_t i = 0; i < N_THEME; i++)
    if (strcmp(theme_defaults[i][0], key) == 0)
      return t && t->values[i] ? t->values[i] : theme_defaults[i][1];
  return "";
}

/* Foreign (non-ODF) elements and attributes are dropped from styles taken
 * from a reference document: LibreOffice writes loext: extensions that
 * strict ODF 1.3 does not allow. */
static bool odf_namespace(const xmlNs *ns) {
  return ns &&
         (strncmp((const char *)ns->href, "urn:oasis:names:tc:opendocument:xmlns:", 38) == 0 ||
          strcmp((const char *)ns->href, "http://www.w3.org/1999/xlink") == 0);
}

static void strip_foreign(xmlNodePtr n) {
  for (xmlNodePtr c = n->children; c;) {
    xmlNodePtr next = c->next;
    if (c->type == XML_ELEMENT_NODE && !odf_namespace(c->ns)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    } else if (c->type == XML_ELEMENT_NODE) {
      for (xmlAttrPtr a = c->properties; a;) {
        xmlAttrPtr an = a->next;
        if (!odf_namespace(a->ns))
          xmlRemoveProp(a);
        a = an;
      }
      strip_foreign(c);
    }
    c = next;
  }
}

static xmlNodePtr find_child(xmlNodePtr root, const char *name) {
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
      return c;
  return NULL;
}

static char *dump_child(xmlDocPtr doc, xmlNodePtr root, const char *name) {
  xmlNodePtr c = find_child(root, name);
  if (!c)
    return NULL;
  strip_foreign(c);
  xmlBufferPtr b = xmlBufferCreate();
  xmlNodeDump(b, doc, c, 0, 0);
  char *s = xstrdup((const char *)xmlBufferContent(b));
  xmlBufferFree(b);
  return s;
}

/* What makes two style definitions the same one: element, name, family
 * (a paragraph and a text style may share a name). */
static char *style_key(xmlNodePtr n) {
  xmlAttrPtr name = xmlHasProp(n, BAD_CAST "name"), family = xmlHasProp(n, BAD_CAST "family");
  xmlChar *nv = name ? xmlNodeGetContent((xmlNodePtr)name) : NULL;
  xmlChar *fv = family ? xmlNodeGetContent((xmlNodePtr)family) : NULL;
  char *k = xasprintf("%s|%s|%s", (const char *)n->name, nv ? (const char *)nv : "",
                      fv ? (const char *)fv : "");
  xmlFree(nv);
  xmlFree(fv);
  return k;
}

static bool has_style(xmlNodePtr parent, const char *key) {
  for (xmlNodePtr c = parent->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    char *k = style_key(c);
    bool same = strcmp(k, key) == 0;
    free(k);
    if (same)
      return true;
  }
  return false;
}

/* Copies into `into` every child of `from` that `into` has no definition
 * of: a reference document saved from a blank LibreOffice file still gets
 * vaksam's own styles (Kind, Box Label, Note Line …) that it does not define. */
static void complete(xmlDocPtr doc, xmlNodePtr into, xmlNodePtr from) {
  if (!into || !from)
    return;
  for (xmlNodePtr c = from->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    char *k = style_key(c);
    if (!has_style(into, k)) {
      xmlNodePtr copy = xmlDocCopyNode(c, doc, 1);
      xmlAddChild(into, copy);
      xmlReconciliateNs(doc, copy);
    }
    free(k);
  }
}

/* The built-in styles.xml parts (fonts and office:styles) as a document. */
static xmlDocPtr builtin_styles(const odf_theme *t, void (*styles)(odf_xml *, const odf_theme *)) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-styles");
  odf_font_decls(&x, t);
  styles(&x, t);
  xmlTextWriterEndDocument(x.w);
  xmlFreeTextWriter(x.w);
  xmlDocPtr doc = xmlReadMemory((const char *)xmlBufferContent(x.buf), xmlBufferLength(x.buf),
                                "builtin.xml", "UTF-8", XML_PARSE_NONET);
  xmlBufferFree(x.buf);
  return doc;
}

/* styles.xml of an ODF package, parsed; NULL when there is none. */
static xmlDocPtr read_styles_xml(const char *path) {
  int err = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &err);
  if (!z)
    return NULL;
  zip_stat_t st;
  zip_file_t *f = NULL;
  xmlDocPtr doc = NULL;
  if (zip_stat(z, "styles.xml", 0, &st) == 0 && st.size < (64u << 20) &&
      (f = zip_fopen(z, "styles.xml", 0))) {
    char *xml = xmalloc(st.size + 1);
    zip_int64_t got = zip_fread(f, xml, st.size);
    zip_fclose(f);
    if (got == (zip_int64_t)st.size)
      doc = xmlReadMemory(xml, (int)st.size, "styles.xml", "UTF-8", XML_PARSE_NONET);
    free(xml);
  }
  zip_close(z);
  return doc;
}

/* Reads office:styles and the font declarations from reference.odt and
 * completes them with the built-in styles it lacks. */
static void load_reference(odf_theme *t, const char *path, diag *dg) {
  xmlDocPtr doc = read_styles_xml(path);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root || !find_child(root, "styles")) {
    diag_error(dg, path, 0, 0,
               "cannot read office:styles from the reference document — save it again from "
               "LibreOffice as ODF text (.odt)");
    xmlFreeDoc(doc);
    return;
  }
  xmlDocPtr own = builtin_styles(t, odf_common_styles);
  xmlNodePtr own_root = own ? xmlDocGetRootElement(own) : NULL;
  xmlNodePtr fonts = find_child(root, "font-face-decls");
  if (!fonts) /* font declarations are optional; ours then */
    fonts = xmlNewChild(root, root->ns, BAD_CAST "font-face-decls", NULL);
  complete(doc, fonts, find_child(own_root, "font-face-decls"));
  complete(doc, find_child(root, "styles"), find_child(own_root, "styles"));
  t->styles_xml = dump_child(doc, root, "styles");
  t->fonts_xml = dump_child(doc, root, "font-face-decls");
  xmlFreeDoc(own);
  xmlFreeDoc(doc);
}

const char *odf_theme_slides(const odf_theme *t, const char *key) {
  for (size_t i = 0; t && i < N_SLIDE; i++)
    if (strcmp(slide_keys[i], key) == 0)
      return t->slides[i];
  return NULL;
}

static void set_slide(odf_theme *t, const char *key, char *value) {
  for (size_t i = 0; i < N_SLIDE; i++)
    if (strcmp(slide_keys[i], key) == 0) {
      free(t->slides[i]);
      t->slides[i] = value;
      return;
    }
  free(value);
}

static char *prop(xmlNodePtr n, const char *name) {
  xmlChar *v = n ? xmlGetProp(n, BAD_CAST name) : NULL;
  char *s = v ? xstrdup((const char *)v) : NULL;
  xmlFree(v);
  return s;
}

/* office:styles' style:style of `family` called `name`. */
static xmlNodePtr find_style(xmlNodePtr styles, const char *name, const char *family) {
  for (xmlNodePtr c = styles ? styles->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "style") != 0)
      continue;
    char *n = prop(c, "name"), *f = prop(c, "family");
    bool hit = n && f && strcmp(n, name) == 0 && strcmp(f, family) == 0;
    free(n);
    free(f);
    if (hit)
      return c;
  }
  return NULL;
}

/* Colour and font of the master's presentation style `<master>-<what>`
 * (what Impress's View ▸ Master Slide edits as "Title" and "Outline 1"). */
static void slide_text_style(odf_theme *t, xmlNodePtr styles, const char *master, const char *what,
                             const char *color_key, const char *font_key) {
  char *name = xasprintf("%s-%s", master, what);
  xmlNodePtr st = find_style(styles, name, "presentation");
  free(name);
  xmlNodePtr tp = st ? find_child(st, "text-properties") : NULL;
  char *color = prop(tp, "color"), *font = prop(tp, "font-name");
  if (color && color[0] == '#')
    set_slide(t, color_key, color);
  else
    free(color);
  set_slide(t, font_key, font);
}

/* A length in cm ("28cm", "280mm", "11in"); 0 when not understood. */
static double length_cm(const char *s) {
  char *end;
  double v = s ? strtod(s, &end) : 0;
  if (!s || end == s)
    return 0;
  return strcmp(end, "cm") == 0   ? v
         : strcmp(end, "mm") == 0 ? v / 10
         : strcmp(end, "in") == 0 ? v * 2.54
                                  : 0;
}

/* Slides are laid out for 28 × 15.75 cm; a master of another size would
 * cut or squeeze them, so say so. */
static void check_slide_size(xmlNodePtr automatic, xmlNodePtr master, const char *path, diag *dg) {
  char *layout = prop(master, "page-layout-name");
  for (xmlNodePtr c = automatic ? automatic->children : NULL; layout && c; c = c->next) {
    char *n = c->type == XML_ELEMENT_NODE ? prop(c, "name") : NULL;
    if (n && strcmp(n, layout) == 0 && strcmp((const char *)c->name, "page-layout") == 0) {
      xmlNodePtr pp = find_child(c, "page-layout-properties");
      char *w = prop(pp, "page-width"), *h = prop(pp, "page-height");
      double wc = length_cm(w), hc = length_cm(h);
      if (wc > 0 && hc > 0 && (wc < 27.9 || wc > 28.1 || hc < 15.65 || hc > 15.85))
        diag_warn(dg, path, 0, 0,
                  "the master slide is %.2f × %.2f cm; vaksam lays slides out for 28 × 15.75 cm "
                  "(16:9) — set that size in Impress (Slide ▸ Slide Properties) and save again",
                  wc, hc);
      free(w);
      free(h);
    }
    free(n);
  }
  free(layout);
}

static void no_styles(odf_xml *x, const odf_theme *t) {
  (void)x;
  (void)t;
}

/* Reads what slide packs use from reference.odp: its fonts, styles,
 * automatic styles and master pages as they are (the first master page is
 * the one slides use), and the title and body text colour and font. */
static void load_slides_reference(odf_theme *t, const char *path, diag *dg) {
  xmlDocPtr doc = read_styles_xml(path);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  xmlNodePtr masters = find_child(root, "master-styles");
  xmlNodePtr master = find_child(masters, "master-page");
  char *name = prop(master, "name");
  if (!name) {
    diag_error(dg, path, 0, 0,
               "no master slide in the reference presentation — save it again from LibreOffice "
               "Impress as ODF presentation (.odp)");
    xmlFreeDoc(doc);
    return;
  }
  xmlNodePtr styles = find_child(root, "styles");
  slide_text_style(t, styles, name, "title", "title_color", "title_font");
  slide_text_style(t, styles, name, "outline1", "text_color", "text_font");
  check_slide_size(find_child(root, "automatic-styles"), master, path, dg);
  xmlDocPtr own = builtin_styles(t, no_styles);
  xmlNodePtr fonts = find_child(root, "font-face-decls");
  if (!fonts)
    fonts = xmlNewChild(root, root->ns, BAD_CAST "font-face-decls", NULL);
  complete(doc, fonts, find_child(own ? xmlDocGetRootElement(own) : NULL, "font-face-decls"));
  xmlFreeDoc(own);
  set_slide(t, "master", name);
  set_slide(t, "fonts", dump_child(doc, root, "font-face-decls"));
  set_slide(t, "styles", dump_child(doc, root, "styles"));
  set_slide(t, "automatic", dump_child(doc, root, "automatic-styles"));
  set_slide(t, "masters", dump_child(doc, root, "master-styles"));
  xmlFreeDoc(doc);
}

odf_theme *odf_theme_load(const char *theme_dir, diag *dg) {
  odf_theme *t = xcalloc(1, sizeof *t);
  char *path = xasprintf("%s/odf/theme.yaml", theme_dir);
  size_t len;
  char *text = read_file(path, &len);
  if (text) {
    vk_value *v = yaml_to_value(text, len, path, 0, dg);
    for (size_t i = 0; v && v->type == VK_MAP && i < N_THEME; i++) {
      const char *s = vk_map_str(v, theme_defaults[i][0]);
      if (s)
        t->values[i] = xstrdup(s);
    }
    vk_value_free(v);
    free(text);
  }
  free(path);
  path = xasprintf("%s/reference.odt", theme_dir);
  if (is_file(path))
    load_reference(t, path, dg);
  free(path);
  path = xasprintf("%s/reference.odp", theme_dir);
  if (is_file(path))
    load_slides_reference(t, path, dg);
  free(path);
  return t;
}

void odf_theme_free(odf_theme *t) {
  if (!t)
    return;
  for (size_t i = 0; i < N_THEME; i++)
    free(t->values[i]);
  free(t->styles_xml);
  free(t->fonts_xml);
  for (size_t i = 0; i < N_SLIDE; i++)
    free(t->slides[i]);
  free(t);
}

/* ---- package ----------------------------------------------------------- */

typedef struct {
  char *name, *media_type, *data;
  size_t len;
} part;

struct odf_package {
  char *mimetype;
  part *parts;
  size_t n, cap;
};

odf_package *odf_package_new(const char *mimetype) {
  odf_package *p = xcalloc(1, sizeof *p);
  p->mimetype = xstrdup(mimetype);
  return p;
}

void odf_package_add(odf_package *p, const char *name, const char *media_type, const char *data,
                     size_t len) {
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 8;
    p->parts = xrealloc(p->parts, p->cap * sizeof *p->parts);
  }
  char *copy = xmalloc(len + 1);
  memcpy(copy, data, len);
  copy[len] = 0;
  p->parts[p->n++] = (part){xstrdup(name), xstrdup(media_type), copy, len};
}

const char *odf_package_part(const odf_package *p, const char *name, size_t *len) {
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->parts[i].name, name) == 0) {
      *len = p->parts[i].len;
      return p->parts[i].data;
    }
  return NULL;
}

void odf_package_free(odf_package *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++) {
    free(p->parts[i].name);
    free(p->parts[i].media_type);
    free(p->parts[i].data);
  }
  free(p->parts);
  free(p->mimetype);
  free(p);
}

static time_t package_time(void) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : 946684800; /* 2000-01-01 */
  return t < 315532800 ? 315532800 : t; /* zip cannot store dates before 1980 */
}

static void xml_open(odf_xml *x);

static void add_manifest(odf_package *p) {
  odf_xml x = {0};
  xml_open(&x);
  odf_start(&x, "manifest:manifest");
  odf_attr(&x, "xmlns:manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0");
  odf_attr(&x, "manifest:version", ODF_VERSION);
  odf_start(&x, "manifest:file-entry");
  odf_attr(&x, "manifest:full-path", "/");
  odf_attr(&x, "manifest:version", ODF_VERSION);
  odf_attr(&x, "manifest:media-type", p->mimetype);
  odf_end(&x);
  for (size_t i = 0; i < p->n; i++) {
    odf_start(&x, "manifest:file-entry");
    odf_attr(&x, "manifest:full-path", p->parts[i].name);
    odf_attr(&x, "manifest:media-type", p->parts[i].media_type);
    odf_end(&x);
  }
  odf_end(&x);
  odf_xml_end(&x, p, "META-INF/manifest.xml");
}

static int add_entry(zip_t *z, const odf_zip_entry *e, time_t t) {
  zip_source_t *src = zip_source_buffer(z, e->data, e->len, 0);
  if (!src)
    return -1;
  zip_int64_t idx = zip_file_add(z, e->name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(src);
    return -1;
  }
  /* Level 1: a handout's XML shrinks to 15 % either way (level 6 saved a
   * few bytes more at almost twice the cost; deflate was half of a handout). */
  zip_set_file_compression(z, (zip_uint64_t)idx, e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1);
  zip_file_set_mtime(z, (zip_uint64_t)idx, t, 0);
  return 0;
}

/* Reads the whole of a (closed) zip source into out. */
static int source_bytes(zip_source_t *src, sbuf *out) {
  zip_stat_t st;
  if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) != 0)
    return -1;
  sbuf_grow(out, (size_t)st.size);
  zip_int64_t got = zip_source_read(src, out->s + out->len, st.size);
  zip_source_close(src);
  if (got != (zip_int64_t)st.size)
    return -1;
  out->len += (size_t)got;
  out->s[out->len] = 0;
  return 0;
}

int odf_zip(const odf_zip_entry *entries, size_t n, sbuf *out) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
  zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
  zip_error_fini(&err);
  if (!z) {
    zip_source_free(src);
    return -1;
  }
  zip_source_keep(src); /* zip_close frees the archive, not the bytes */
  time_t t = package_time();
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    rc |= add_entry(z, &entries[i], t);
  if (zip_close(z) != 0) {
    zip_discard(z);
    rc = -1;
  }
  if (rc == 0)
    rc = source_bytes(src, out);
  zip_source_free(src);
  return rc;
}

/* PNG, JPEG and GIF are compressed already: stored, they open faster. */
static bool is_compressed(const char *media_type) {
  return strncmp(media_type, "image/", 6) == 0 && strcmp(media_type, "image/svg+xml") != 0;
}

int odf_package_bytes(odf_package *p, sbuf *out, diag *dg) {
  add_manifest(p);
  odf_zip_entry *e = xcalloc(p->n + 1, sizeof *e);
  e[0] = (odf_zip_entry){"mimetype", p->mimetype, strlen(p->mimetype), true};
  for (size_t i = 0; i < p->n; i++) /* the manifest was added last; nothing follows it */
    e[i + 1] = (odf_zip_entry){p->parts[i].name, p->parts[i].data, p->parts[i].len,
                               is_compressed(p->parts[i].media_type)};
  int rc = odf_zip(e, p->n + 1, out);
  free(e);
  if (rc != 0)
    diag_error(dg, NULL, 0, 0, "cannot make the document's zip package — out of memory?");
  return rc;
}

/* ---- XML --------------------------------------------------------------- */

static const char *const namespaces[][2] = {
    {"xmlns:office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0"},
    {"xmlns:style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0"},
    {"xmlns:text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"},
    {"xmlns:table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0"},
    {"xmlns:draw", "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"},
    {"xmlns:fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"},
    {"xmlns:xlink", "http://www.w3.org/1999/xlink"},
    {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
    {"xmlns:meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"},
    {"xmlns:svg", "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"},
    {"xmlns:presentation", "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"},
};

/* A writer into memory with the XML declaration written. (The declaration
 * also tells the writer that the text is UTF-8: without it, non-ASCII in
 * attributes would come out as character references.) */
static void xml_open(odf_xml *x) {
  x->buf = xmlBufferCreateSize(16384);
  x->w = xmlNewTextWriterMemory(x->buf, 0);
  x->image = NULL;
  xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL);
}

void odf_xml_begin(odf_xml *x, const char *root) {
  xml_open(x);
  odf_start(x, root);
  for (size_t i = 0; i < sizeof namespaces / sizeof *namespaces; i++)
    odf_attr(x, namespaces[i][0], namespaces[i][1]);
  odf_attr(x, "office:version", ODF_VERSION);
}

char *odf_fragment(void (*write)(odf_xml *x)) {
  odf_xml x = {0};
  xml_open(&x); /* the same writer as a document's, so the same bytes */
  xmlTextWriterFlush(x.w);
  int declaration = xmlBufferLength(x.buf);
  write(&x);
  xmlFreeTextWriter(x.w); /* flushes */
  char *s = xstrdup((const char *)xmlBufferContent(x.buf) + declaration);
  xmlBufferFree(x.buf);
  return s;
}

void odf_raw(odf_xml *x, const char *xml) {
  xmlTextWriterWriteRaw(x->w, BAD_CAST xml);
}

void odf_xml_end(odf_xml *x, odf_package *p, const char *name) {
  xmlTextWriterEndDocument(x->w);
  xmlFreeTextWriter(x->w);
  odf_package_add(p, name, "text/xml", (const char *)xmlBufferContent(x->buf),
                  (size_t)xmlBufferLength(x->buf));
  xmlBufferFree(x->buf);
  x->w = NULL;
  x->buf = NULL;
}

void odf_start(odf_xml *x, const char *name) {
  xmlTextWriterStartElement(x->w, BAD_CAST name);
}
void odf_end(odf_xml *x) {
  xmlTextWriterEndElement(x->w);
}

void odf_attr(odf_xml *x, const char *name, const char *value) {
  xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST(value ? value : ""));
}

void odf_attrf(odf_xml *x, const char *name, const char *fmt, ...) {
  sbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  odf_attr(x, name, sbuf_str(&b));
  sbuf_free(&b);
}

void odf_start_link(odf_xml *x, const char *url) {
  odf_start(x, "text:a");
  odf_attr(x, "xlink:type", "simple");
  sbuf href = {0};
  uri_escape(&href, url);
  odf_attr(x, "xlink:href", sbuf_str(&href));
  sbuf_free(&href);
  odf_attr(x, "text:style-name", "Internet_20_link");
}

/* XML 1.0 forbids most control characters; they cannot be written at all. */
static bool xml_char_ok(unsigned char c) {
  return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

/* True when odf_text can hand `s` to the writer as it is: no two spaces
 * in a row, no space after a newline, no tab, newline or control character. */
static bool plain_text(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || (*p == ' ' && p[1] == ' '))
      return false;
  return true;
}

void odf_text(odf_xml *x, const char *s) {
  if (!s)
    return;
  if (plain_text(s)) { /* most text: no copy */
    if (*s)
      xmlTextWriterWriteString(x->w, BAD_CAST s);
    return;
  }
  sbuf run = {0};
  bool after_space = false;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' && after_space) {
      size_t n = 0;
      while (p[n] == ' ')
        n++;
      xmlTextWriterWriteString(x->w, BAD_CAST sbuf_str(&run));
      run.len = 0;
      if (run.s)
        run.s[0] = 0;
      odf_start(x, "text:s");
      if (n > 1)
        odf_attrf(x, "text:c", "%zu", n);
      odf_end(x);
      p += n - 1;
      after_space = false;
      continue;
    }
    if (c == '\t' || c == '\n') {
      xmlTextWriterWriteString(x->w, BAD_CAST sbuf_str(&run));
      run.len = 0;
      if (run.s)
        run.s[0] = 0;
      odf_start(x, c == '\t' ? "text:tab" : "text:line-break");
      odf_end(x);
      after_space = c == '\n'; /* a space at the start of a line would vanish */
      continue;
    }
    if (!xml_char_ok(c) || c == '\r')
      continue;
    sbuf_putc(&run, (char)c);
    after_space = c == ' ';
  }
  if (run.len)
    xmlTextWriterWriteString(x->w, BAD_CAST sbuf_str(&run));
  sbuf_free(&run);
}

void odf_text_element(odf_xml *x, const char *name, const char *style, const char *text) {
  odf_start(x, name);
  if (style)
    odf_attr(x, "text:style-name", style);
  odf_text(x, text);
  odf_end(x);
}

/* ---- inlines ----------------------------------------------------------- */

static void span_start(odf_xml *x, const char *style) {
  odf_start(x, "text:span");
  odf_attr(x, "text:style-name", style);
}

/* A text:a may not contain another; links inside links (impossible in
 * Markdown, possible from a filter) keep their text only. */
static void inline_node(odf_xml *x, cmark_node *n, int link_depth) {
  switch (md_type_of(n)) {
  case MD_TEXT: odf_text(x, cmark_node_get_literal(n)); return;
  case MD_SOFTBREAK: xmlTextWriterWriteString(x->w, BAD_CAST " "); return;
  case MD_LINEBREAK:
    odf_start(x, "text:line-break");
    odf_end(x);
    return;
  case MD_CODE:
    span_start(x, "Source_20_Text");
    odf_text(x, cmark_node_get_literal(n));
    odf_end(x);
    return;
  case MD_HTML_INLINE: /* dropped (a warning names it at build time) */ return;
  case MD_SPAN: /* its content, as plain runs */
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
      inline_node(x, c, link_depth);
    return;
  case MD_EMPH:
  case MD_STRONG:
  case MD_STRIKETHROUGH:
    span_start(x, md_type_of(n) == MD_EMPH     ? "Emphasis"
                  : md_type_of(n) == MD_STRONG ? "Strong_20_Emphasis"
                                               : "Strikethrough");
    break;
  case MD_LINK:
    if (link_depth == 0) {
      odf_start_link(x, cmark_node_get_url(n));
      for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
        inline_node(x, c, link_depth + 1);
      odf_end(x);
      return;
    }
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
      inline_node(x, c, link_depth);
    return;
  case MD_IMAGE: {
    if (x->image) {
      x->image(x, n, link_depth > 0);
      return;
    }
    sbuf alt = {0};
    md_text_content(n, &alt);
    span_start(x, "Emphasis");
    odf_text(x, sbuf_str(&alt));
    odf_end(x);
    sbuf_free(&alt);
    return;
  }
  default: {
    sbuf t = {0};
    md_text_content(n, &t);
    odf_text(x, sbuf_str(&t));
    sbuf_free(&t);
    return;
  }
  }
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
    inline_node(x, c, link_depth);
  odf_end(x);
}

void odf_inlines(odf_xml *x, cmark_node *node) {
  for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
    inline_node(x, c, md_type_of(node) == MD_LINK ? 1 : 0);
}

/* ---- pictures ---------------------------------------------------------- */

bool odf_picture_add(odf_package *p, const char *content_dir, const char *path, double max_w,
                     double max_h, odf_picture *out) {
  if (!content_dir || !path || !*path || image_is_remote(path))
    return false;
  char *part = image_part_name(path);
  size_t len = 0;
  const char *data = odf_package_part(p, part, &len); /* embedded already: not read again */
  char *fresh = NULL;                                 /* read now, owned */
  if (!data) {
    char *file = path_join(content_dir, path);
    safepath_status st; /* never a file outside the content folder (safepath.h) */
    data = fresh = safepath_read(content_dir, file, &len, &st);
    free(file);
  }
  vk_image_info info;
  if (!data || !image_probe((const unsigned char *)data, len, &info)) {
    free(fresh);
    free(part);
    return false;
  }
  if (fresh)
    odf_package_add(p, part, info.media_type, fresh, len);
  free(fresh);
  out->part = part;
  out->media_type = info.media_type;
  double w = info.width / info.dpi * 2.54, h = info.height / info.dpi * 2.54, s = 1;
  if (w > max_w)
    s = max_w / w;
  if (h * s > max_h)
    s = max_h / h;
  out->w = w * s;
  out->h = h * s;
  return true;
}

void odf_picture_frame(odf_xml *x, const odf_picture *pic, const char *style, int number,
                       const char *anchor, double px, double py, const char *title,
                       const char *desc) {
  odf_start(x, "draw:frame");
  odf_attr(x, "draw:style-name", style);
  odf_attrf(x, "draw:name", "Figur %d", number); /* slides are "Bild N": keep names apart */
  if (anchor) {
    odf_attr(x, "text:anchor-type", anchor);
  } else {
    odf_attrf(x, "svg:x", "%.2fcm", px);
    odf_attrf(x, "svg:y", "%.2fcm", py);
  }
  odf_attrf(x, "svg:width", "%.2fcm", pic->w);
  odf_attrf(x, "svg:height", "%.2fcm", pic->h);
  if (anchor)
    odf_attr(x, "draw:z-index", "0");
  odf_start(x, "draw:image");
  odf_attr(x, "xlink:type", "simple");
  odf_attr(x, "xlink:href", pic->part);
  odf_attr(x, "xlink:show", "embed");
  odf_attr(x, "xlink:actuate", "onLoad");
  odf_attr(x, "draw:mime-type", pic->media_type);
  odf_end(x);
  odf_text_element(x, "svg:title", NULL, title && *title ? title : desc);
  odf_text_element(x, "svg:desc", NULL, desc);
  odf_end(x);
}

/* ---- meta.xml ---------------------------------------------------------- */

void odf_timestamp(char out[32]) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

void odf_meta(odf_package *p, const char *title, const char *description,
              const char *const *user_fields) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-meta");
  odf_start(&x, "office:meta");
  odf_text_element(&x, "meta:generator", NULL, "vaksam/" VAKSAM_VERSION);
  odf_text_element(&x, "dc:title", NULL, title);
  if (description && *description)
    odf_text_element(&x, "dc:description", NULL, description);
  odf_text_element(&x, "dc:language", NULL, "sv-SE");
  char ts[32];
  odf_timestamp(ts);
  odf_text_element(&x, "meta:creation-date", NULL, ts);
  odf_text_element(&x, "dc:date", NULL, ts);
  for (const char *const *f = user_fields; f && f[0]; f += 2) {
    if (!f[1] || !*f[1])
      continue;
    odf_start(&x, "meta:user-defined");
    odf_attr(&x, "meta:name", f[0]);
    odf_attr(&x, "meta:value-type", "string");
    odf_text(&x, f[1]);
    odf_end(&x);
  }
  odf_end(&x);
  odf_xml_end(&x, p, "meta.xml");
}

/* ---- shared styles ----------------------------------------------------- */

static void font_face(odf_xml *x, const char *name, const char *generic, const char *pitch) {
  odf_start(x, "style:font-face");
  odf_attr(x, "style:name", name);
  odf_attrf(x, "svg:font-family", "'%s'", name);
  odf_attr(x, "style:font-family-generic", generic);
  odf_attr(x, "style:font-pitch", pitch);
  odf_end(x);
}

void odf_font_decls(odf_xml *x, const odf_theme *t) {
  if (t && t->fonts_xml) {
    xmlTextWriterWriteRaw(x->w, BAD_CAST t->fonts_xml); /* parsed and re-serialised XML */
    return;
  }
  odf_start(x, "office:font-face-decls");
  font_face(x, odf_theme_get(t, "font"), "swiss", "variable");
  font_face(x, odf_theme_get(t, "font_mono"), "modern", "fixed");
  odf_end(x);
}

/* style:style with optional parent; leaves the element open. */
static void style_open(odf_xml *x, const char *name, const char *display, const char *family,
                       const char *parent) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  if (display)
    odf_attr(x, "style:display-name", display);
  odf_attr(x, "style:family", family);
  if (parent)
    odf_attr(x, "style:parent-style-name", parent);
}

static void text_props(odf_xml *x, const char *size, const char *weight, const char *color,
                       const char *font) {
  odf_start(x, "style:text-properties");
  if (font)
    odf_attr(x, "style:font-name", font);
  if (size)
    odf_attr(x, "fo:font-size", size);
  if (weight) {
    odf_attr(x, "fo:font-weight", weight);
  }
  if (color)
    odf_attr(x, "fo:color", color);
  odf_end(x);
}

static void para_props(odf_xml *x, const char *above, const char *below, const char *extra_k,
                       const char *extra_v) {
  odf_start(x, "style:paragraph-properties");
  if (above)
    odf_attr(x, "fo:margin-top", above);
  if (below)
    odf_attr(x, "fo:margin-bottom", below);
  if (extra_k)
    odf_attr(x, extra_k, extra_v);
  odf_end(x);
}

/* An empty paragraph drawn as a rule: thematic breaks and note lines. */
static void ruled_style(odf_xml *x, const odf_theme *t, const char *name, const char *display,
                        const char *above, const char *below) {
  style_open(x, name, display, "paragraph", "Standard");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-top", above);
  odf_attr(x, "fo:margin-bottom", below);
  odf_attrf(x, "fo:border-bottom", "0.5pt solid %s", odf_theme_get(t, "color_line"));
  odf_attr(x, "fo:padding", "0cm");
  odf_end(x);
  odf_end(x);
}

static void box_style(odf_xml *x, const odf_theme *t, const char *name, const char *display,
                      const char *border_color, const char *background) {
  style_open(x, name, display, "paragraph", "Text_20_body");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-left", "0.2cm");
  odf_attr(x, "fo:margin-right", "0.2cm");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", "0cm");
  odf_attr(x, "fo:padding", "0.15cm");
  odf_attrf(x, "fo:border-left", "2.5pt solid %s", border_color);
  if (background)
    odf_attr(x, "fo:background-color", background);
  odf_attr(x, "style:join-border", "true");
  odf_end(x);
  odf_end(x);
  (void)t;
}

static void list_level_props(odf_xml *x, int level) {
  odf_start(x, "style:list-level-properties");
  odf_attr(x, "text:list-level-position-and-space-mode", "label-alignment");
  odf_start(x, "style:list-level-label-alignment");
  odf_attr(x, "text:label-followed-by", "listtab");
  odf_attrf(x, "text:list-tab-stop-position", "%.2fcm", 0.65 * level);
  odf_attr(x, "fo:text-indent", "-0.5cm");
  odf_attrf(x, "fo:margin-left", "%.2fcm", 0.65 * level);
  odf_end(x);
  odf_end(x);
}

void odf_simple_style(odf_xml *x, const char *name, const char *family, const char *parent,
                      const char *props, const char *const *attrs) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", family);
  if (parent)
    odf_attr(x, "style:parent-style-name", parent);
  odf_start(x, props);
  for (; *attrs; attrs += 2)
    odf_attr(x, attrs[0], attrs[1]);
  odf_end(x);
  odf_end(x);
}

void odf_number_list_style(odf_xml *x, const char *name, const char *display, const char *suffix,
                           bool alternate) {
  odf_start(x, "text:list-style");
  odf_attr(x, "style:name", name);
  if (display)
    odf_attr(x, "style:display-name", display);
  for (int l = 1; l <= 10; l++) {
    odf_start(x, "text:list-level-style-number");
    odf_attrf(x, "text:level", "%d", l);
    odf_attr(x, "style:num-suffix", suffix);
    odf_attr(x, "style:num-format", !alternate || l % 2 ? "1" : "a");
    list_level_props(x, l);
    odf_end(x);
  }
  odf_end(x);
}

void odf_bullet_list_style(odf_xml *x, const char *name, const char *display, const char *bullet) {
  static const char *const bullets[] = {"•", "◦", "▪", "•", "◦", "▪", "•", "◦", "▪", "•"};
  odf_start(x, "text:list-style");
  odf_attr(x, "style:name", name);
  if (display)
    odf_attr(x, "style:display-name", display);
  for (int l = 1; l <= 10; l++) {
    odf_start(x, "text:list-level-style-bullet");
    odf_attrf(x, "text:level", "%d", l);
    odf_attr(x, "text:bullet-char", bullet ? bullet : bullets[l - 1]);
    list_level_props(x, l);
    odf_end(x);
  }
  odf_end(x);
}

static void list_styles(odf_xml *x) {
  odf_bullet_list_style(x, "List_20_Bullet", "List Bullet", NULL);
  odf_number_list_style(x, "List_20_Number", "List Number", ".", true);
}

void odf_a4_page_properties(odf_xml *x, const char *top_bottom, const char *left_right) {
  odf_start(x, "style:page-layout-properties");
  odf_attr(x, "fo:page-width", "21cm");
  odf_attr(x, "fo:page-height", "29.7cm");
  odf_attr(x, "style:print-orientation", "portrait");
  odf_attr(x, "fo:margin-top", top_bottom);
  odf_attr(x, "fo:margin-bottom", top_bottom);
  odf_attr(x, "fo:margin-left", left_right);
  odf_attr(x, "fo:margin-right", left_right);
  odf_end(x);
}

void odf_common_styles(odf_xml *x, const odf_theme *t) {
  if (t && t->styles_xml) {
    xmlTextWriterWriteRaw(x->w, BAD_CAST t->styles_xml);
    return;
  }
  const char *accent = odf_theme_get(t, "color_accent"), *muted = odf_theme_get(t, "color_muted");
  odf_start(x, "office:styles");
  odf_start(x, "style:default-style");
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:font-size", odf_theme_get(t, "font_size"));
  odf_attr(x, "fo:color", odf_theme_get(t, "color_text"));
  odf_attr(x, "fo:language", "sv");
  odf_attr(x, "fo:country", "SE");
  odf_end(x);
  odf_end(x);
  style_open(x, "Standard", NULL, "paragraph", NULL);
  odf_attr(x, "style:class", "text");
  odf_end(x);
  style_open(x, "Text_20_body", "Text body", "paragraph", "Standard");
  para_props(x, "0cm", "0.2cm", "fo:line-height", "125%");
  odf_end(x);
  style_open(x, "Heading", NULL, "paragraph", "Standard");
  odf_attr(x, "style:next-style-name", "Text_20_body");
  para_props(x, "0.45cm", "0.15cm", "fo:keep-with-next", "always");
  text_props(x, "14pt", "bold", accent, NULL);
  odf_end(x);
  static const char *const sizes[] = {"17pt", "14pt", "12.5pt", "11.5pt", "11pt", "11pt"};
  for (int l = 1; l <= 6; l++) {
    char name[32], display[32];
    snprintf(name, sizeof name, "Heading_20_%d", l);
    snprintf(display, sizeof display, "Heading %d", l);
    style_open(x, name, display, "paragraph", "Heading");
    odf_attrf(x, "style:default-outline-level", "%d", l);
    text_props(x, sizes[l - 1], "bold", accent, NULL);
    odf_end(x);
  }
  style_open(x, "Title", NULL, "paragraph", "Heading");
  para_props(x, "0cm", "0.2cm", NULL, NULL);
  text_props(x, "22pt", "bold", accent, NULL);
  odf_end(x);
  style_open(x, "Subtitle", NULL, "paragraph", "Text_20_body");
  para_props(x, "0cm", "0.35cm", NULL, NULL);
  text_props(x, "12.5pt", NULL, muted, NULL);
  odf_end(x);
  style_open(x, "Kind", NULL, "paragraph", "Standard");
  para_props(x, "0cm", "0.1cm", NULL, NULL);
  text_props(x, "9pt", "bold", muted, NULL);
  odf_end(x);
  style_open(x, "Quotations", NULL, "paragraph", "Text_20_body");
  para_props(x, NULL, NULL, "fo:margin-left", "0.8cm");
  text_props(x, NULL, NULL, muted, NULL);
  odf_end(x);
  style_open(x, "Preformatted_20_Text", "Preformatted Text", "paragraph", "Standard");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", "0cm");
  odf_attr(x, "fo:background-color", odf_theme_get(t, "color_tint"));
  odf_end(x);
  text_props(x, "9.5pt", NULL, NULL, odf_theme_get(t, "font_mono"));
  odf_end(x);
  ruled_style(x, t, "Horizontal_20_Line", "Horizontal Line", "0.1cm", "0.3cm");
  box_style(x, t, "Handledning", NULL, odf_theme_get(t, "color_muted"),
            odf_theme_get(t, "color_note"));
  box_style(x, t, "Viktigt", NULL, odf_theme_get(t, "color_important"), NULL);
  box_style(x, t, "Tips", NULL, odf_theme_get(t, "color_tip"), NULL);
  style_open(x, "Box_20_Label", "Box Label", "paragraph", "Text_20_body");
  para_props(x, "0.2cm", "0.05cm", "fo:keep-with-next", "always");
  text_props(x, "10pt", "bold", muted, NULL);
  odf_end(x);
  style_open(x, "Table_20_Contents", "Table Contents", "paragraph", "Standard");
  para_props(x, "0cm", "0cm", NULL, NULL);
  odf_end(x);
  style_open(x, "Table_20_Heading", "Table Heading", "paragraph", "Table_20_Contents");
  text_props(x, NULL, "bold", NULL, NULL);
  odf_end(x);
  ruled_style(x, t, "Note_20_Line", "Note Line", "0.55cm", "0cm");
  style_open(x, "Header", NULL, "paragraph", "Standard");
  para_props(x, "0cm", "0cm", NULL, NULL);
  text_props(x, "8.5pt", NULL, muted, NULL);
  odf_end(x);
  style_open(x, "Footer", NULL, "paragraph", "Header");
  odf_end(x);
  /* character styles */
  style_open(x, "Emphasis", NULL, "text", NULL);
  odf_start(x, "style:text-properties");
  odf_attr(x, "fo:font-style", "italic");
  odf_end(x);
  odf_end(x);
  style_open(x, "Strong_20_Emphasis", "Strong Emphasis", "text", NULL);
  text_props(x, NULL, "bold", NULL, NULL);
  odf_end(x);
  style_open(x, "Source_20_Text", "Source Text", "text", NULL);
  text_props(x, NULL, NULL, NULL, odf_theme_get(t, "font_mono"));
  odf_end(x);
  style_open(x, "Strikethrough", NULL, "text", NULL);
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:text-line-through-style", "solid");
  odf_attr(x, "style:text-line-through-type", "single");
  odf_end(x);
  odf_end(x);
  style_open(x, "Internet_20_link", "Internet link", "text", NULL);
  odf_start(x, "style:text-properties");
  odf_attr(x, "fo:color", odf_theme_get(t, "color_accent"));
  odf_attr(x, "style:text-underline-style", "solid");
  odf_attr(x, "style:text-underline-width", "auto");
  odf_attr(x, "style:text-underline-color", "font-color");
  odf_end(x);
  odf_end(x);
  list_styles(x);
  odf_end(x); /* office:styles */
}
