/* odp.c — see odp.h. */
#include "odp.h"

#include <stdlib.h>
#include <string.h>

/* The slide (16:9) and its frames, in cm. */
#define SLIDE_W 28.0
#define SLIDE_H 15.75
#define MARGIN 1.6
#define BODY_W (SLIDE_W - 2 * MARGIN)
#define BODY_BOTTOM 13.9

/* Line budget: 20 pt body text is about 0.9 cm a line, and Liberation Sans
 * at 20 pt fits about 62 characters on a 24.8 cm line; 56 leaves room for
 * long words. */
#define BODY_LINE_CM 0.9
#define BODY_CHARS 56

odp_slide *odp_add_slide(odp_pack *p, const char *kind, const char *title) {
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->slides = xrealloc(p->slides, p->cap * sizeof *p->slides);
  }
  odp_slide *s = &p->slides[p->n++];
  memset(s, 0, sizeof *s);
  s->kind = kind ? xstrdup(kind) : NULL;
  s->title = xstrdup(title ? title : "");
  return s;
}

static void free_strings(vec *v) {
  for (size_t i = 0; i < v->n; i++)
    free(v->items[i]);
  vec_free(v);
}

void odp_add_image(odp_slide *s, const char *path, const char *alt, const char *title) {
  odp_image *im = xcalloc(1, sizeof *im);
  im->path = xstrdup(path);
  im->alt = xstrdup(alt ? alt : "");
  im->title = title && *title ? xstrdup(title) : NULL;
  vec_push(&s->images, im);
}

static void slide_free(odp_slide *s) {
  for (size_t i = 0; i < s->images.n; i++) {
    odp_image *im = s->images.items[i];
    free(im->path);
    free(im->alt);
    free(im->title);
    free(im);
  }
  vec_free(&s->images);
  free(s->kind);
  free(s->title);
  free(s->lead);
  free(s->notes);
  free_strings(&s->paras);
  free_strings(&s->bullets);
}

void odp_pack_free(odp_pack *p) {
  for (size_t i = 0; i < p->n; i++)
    slide_free(&p->slides[i]);
  free(p->slides);
  free(p->title);
  free(p->subtitle);
  free(p->org_name);
  free(p->date);
  free(p->version);
  free(p->footer);
}

/* ---- fitting text ------------------------------------------------------ */

static size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static double lines_of(const char *s) {
  size_t n = utf8_len(s);
  return (double)((n + BODY_CHARS - 1) / BODY_CHARS + (n == 0)) + 0.35; /* + paragraph gap */
}

typedef struct {
  const char *text;
  bool bullet;
} block;

/* Cuts text longer than `max` characters at the last sentence end or space
 * before it; returns the length in bytes of the first piece. */
static size_t cut_point(const char *s, size_t max_chars) {
  size_t bytes = 0, chars = 0, last_space = 0, last_sentence = 0;
  while (s[bytes] && chars < max_chars) {
    if (s[bytes] == ' ') {
      last_space = bytes;
      if (bytes > 0 && strchr(".!?", s[bytes - 1]))
        last_sentence = bytes;
    }
    if (((unsigned char)s[bytes] & 0xC0) != 0x80)
      chars++;
    bytes++;
  }
  while (((unsigned char)s[bytes] & 0xC0) == 0x80) /* never split a character */
    bytes++;
  if (!s[bytes])
    return bytes;
  if (last_sentence > bytes / 2)
    return last_sentence + 1;
  return last_space ? last_space + 1 : bytes;
}

/* ---- XML pieces -------------------------------------------------------- */

static void frame_open(odf_xml *x, const char *cls, double px, double py, double w, double h) {
  odf_start(x, "draw:frame");
  odf_attr(x, "draw:style-name", "gr_text");
  if (cls) {
    odf_attr(x, "presentation:class", cls);
    odf_attr(x, "presentation:user-transformed", "true");
  }
  odf_attrf(x, "svg:x", "%.2fcm", px);
  odf_attrf(x, "svg:y", "%.2fcm", py);
  odf_attrf(x, "svg:width", "%.2fcm", w);
  odf_attrf(x, "svg:height", "%.2fcm", h);
  odf_start(x, "draw:text-box");
}

static void frame_close(odf_xml *x) {
  odf_end(x);
  odf_end(x);
}

static void text_frame(odf_xml *x, const char *cls, const char *style, const char *text, double px,
                       double py, double w, double h) {
  frame_open(x, cls, px, py, w, h);
  odf_text_element(x, "text:p", style, text);
  frame_close(x);
}

static void write_notes(odf_xml *x, const char *notes) {
  odf_start(x, "presentation:notes");
  odf_start(x, "draw:page-thumbnail");
  odf_attr(x, "presentation:class", "page");
  odf_attr(x, "svg:x", "2cm");
  odf_attr(x, "svg:y", "1.5cm");
  odf_attr(x, "svg:width", "17cm");
  odf_attr(x, "svg:height", "9.56cm");
  odf_end(x);
  frame_open(x, "notes", 2, 12, 17, 14);
  const char *p = notes;
  while (p && *p) { /* one paragraph per line */
    const char *nl = strchr(p, '\n');
    char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
    odf_text_element(x, "text:p", "P_Notes", line);
    free(line);
    p = nl ? nl + 1 : NULL;
  }
  frame_close(x);
  odf_end(x);
}

/* The pack's slides use the first master page of the theme's reference.odp,
 * else the built-in one; the footer text is the pack's (footer-decl "ftr1"),
 * so a master page serves every pack. */
static void page_open(odf_xml *x, int number, const char *master) {
  odf_start(x, "draw:page");
  odf_attrf(x, "draw:name", "Bild %d", number);
  odf_attr(x, "draw:style-name", "dp1");
  odf_attr(x, "draw:master-page-name", master);
  odf_attr(x, "presentation:use-footer-name", "ftr1");
}

/* One slide, written from the blocks [from, to) of its content. */
static void write_slide(odf_xml *x, int number, const odp_slide *s, bool continued,
                        const block *blocks, size_t from, size_t to, bool numbered,
                        int first_number, const char *master) {
  page_open(x, number, master);
  double y = 0.9;
  if (s->kind) {
    text_frame(x, NULL, "P_Kind", s->kind, MARGIN, y, BODY_W, 0.8);
    y += 0.8;
  }
  char *title = continued ? xasprintf("%s (forts.)", s->title) : xstrdup(s->title);
  text_frame(x, "title", "P_Title", title, MARGIN, y, BODY_W, 2.0);
  free(title);
  y += 2.2;
  if (s->lead && !continued) {
    text_frame(x, NULL, "P_Lead", s->lead, MARGIN, y, BODY_W, 2.4);
    y += 2.6;
  }
  if (to > from) {
    frame_open(x, "outline", MARGIN, y, BODY_W, BODY_BOTTOM - y);
    size_t i = from;
    while (i < to) {
      if (!blocks[i].bullet) {
        odf_text_element(x, "text:p", "P_Body", blocks[i].text);
        i++;
        continue;
      }
      odf_start(x, "text:list");
      odf_attr(x, "text:style-name", numbered ? "L_Number" : "L_Bullet");
      for (bool first = true; i < to && blocks[i].bullet; i++, first = false) {
        odf_start(x, "text:list-item");
        if (first && numbered && first_number > 1)
          odf_attrf(x, "text:start-value", "%d", first_number);
        odf_text_element(x, "text:p", "P_Body", blocks[i].text);
        odf_end(x);
      }
      odf_end(x);
    }
    frame_close(x);
  }
  if (s->notes && *s->notes)
    write_notes(x, s->notes);
  odf_end(x);
}

/* One image of a slide's content, fitted under `title` and centred. false
 * when it cannot be read (content_load checked every authored image). */
static bool image_slide(odf_xml *x, odf_package *pkg, const char *content_dir, int number,
                        const odp_slide *s, const odp_image *im, const char *title,
                        const char *master, const char *notes) {
  double top = 0.9 + (s->kind ? 0.8 : 0) + 2.2;
  odf_picture pic;
  if (!odf_picture_add(pkg, content_dir, im->path, BODY_W, BODY_BOTTOM - top, &pic))
    return false;
  page_open(x, number, master);
  if (s->kind)
    text_frame(x, NULL, "P_Kind", s->kind, MARGIN, 0.9, BODY_W, 0.8);
  text_frame(x, "title", "P_Title", title, MARGIN, top - 2.2, BODY_W, 2.0);
  /* centred in the space under the title */
  odf_picture_frame(x, &pic, "gr_image", number, NULL, MARGIN + (BODY_W - pic.w) / 2,
                    top + (BODY_BOTTOM - top - pic.h) / 2, im->title, im->alt);
  if (notes && *notes)
    write_notes(x, notes);
  odf_end(x);
  free(pic.part);
  return true;
}

/* Splits a slide's content over as many slides as its text needs; its
 * images follow, one a slide. A slide of images only has no text slide. */
static void write_content_slides(odf_xml *x, odf_package *pkg, const char *content_dir, int *number,
                                 const odp_slide *s, const char *master) {
  vec pieces = {0}; /* char* owned */
  vec is_bullet = {0};
  const vec *srcs[2] = {&s->paras, &s->bullets};
  double capacity =
      (BODY_BOTTOM - 0.9 - (s->kind ? 0.8 : 0) - 2.2 - (s->lead ? 2.6 : 0)) / BODY_LINE_CM;
  size_t max_chars = (size_t)((capacity - 0.5) * BODY_CHARS);
  if (max_chars < BODY_CHARS)
    max_chars = BODY_CHARS;
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < srcs[k]->n; i++) {
      const char *t = srcs[k]->items[i];
      while (*t) { /* a paragraph too long for one slide becomes several */
        size_t cut = cut_point(t, max_chars);
        vec_push(&pieces, xstrndup(t, cut));
        vec_push(&is_bullet, (void *)(size_t)(k == 1));
        t += cut;
        while (*t == ' ')
          t++;
      }
    }
  block *blocks = xcalloc(pieces.n + 1, sizeof *blocks);
  for (size_t i = 0; i < pieces.n; i++)
    blocks[i] = (block){pieces.items[i], is_bullet.items[i] != NULL};
  size_t from = 0;
  bool continued = false;
  int bullets_before = 0;
  bool text_slide = pieces.n > 0 || s->images.n == 0 || s->lead;
  for (bool more = text_slide; more; more = from < pieces.n) {
    double cap = continued ? capacity + (s->lead ? 2.6 / BODY_LINE_CM : 0) : capacity;
    double used = 0;
    size_t to = from;
    while (to < pieces.n && (to == from || used + lines_of(blocks[to].text) <= cap))
      used += lines_of(blocks[to++].text);
    write_slide(x, (*number)++, s, continued, blocks, from, to, s->numbered, bullets_before + 1,
                master);
    for (size_t i = from; i < to; i++)
      bullets_before += blocks[i].bullet;
    from = to;
    continued = true;
  }
  /* the first image stands in for a text slide the slide did not need:
   * it carries the slide's title and notes */
  for (size_t i = 0; i < s->images.n; i++) {
    const odp_image *im = s->images.items[i];
    bool first = i == 0 && !text_slide;
    if (image_slide(x, pkg, content_dir, *number, s, im, first || !im->title ? s->title : im->title,
                    master, first ? s->notes : NULL))
      (*number)++;
  }
  free(blocks);
  free_strings(&pieces);
  vec_free(&is_bullet);
}

static void title_slide(odf_xml *x, const odp_pack *p, const char *master) {
  page_open(x, 1, master);
  text_frame(x, NULL, "P_Kind", "Arbetsplatsträff", MARGIN, 2.6, BODY_W, 0.9);
  text_frame(x, "title", "P_BigTitle", p->title, MARGIN, 3.6, BODY_W, 3.6);
  if (p->subtitle)
    text_frame(x, "subtitle", "P_Lead", p->subtitle, MARGIN, 7.4, BODY_W, 2.6);
  char *meta = xasprintf("%s%s%s%s%s", p->org_name ? p->org_name : "", p->date ? " · " : "",
                         p->date ? p->date : "", p->version ? " · version " : "",
                         p->version ? p->version : "");
  text_frame(x, NULL, "P_Body", meta, MARGIN, 10.6, BODY_W, 1.2);
  free(meta);
  odf_end(x);
}

/* ---- styles ------------------------------------------------------------ */

static void para_style(odf_xml *x, const char *font, const char *name, const char *size, bool bold,
                       const char *color, const char *space_below) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:paragraph-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", space_below);
  odf_end(x);
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", font);
  odf_attr(x, "fo:font-size", size);
  if (bold)
    odf_attr(x, "fo:font-weight", "bold");
  odf_attr(x, "fo:color", color);
  odf_attr(x, "fo:language", "sv");
  odf_attr(x, "fo:country", "SE");
  odf_end(x);
  odf_end(x);
}

static void list_style(odf_xml *x, const char *name, bool numbered) {
  odf_start(x, "text:list-style");
  odf_attr(x, "style:name", name);
  odf_start(x, numbered ? "text:list-level-style-number" : "text:list-level-style-bullet");
  odf_attr(x, "text:level", "1");
  if (numbered) {
    odf_attr(x, "style:num-suffix", ".");
    odf_attr(x, "style:num-format", "1");
  } else {
    odf_attr(x, "text:bullet-char", "•");
  }
  odf_start(x, "style:list-level-properties");
  odf_attr(x, "text:space-before", "0cm");
  odf_attr(x, "text:min-label-width", "0.9cm");
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

/* A slide value from reference.odp, else the theme's. */
static const char *slide_value(const odf_theme *t, const char *slide_key, const char *theme_key) {
  const char *v = odf_theme_slides(t, slide_key);
  return v ? v : odf_theme_get(t, theme_key);
}

static void content_styles(odf_xml *x, const odf_theme *t) {
  const char *text = slide_value(t, "text_color", "color_text"),
             *accent = slide_value(t, "title_color", "color_accent"),
             *muted = odf_theme_get(t, "color_muted");
  odf_start(x, "office:automatic-styles");
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "dp1");
  odf_attr(x, "style:family", "drawing-page");
  odf_start(x, "style:drawing-page-properties");
  odf_attr(x, "presentation:display-footer", "true");
  odf_attr(x, "presentation:display-page-number", "false");
  odf_attr(x, "presentation:display-date-time", "false");
  odf_end(x);
  odf_end(x);
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "gr_text");
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:graphic-properties");
  odf_attr(x, "draw:stroke", "none");
  odf_attr(x, "draw:fill", "none");
  odf_attr(x, "draw:auto-grow-height", "false");
  odf_attr(x, "draw:textarea-vertical-align", "top");
  odf_attr(x, "fo:padding", "0cm");
  odf_end(x);
  odf_end(x);
  const char *tf = slide_value(t, "title_font", "font"), *bf = slide_value(t, "text_font", "font");
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "gr_image");
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:graphic-properties");
  odf_attr(x, "draw:stroke", "none");
  odf_attr(x, "draw:fill", "none");
  odf_end(x);
  odf_end(x);
  para_style(x, bf, "P_Kind", "14pt", true, muted, "0cm");
  para_style(x, tf, "P_Title", "30pt", true, accent, "0cm");
  para_style(x, tf, "P_BigTitle", "40pt", true, accent, "0cm");
  para_style(x, bf, "P_Lead", "24pt", false, text, "0.2cm");
  para_style(x, bf, "P_Body", "20pt", false, text, "0.25cm");
  para_style(x, odf_theme_get(t, "font"), "P_Notes", "12pt", false, odf_theme_get(t, "color_text"),
             "0.15cm");
  list_style(x, "L_Bullet", false);
  list_style(x, "L_Number", true);
  odf_end(x);
}

/* A presentation style Impress shows as the master's "Title" / "Outline 1"
 * style: restyling it in a reference.odp changes the slides' text. */
static void presentation_style(odf_xml *x, const odf_theme *t, const char *name, const char *size,
                               bool bold, const char *color) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "presentation");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:font-size", size);
  if (bold)
    odf_attr(x, "fo:font-weight", "bold");
  odf_attr(x, "fo:color", color);
  odf_end(x);
  odf_end(x);
}

static void builtin_office_styles(odf_xml *x, const odf_theme *t) {
  odf_start(x, "office:styles");
  odf_start(x, "style:default-style");
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:language", "sv");
  odf_attr(x, "fo:country", "SE");
  odf_end(x);
  odf_end(x);
  presentation_style(x, t, "Vaksam-title", "30pt", true, odf_theme_get(t, "color_accent"));
  presentation_style(x, t, "Vaksam-outline1", "20pt", false, odf_theme_get(t, "color_text"));
  odf_end(x);
}

static void graphic_style(odf_xml *x, const char *name, const char *fill) {
  odf_start(x, "style:style");
  odf_attr(x, "style:name", name);
  odf_attr(x, "style:family", "graphic");
  odf_start(x, "style:graphic-properties");
  odf_attr(x, "draw:stroke", "none");
  odf_attr(x, "draw:fill", fill ? "solid" : "none");
  if (fill)
    odf_attr(x, "draw:fill-color", fill);
  odf_attr(x, "draw:textarea-vertical-align", "middle");
  odf_attr(x, "fo:padding", "0cm");
  odf_end(x);
  odf_end(x);
}

static void builtin_automatic_styles(odf_xml *x, const odf_theme *t) {
  odf_start(x, "office:automatic-styles");
  odf_start(x, "style:page-layout");
  odf_attr(x, "style:name", "PM1");
  odf_start(x, "style:page-layout-properties");
  odf_attr(x, "fo:margin-top", "0cm");
  odf_attr(x, "fo:margin-bottom", "0cm");
  odf_attr(x, "fo:margin-left", "0cm");
  odf_attr(x, "fo:margin-right", "0cm");
  odf_attrf(x, "fo:page-width", "%.2fcm", SLIDE_W);
  odf_attrf(x, "fo:page-height", "%.2fcm", SLIDE_H);
  odf_attr(x, "style:print-orientation", "landscape");
  odf_end(x);
  odf_end(x);
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "Mdp1");
  odf_attr(x, "style:family", "drawing-page");
  odf_start(x, "style:drawing-page-properties");
  odf_attr(x, "draw:fill", "solid");
  odf_attr(x, "draw:fill-color", "#ffffff");
  odf_end(x);
  odf_end(x);
  graphic_style(x, "Mgr_bar", odf_theme_get(t, "color_accent"));
  graphic_style(x, "Mgr_footer", NULL);
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "MP_footer");
  odf_attr(x, "style:family", "paragraph");
  odf_start(x, "style:text-properties");
  odf_attr(x, "style:font-name", odf_theme_get(t, "font"));
  odf_attr(x, "fo:font-size", "11pt");
  odf_attr(x, "fo:color", "#ffffff");
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

/* The built-in master page: a white slide with a bar at the bottom that
 * holds the footer (the pack's footer-decl). */
static void builtin_master(odf_xml *x) {
  odf_start(x, "office:master-styles");
  odf_start(x, "style:master-page");
  odf_attr(x, "style:name", "Vaksam");
  odf_attr(x, "style:page-layout-name", "PM1");
  odf_attr(x, "draw:style-name", "Mdp1");
  odf_start(x, "draw:rect");
  odf_attr(x, "draw:style-name", "Mgr_bar");
  odf_attr(x, "svg:x", "0cm");
  odf_attrf(x, "svg:y", "%.2fcm", SLIDE_H - 1.0);
  odf_attrf(x, "svg:width", "%.2fcm", SLIDE_W);
  odf_attr(x, "svg:height", "1cm");
  odf_end(x);
  odf_start(x, "draw:frame");
  odf_attr(x, "draw:style-name", "Mgr_footer");
  odf_attr(x, "presentation:class", "footer");
  odf_attrf(x, "svg:x", "%.2fcm", MARGIN);
  odf_attrf(x, "svg:y", "%.2fcm", SLIDE_H - 1.0);
  odf_attrf(x, "svg:width", "%.2fcm", BODY_W);
  odf_attr(x, "svg:height", "1cm");
  odf_start(x, "draw:text-box");
  odf_start(x, "text:p");
  odf_attr(x, "text:style-name", "MP_footer");
  odf_start(x, "presentation:footer");
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
  odf_end(x);
}

static void write_raw(odf_xml *x, const char *xml) {
  xmlTextWriterWriteRaw(x->w, BAD_CAST xml); /* parsed and re-serialised XML */
}

/* styles.xml: reference.odp's parts as they are, else the built-in ones. */
static void write_styles(odf_package *pkg, const odf_theme *t) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-styles");
  const char *fonts = odf_theme_slides(t, "fonts"), *styles = odf_theme_slides(t, "styles"),
             *automatic = odf_theme_slides(t, "automatic"),
             *masters = odf_theme_slides(t, "masters");
  if (fonts)
    write_raw(&x, fonts);
  else
    odf_font_decls(&x, t);
  if (styles)
    write_raw(&x, styles);
  else
    builtin_office_styles(&x, t);
  if (masters) {
    if (automatic)
      write_raw(&x, automatic);
    write_raw(&x, masters);
  } else {
    builtin_automatic_styles(&x, t);
    builtin_master(&x);
  }
  odf_xml_end(&x, pkg, "styles.xml");
}

int odp_write(const odp_pack *p, const odf_theme *theme, const char *out_path, diag *dg) {
  odf_package *pkg = odf_package_new(ODF_MIME_PRESENTATION);
  odf_xml x;
  odf_xml_begin(&x, "office:document-content");
  content_styles(&x, theme);
  odf_start(&x, "office:body");
  odf_start(&x, "office:presentation");
  odf_start(&x, "presentation:footer-decl");
  odf_attr(&x, "presentation:name", "ftr1");
  odf_text(&x, p->footer ? p->footer : "");
  odf_end(&x);
  const char *master = odf_theme_slides(theme, "master");
  master = master ? master : "Vaksam";
  title_slide(&x, p, master);
  int number = 2;
  for (size_t i = 0; i < p->n; i++)
    write_content_slides(&x, pkg, p->content_dir, &number, &p->slides[i], master);
  odf_end(&x);
  odf_end(&x);
  odf_xml_end(&x, pkg, "content.xml");
  write_styles(pkg, theme);
  const char *fields[] = {"Organisation", p->org_name, "Version", p->version, NULL, NULL};
  odf_meta(pkg, p->title, p->subtitle, fields);
  int rc = odf_package_write(pkg, out_path, dg);
  odf_package_free(pkg);
  return rc;
}
