/* odt.c — see odt.h. */
#include "odt.h"
#include "image.h"
#include "markdown.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NEST 64

#define L(w, key) labels_get((w)->labels, key)

typedef struct {
  odf_xml x; /* first: the image hook gets &x and finds the writer */
  odf_package *pkg;
  const vk_labels *labels;      /* the words the writer adds (render.h) */
  const char *content_dir;      /* where local images are (image.h); NULL: none */
  double text_width;            /* cm between the page margins */
  int images;                   /* frames so far (their draw:name) */
  const char *styles[MAX_NEST]; /* paragraph style per open quote/box */
  int n_styles;
  struct {
    bool ordered;
    const char *style; /* its list style: every list names its own */
    int items;         /* items started so far */
  } lists[MAX_NEST];
  int n_lists;
  int quotes; /* block quotes open */
  int tables;
  int table_cols;  /* columns of the table being written, 0 outside tables */
  bool note_lines; /* ruled note lines after items of the current question list */
  int note_list;   /* the list depth that gets them */
  bool after_questions_heading;
  int level_shift; /* the body's top heading becomes Heading 1 */
} odt_writer;

/* Quotes and boxes nested deeper than MAX_NEST keep the deepest style
 * recorded (n_styles still counts them, so pops stay balanced). */
static const char *para_style(const odt_writer *w) {
  int n = w->n_styles < MAX_NEST ? w->n_styles : MAX_NEST;
  return n ? w->styles[n - 1] : "Text_20_body";
}

static void push_style(odt_writer *w, const char *s) {
  if (w->n_styles < MAX_NEST)
    w->styles[w->n_styles] = s;
  w->n_styles++;
}

static void pop_style(odt_writer *w) {
  if (w->n_styles > 0)
    w->n_styles--;
}

static void paragraph(odt_writer *w, const char *style, const char *text) {
  odf_text_element(&w->x, "text:p", style, text);
}

/* ---- tables ------------------------------------------------------------ */

static const char *cell_para_style(char align, bool header) {
  if (align == 'c')
    return header ? "P_Head_Center" : "P_Center";
  if (align == 'r')
    return header ? "P_Head_Right" : "P_Right";
  return header ? "Table_20_Heading" : "Table_20_Contents";
}

static void write_row(odt_writer *w, cmark_node *table, cmark_node *row, int cols) {
  bool header = md_row_is_header(row);
  odf_start(&w->x, "table:table-row");
  int c = 0;
  for (cmark_node *cell = cmark_node_first_child(row); cell && c < cols;
       cell = cmark_node_next(cell), c++) {
    odf_start(&w->x, "table:table-cell");
    odf_attr(&w->x, "table:style-name", header ? "TblHeadCell" : "TblCell");
    odf_attr(&w->x, "office:value-type", "string");
    odf_start(&w->x, "text:p");
    odf_attr(&w->x, "text:style-name", cell_para_style(md_table_align(table, c), header));
    odf_inlines(&w->x, cell);
    odf_end(&w->x);
    odf_end(&w->x);
  }
  for (; c < cols; c++) { /* GFM rows may be short; ODF rows are full */
    odf_start(&w->x, "table:table-cell");
    odf_attr(&w->x, "table:style-name", header ? "TblHeadCell" : "TblCell");
    odf_end(&w->x);
  }
  odf_end(&w->x);
}

static void write_table(odt_writer *w, cmark_node *table) {
  int cols = md_table_columns(table);
  if (cols < 1)
    return;
  w->tables++;
  w->table_cols = cols;
  odf_start(&w->x, "table:table");
  odf_attrf(&w->x, "table:name", "Tabell%d", w->tables);
  odf_attr(&w->x, "table:style-name", "Tbl");
  odf_start(&w->x, "table:table-column");
  odf_attrf(&w->x, "table:number-columns-repeated", "%d", cols);
  odf_end(&w->x);
  cmark_node *row = cmark_node_first_child(table);
  if (row && md_row_is_header(row)) {
    odf_start(&w->x, "table:table-header-rows");
    write_row(w, table, row, cols);
    odf_end(&w->x);
    row = cmark_node_next(row);
  }
  for (; row; row = cmark_node_next(row))
    write_row(w, table, row, cols);
  odf_end(&w->x);
  w->table_cols = 0;
}

/* ODF has no tables in list items: close the lists, write the table, then
 * reopen them with list headers (no bullet) and continued numbering. */
static void table_in_lists(odt_writer *w, cmark_node *table) {
  for (int i = w->n_lists - 1; i >= 0; i--) {
    odf_end(&w->x); /* list-item or list-header */
    odf_end(&w->x); /* list */
  }
  write_table(w, table);
  for (int i = 0; i < w->n_lists; i++) {
    odf_start(&w->x, "text:list");
    if (i < MAX_NEST)
      odf_attr(&w->x, "text:style-name", w->lists[i].style);
    if (i < MAX_NEST && w->lists[i].ordered)
      odf_attr(&w->x, "text:continue-numbering", "true");
    odf_start(&w->x, "text:list-header");
  }
}

/* ---- images ------------------------------------------------------------ */

/* An image not embedded: its description, linked to the image when `link`
 * (a remote image is not fetched). */
static void image_text(odf_xml *x, cmark_node *n, const char *alt, bool link) {
  if (link)
    odf_start_link(x, cmark_node_get_url(n));
  odf_start(x, "text:span");
  odf_attr(x, "text:style-name", "Emphasis");
  odf_text(x, *alt ? alt : L((odt_writer *)x, "image.no_alt"));
  odf_end(x);
  if (link)
    odf_end(x);
}

/* Local images are embedded once under Pictures/ and drawn as a frame in
 * the line (as-char), so they flow with the text they belong to. An image
 * that cannot be read (only possible from a filter: the parse stage (document.h) checked
 * the authored ones) falls back to its description. */
static void embed_image(odf_xml *x, cmark_node *n, bool in_link) {
  odt_writer *w = (odt_writer *)x;
  const char *url = cmark_node_get_url(n);
  sbuf alt = {0};
  md_text_content(n, &alt);
  /* lists and boxes indent the text; keep the frame inside it */
  double max_w = w->text_width - 0.65 * w->n_lists - (w->n_styles ? 0.8 : 0);
  if (w->table_cols) /* columns share the width equally; cells have padding */
    max_w = w->text_width / w->table_cols - 0.3;
  odf_picture pic;
  if (odf_picture_add(w->pkg, w->content_dir, url, max_w < 4 ? 4 : max_w, 20, &pic)) {
    odf_picture_frame(x, &pic, "Fr_Image", ++w->images, "as-char", 0, 0, cmark_node_get_title(n),
                      sbuf_str(&alt));
    free(pic.part);
  } else {
    image_text(x, n, sbuf_str(&alt), url && *url && image_is_remote(url) && !in_link);
  }
  sbuf_free(&alt);
}

/* A paragraph that holds only an image (and white space) is a figure. */
static bool is_figure(cmark_node *para) {
  bool image = false;
  for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
    md_type t = md_type_of(c);
    if (t == MD_IMAGE && !image)
      image = true;
    else if (!(t == MD_SOFTBREAK || t == MD_LINEBREAK ||
               (t == MD_TEXT &&
                strspn(cmark_node_get_literal(c), " \t") == strlen(cmark_node_get_literal(c)))))
      return false;
  }
  return image;
}

/* ---- blocks ------------------------------------------------------------ */

static void code_lines(odt_writer *w, const char *code) {
  const char *p = code ? code : "";
  size_t len = strlen(p);
  if (len && p[len - 1] == '\n')
    len--;
  const char *end = p + len;
  do {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    char *line = xstrndup(p, n);
    odf_start(&w->x, "text:p");
    odf_attr(&w->x, "text:style-name", "Preformatted_20_Text");
    /* leading spaces matter in code: text:s for every one of them */
    size_t lead = strspn(line, " ");
    if (lead) {
      odf_start(&w->x, "text:s");
      if (lead > 1)
        odf_attrf(&w->x, "text:c", "%zu", lead);
      odf_end(&w->x);
    }
    odf_text(&w->x, line + lead);
    odf_end(&w->x);
    free(line);
    p = nl ? nl + 1 : end;
  } while (p < end);
}

static bool is_questions_heading(const odt_writer *w, cmark_node *h) {
  sbuf t = {0};
  md_text_content(h, &t);
  bool yes = false;
  const char *start;
  for (size_t i = 0; !yes && (start = labels_item(w->labels, "questions_headings", i)); i++)
    yes = strncasecmp(sbuf_str(&t), start, strlen(start)) == 0;
  sbuf_free(&t);
  return yes;
}

static void div_enter(odt_writer *w, cmark_node *n) {
  md_attrs *a = md_attrs_of(n);
  if (md_attrs_has_class(a, "handledning")) {
    paragraph(w, "Box_20_Label", L(w, "box.handledning"));
    push_style(w, "Handledning");
  } else if (md_attrs_has_class(a, "viktigt")) {
    paragraph(w, "Box_20_Label", L(w, "box.viktigt"));
    push_style(w, "Viktigt");
  } else if (md_attrs_has_class(a, "tips")) {
    paragraph(w, "Box_20_Label", L(w, "box.tips"));
    push_style(w, "Tips");
  } else {
    push_style(w, para_style(w));
  }
}

/* A nested list names its own style, so bullets under a numbered item stay
 * bullets and "1)" items under bullets keep their numbers. */
static const char *list_style(cmark_node *list) {
  if (cmark_node_get_list_type(list) != CMARK_ORDERED_LIST)
    return "List_20_Bullet";
  return cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? "L_Paren" : "List_20_Number";
}

static void list_enter(odt_writer *w, cmark_node *n) {
  bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
  odf_start(&w->x, "text:list");
  odf_attr(&w->x, "text:style-name", list_style(n));
  if (w->n_lists < MAX_NEST) {
    w->lists[w->n_lists].ordered = ordered;
    w->lists[w->n_lists].style = list_style(n);
    w->lists[w->n_lists].items = 0;
  }
  w->n_lists++;
  if (w->after_questions_heading && w->n_lists == 1 && ordered) {
    w->note_lines = true;
    w->note_list = 1;
  }
  w->after_questions_heading = false;
}

/* A task item's box is its one marker: its own list style in place of the
 * bullet (L_Task_Open, L_Task_Done). */
static void item_enter(odt_writer *w, cmark_node *item) {
  bool task = md_item_is_task(item);
  odf_start(&w->x, "text:list-item");
  if (task)
    odf_attr(&w->x, "text:style-override", md_item_checked(item) ? "L_Task_Done" : "L_Task_Open");
  cmark_node *list = cmark_node_parent(item);
  int depth = w->n_lists - 1;
  if (depth >= 0 && depth < MAX_NEST && w->lists[depth].items++ == 0 && w->lists[depth].ordered &&
      !task && cmark_node_get_list_start(list) != 1)
    odf_attrf(&w->x, "text:start-value", "%d", cmark_node_get_list_start(list));
  if (!cmark_node_first_child(item)) /* an empty item still shows its bullet */
    paragraph(w, para_style(w), "");
}

static void item_exit(odt_writer *w) {
  if (w->note_lines && w->n_lists == w->note_list) {
    paragraph(w, "Note_20_Line", "");
    paragraph(w, "Note_20_Line", "");
  }
  odf_end(&w->x);
}

static void paragraph_enter(odt_writer *w, cmark_node *n) {
  odf_start(&w->x, "text:p");
  odf_attr(&w->x, "text:style-name",
           is_figure(n) && !w->n_styles && !w->n_lists ? "P_Figure" : para_style(w));
  odf_inlines(&w->x, n);
}

/* A quote in a quote indents further (P_Quote_N, quote_styles()). */
static const char *quote_style(int depth) {
  static const char *const names[] = {"Quotations", "P_Quote_2", "P_Quote_3", "P_Quote_4"};
  return names[depth < 1 ? 0 : depth > 4 ? 3 : depth - 1];
}

static void heading_enter(odt_writer *w, cmark_node *n) {
  int level = cmark_node_get_heading_level(n) - w->level_shift;
  level = level < 1 ? 1 : level;
  char style[32];
  snprintf(style, sizeof style, "Heading_20_%d", level);
  odf_start(&w->x, "text:h");
  odf_attr(&w->x, "text:style-name", style);
  odf_attrf(&w->x, "text:outline-level", "%d", level);
  odf_inlines(&w->x, n);
  w->after_questions_heading = is_questions_heading(w, n);
  if (!w->after_questions_heading)
    w->note_lines = false;
}

/* The body: one iterator walk, one switch. Inline content is written by
 * odf_inlines() at the block that holds it, so the walk skips to the
 * block's exit. */
static void write_body(odt_writer *w, cmark_node *root) {
  int min = md_min_heading_level(root);
  w->level_shift = min ? min - 1 : 0;
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    bool enter = ev == CMARK_EVENT_ENTER;
    switch (md_type_of(n)) {
    case MD_PARAGRAPH:
    case MD_HEADING:
      /* The inlines are written here; resetting to the node's exit makes
       * the next step go past it (no EXIT event comes for it). */
      if (enter) {
        if (md_type_of(n) == MD_PARAGRAPH)
          paragraph_enter(w, n);
        else
          heading_enter(w, n);
        odf_end(&w->x);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      }
      break;
    case MD_BLOCK_QUOTE:
      if (enter)
        push_style(w, quote_style(++w->quotes));
      else {
        w->quotes--;
        pop_style(w);
      }
      break;
    case MD_DIV:
      if (enter)
        div_enter(w, n);
      else
        pop_style(w);
      break;
    case MD_LIST:
      if (enter) {
        list_enter(w, n);
      } else {
        odf_end(&w->x);
        if (w->note_lines && w->n_lists == w->note_list)
          w->note_lines = false;
        w->n_lists--;
      }
      break;
    case MD_ITEM:
      if (enter)
        item_enter(w, n);
      else
        item_exit(w);
      break;
    case MD_CODE_BLOCK: code_lines(w, cmark_node_get_literal(n)); break;
    case MD_THEMATIC_BREAK: paragraph(w, "Horizontal_20_Line", ""); break;
    case MD_TABLE:
      if (enter) {
        if (w->n_lists)
          table_in_lists(w, n);
        else
          write_table(w, n);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      }
      break;
    case MD_HTML_BLOCK: /* dropped; the build warns with file:line */
    case MD_DOCUMENT:
    default: break;
    }
  }
  cmark_iter_free(it);
}

/* ---- the frame around the body ------------------------------------------ */

/* The figure paragraph and the image frame (content.xml's automatic
 * styles, so they exist whatever the reference document holds). */
static void image_styles(odf_xml *x) {
  static const char *const figure[] = {"fo:text-align",
                                       "center",
                                       "fo:margin-top",
                                       "0.2cm",
                                       "fo:margin-bottom",
                                       "0.3cm",
                                       "fo:keep-with-next",
                                       "auto",
                                       NULL};
  static const char *const frame[] = {"style:vertical-pos", "top",       "style:vertical-rel",
                                      "baseline",           "fo:border", "none",
                                      "fo:padding",         "0cm",       NULL};
  odf_simple_style(x, "P_Figure", "paragraph", "Text_20_body", "style:paragraph-properties",
                   figure);
  odf_simple_style(x, "Fr_Image", "graphic", NULL, "style:graphic-properties", frame);
}

/* Styles the reference document need not hold: "1)" lists and nested
 * quotes. */
static void list_quote_styles(odf_xml *x) {
  odf_number_list_style(x, "L_Paren", NULL, ")", false);
  odf_bullet_list_style(x, "L_Task_Open", NULL, "☐");
  odf_bullet_list_style(x, "L_Task_Done", NULL, "☑");
  for (int d = 2; d <= 4; d++) {
    odf_start(x, "style:style");
    odf_attrf(x, "style:name", "P_Quote_%d", d);
    odf_attr(x, "style:family", "paragraph");
    odf_attr(x, "style:parent-style-name", "Quotations");
    odf_start(x, "style:paragraph-properties");
    odf_attrf(x, "fo:margin-left", "%.1fcm", 0.8 * d);
    odf_end(x);
    odf_end(x);
  }
}

static void table_styles(odf_xml *x) {
  static const char *const aligned[][3] = {{"P_Center", "Table_20_Contents", "center"},
                                           {"P_Right", "Table_20_Contents", "end"},
                                           {"P_Head_Center", "Table_20_Heading", "center"},
                                           {"P_Head_Right", "Table_20_Heading", "end"}};
  for (size_t i = 0; i < 4; i++) {
    odf_start(x, "style:style");
    odf_attr(x, "style:name", aligned[i][0]);
    odf_attr(x, "style:family", "paragraph");
    odf_attr(x, "style:parent-style-name", aligned[i][1]);
    odf_start(x, "style:paragraph-properties");
    odf_attr(x, "fo:text-align", aligned[i][2]);
    odf_end(x);
    odf_end(x);
  }
  odf_start(x, "style:style");
  odf_attr(x, "style:name", "Tbl");
  odf_attr(x, "style:family", "table");
  odf_start(x, "style:table-properties");
  odf_attr(x, "style:width", "16.6cm");
  odf_attr(x, "table:align", "margins");
  odf_attr(x, "fo:margin-top", "0.1cm");
  odf_attr(x, "fo:margin-bottom", "0.3cm");
  odf_end(x);
  odf_end(x);
  static const char *const cells[][2] = {{"TblCell", NULL}, {"TblHeadCell", "#e8ecf1"}};
  for (size_t i = 0; i < 2; i++) {
    odf_start(x, "style:style");
    odf_attr(x, "style:name", cells[i][0]);
    odf_attr(x, "style:family", "table-cell");
    odf_start(x, "style:table-cell-properties");
    odf_attr(x, "fo:padding", "0.1cm");
    odf_attr(x, "fo:border", "0.5pt solid #9aa5b1");
    if (cells[i][1])
      odf_attr(x, "fo:background-color", cells[i][1]);
    odf_end(x);
    odf_end(x);
  }
}

static void meta_table(odt_writer *w, const char *const *fields) {
  int rows = 0;
  for (const char *const *f = fields; f && f[0]; f += 2)
    rows += f[1] && *f[1];
  if (!rows)
    return;
  odf_start(&w->x, "table:table");
  odf_attr(&w->x, "table:name", L(w, "table.facts"));
  odf_attr(&w->x, "table:style-name", "Tbl");
  odf_start(&w->x, "table:table-column");
  odf_attr(&w->x, "table:number-columns-repeated", "2");
  odf_end(&w->x);
  for (const char *const *f = fields; f && f[0]; f += 2) {
    if (!f[1] || !*f[1])
      continue;
    odf_start(&w->x, "table:table-row");
    for (int c = 0; c < 2; c++) {
      odf_start(&w->x, "table:table-cell");
      odf_attr(&w->x, "table:style-name", c == 0 ? "TblHeadCell" : "TblCell");
      odf_attr(&w->x, "office:value-type", "string");
      paragraph(w, c == 0 ? "Table_20_Heading" : "Table_20_Contents", f[c]);
      odf_end(&w->x);
    }
    odf_end(&w->x);
  }
  odf_end(&w->x);
}

/* "Ändrat sedan förra versionen": the history entries of the current
 * version, when the routine had an approved version before it. */
static void changed_since(odt_writer *w, const vk_doc *d, const vk_change *h, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += h[i].version && d->version && strcmp(h[i].version, d->version) == 0 && h[i].text;
  if (d->n_versions < 2 || !k)
    return;
  odf_start(&w->x, "text:h");
  odf_attr(&w->x, "text:style-name", "Heading_20_2");
  odf_attr(&w->x, "text:outline-level", "2");
  odf_text(&w->x, L(w, "changed.heading"));
  odf_end(&w->x);
  for (size_t i = 0; i < n; i++)
    if (h[i].version && d->version && strcmp(h[i].version, d->version) == 0 && h[i].text)
      paragraph(w, "Text_20_body", h[i].text);
}

static void history_table(odt_writer *w, const vk_change *h, size_t n) {
  odf_start(&w->x, "text:h");
  odf_attr(&w->x, "text:style-name", "Heading_20_2");
  odf_attr(&w->x, "text:outline-level", "2");
  odf_text(&w->x, L(w, "history.heading"));
  odf_end(&w->x);
  if (!n) {
    paragraph(w, "Text_20_body", L(w, "history.none"));
    return;
  }
  w->tables++;
  odf_start(&w->x, "table:table");
  odf_attr(&w->x, "table:name", L(w, "table.history"));
  odf_attr(&w->x, "table:style-name", "Tbl");
  odf_start(&w->x, "table:table-column");
  odf_attr(&w->x, "table:number-columns-repeated", "4");
  odf_end(&w->x);
  const char *const head[] = {L(w, "history.date"), L(w, "history.version"), L(w, "history.change"),
                              L(w, "history.author")};
  odf_start(&w->x, "table:table-header-rows");
  odf_start(&w->x, "table:table-row");
  for (int c = 0; c < 4; c++) {
    odf_start(&w->x, "table:table-cell");
    odf_attr(&w->x, "table:style-name", "TblHeadCell");
    odf_attr(&w->x, "office:value-type", "string");
    paragraph(w, "Table_20_Heading", head[c]);
    odf_end(&w->x);
  }
  odf_end(&w->x);
  odf_end(&w->x);
  for (size_t i = 0; i < n; i++) {
    char date[11];
    date_format(h[i].date, date);
    const char *vals[] = {date, h[i].version, h[i].text, h[i].author};
    odf_start(&w->x, "table:table-row");
    for (int c = 0; c < 4; c++) {
      odf_start(&w->x, "table:table-cell");
      odf_attr(&w->x, "table:style-name", "TblCell");
      odf_attr(&w->x, "office:value-type", "string");
      paragraph(w, "Table_20_Contents", vals[c] ? vals[c] : "");
      odf_end(&w->x);
    }
    odf_end(&w->x);
  }
  odf_end(&w->x);
}

static void signature_lines(odt_writer *w) {
  paragraph(w, "Box_20_Label", L(w, "signature.heading"));
  paragraph(w, "Note_20_Line", L(w, "signature.name"));
  paragraph(w, "Note_20_Line", L(w, "signature.date"));
  paragraph(w, "Note_20_Line", L(w, "signature.sign"));
}

static void write_styles(odf_package *pkg, const odf_theme *t, const vk_labels *l,
                         const char *header, const char *version) {
  odf_xml x;
  odf_xml_begin(&x, "office:document-styles");
  odf_font_decls(&x, t);
  odf_common_styles(&x, t);
  odf_start(&x, "office:automatic-styles");
  odf_start(&x, "style:page-layout");
  odf_attr(&x, "style:name", "pm1");
  odf_a4_page_properties(&x, "1.3cm", odf_theme_get(t, "page_margin"));
  static const char *const hf[][2] = {{"style:header-style", "fo:margin-bottom"},
                                      {"style:footer-style", "fo:margin-top"}};
  for (int i = 0; i < 2; i++) {
    odf_start(&x, hf[i][0]);
    odf_start(&x, "style:header-footer-properties");
    odf_attr(&x, "fo:min-height", "0.6cm");
    odf_attr(&x, hf[i][1], "0.4cm");
    odf_end(&x);
    odf_end(&x);
  }
  odf_end(&x);
  odf_end(&x);
  odf_start(&x, "office:master-styles");
  odf_start(&x, "style:master-page");
  odf_attr(&x, "style:name", "Standard");
  odf_attr(&x, "style:page-layout-name", "pm1");
  odf_start(&x, "style:header");
  odf_text_element(&x, "text:p", "Header", header);
  odf_end(&x);
  odf_start(&x, "style:footer");
  odf_start(&x, "text:p");
  odf_attr(&x, "text:style-name", "Footer");
  if (version && *version) {
    char *v = labels_format(l, "footer.version", version);
    odf_text(&x, v);
    free(v);
  }
  odf_text(&x, labels_get(l, "footer.page"));
  odf_start(&x, "text:page-number");
  odf_attr(&x, "text:select-page", "current");
  odf_text(&x, "1");
  odf_end(&x);
  odf_text(&x, labels_get(l, "footer.of"));
  odf_start(&x, "text:page-count");
  odf_text(&x, "1");
  odf_end(&x);
  odf_end(&x);
  odf_end(&x);
  odf_end(&x);
  odf_end(&x);
  odf_xml_end(&x, pkg, "styles.xml");
}

static const char *kind_upper(const vk_labels *l, vk_kind k) {
  static const char *const keys[] = {"kind.routine", "kind.case", "kind.definition",
                                     "kind.checklist", "kind.apt"};
  return labels_get(l, keys[k]);
}

static const char *status_label(const vk_labels *l, vk_status st) {
  static const char *const keys[] = {"", "status.draft", "status.approved", "status.retired"};
  return st ? labels_get(l, keys[st]) : "";
}

static const char *review_label(const vk_labels *l, vk_review_state r) {
  static const char *const keys[] = {"", "review.current", "review.due-soon", "review.overdue",
                                     "review.missing"};
  return r ? labels_get(l, keys[r]) : "";
}

/* content.xml's automatic styles depend on nothing: made once per process
 * (kept to the end) and copied into every document. Writing their 30 list
 * levels was a tenth of a handout's instructions. */
static pthread_once_t automatic_once = PTHREAD_ONCE_INIT;
static char *automatic_xml;

static void automatic_styles(odf_xml *x) {
  image_styles(x);
  table_styles(x);
  list_quote_styles(x);
}

static void automatic_make(void) {
  automatic_xml = odf_fragment(automatic_styles);
}

/* Writes content.xml's frame; `body` fills office:text. */
typedef void (*body_fn)(odt_writer *w, const void *ud);

typedef struct {
  const char *title, *description, *header, *version;
  const char *const *fields;
} package_info;

static int write_package(const vk_write_opts *o, const package_info *info, body_fn body,
                         const void *ud, sbuf *out, diag *dg) {
  odf_package *pkg = odf_package_new(ODF_MIME_TEXT);
  odt_writer w = {0};
  odf_xml_begin(&w.x, "office:document-content");
  w.x.image = embed_image;
  w.pkg = pkg;
  w.labels = o->labels;
  w.content_dir = o->content_dir;
  w.text_width = 21.0 - 2 * strtod(odf_theme_get(o->odf, "page_margin"), NULL); /* A4, cm */
  pthread_once(&automatic_once, automatic_make);
  odf_start(&w.x, "office:automatic-styles");
  odf_raw(&w.x, automatic_xml);
  odf_end(&w.x);
  odf_start(&w.x, "office:body");
  odf_start(&w.x, "office:text");
  body(&w, ud);
  odf_end(&w.x);
  odf_end(&w.x);
  odf_xml_end(&w.x, pkg, "content.xml");
  write_styles(pkg, o->odf, o->labels, info->header, info->version);
  odf_meta(pkg, info->title, info->description, info->fields);
  int rc = odf_package_bytes(pkg, out, dg);
  odf_package_free(pkg);
  return rc;
}

/* ---- handouts ---------------------------------------------------------- */

static void labelled(odt_writer *w, const char *key, const char *value) {
  char *t = labels_format(w->labels, key, value);
  paragraph(w, "Text_20_body", t);
  free(t);
}

/* "2026-05-04, Namn": the last review without change (versions.lock), or NULL. */
static char *review_mark(const vk_doc *d) {
  if (!date_set(d->reviewed))
    return NULL;
  char ds[11];
  date_format(d->reviewed, ds);
  return d->reviewed_by ? xasprintf("%s, %s", ds, d->reviewed_by) : xstrdup(ds);
}

static void handout_body(odt_writer *w, const void *ud) {
  const vk_page *p = ud;
  const vk_doc *d = p->doc;
  char *kind = xasprintf("%s%s · %s · %s", d->status == STATUS_DRAFT ? L(w, "draft_prefix") : "",
                         kind_upper(w->labels, d->kind), p->org->name, p->role->name);
  paragraph(w, "Kind", kind);
  free(kind);
  paragraph(w, "Title", d->title);
  if (d->summary)
    paragraph(w, "Subtitle", d->summary);
  if (d->kind == KIND_ROUTINE) {
    char approved[11], due[11];
    date_format(d->approved, approved);
    date_format(p->review_due, due);
    char *review = xasprintf("%s%s%s", due, *due ? " – " : "", review_label(w->labels, p->review));
    char valid[11];
    date_format(d->valid_from, valid);
    char *reviewed = review_mark(d);
    const char *fields[] = {L(w, "field.version"),
                            d->version,
                            L(w, "field.status"),
                            status_label(w->labels, d->status),
                            L(w, "field.approved"),
                            approved,
                            L(w, "field.approved_by"),
                            d->approved_by,
                            L(w, "field.reference"),
                            d->reference,
                            L(w, "field.owner"),
                            d->owner,
                            L(w, "field.valid_from"),
                            valid,
                            L(w, "field.reviewed"),
                            reviewed,
                            L(w, "field.next_review"),
                            review,
                            NULL,
                            NULL};
    meta_table(w, fields);
    free(review);
    free(reviewed);
    changed_since(w, d, p->history, p->n_history);
  } else if (d->kind == KIND_CASE && d->duration) {
    char minutes[16];
    snprintf(minutes, sizeof minutes, "%d", d->duration);
    labelled(w, "case.duration", minutes);
  } else if (d->kind == KIND_CHECKLIST && d->when) {
    labelled(w, "checklist.when", d->when);
  }
  write_body(w, p->tree);
  if (d->kind == KIND_CHECKLIST)
    signature_lines(w);
  if (d->kind == KIND_ROUTINE)
    history_table(w, p->history, p->n_history);
  if (p->site_url) {
    char *t = labels_format(w->labels, "online_version", p->site_url);
    paragraph(w, "Header", t);
    free(t);
  }
}

int odt_write(const vk_page *p, const vk_write_opts *o, sbuf *out, diag *dg) {
  const vk_doc *d = p->doc;
  const vk_labels *l = o->labels;
  char approved[11], due[11], valid[11];
  date_format(d->approved, approved);
  date_format(p->review_due, due);
  date_format(d->valid_from, valid);
  char *reviewed = review_mark(d);
  const char *fields[] = {labels_get(l, "field.version"),
                          d->version,
                          labels_get(l, "field.status"),
                          status_name(d->status),
                          labels_get(l, "field.approved"),
                          approved,
                          labels_get(l, "field.approved_by"),
                          d->approved_by,
                          labels_get(l, "field.reference"),
                          d->reference,
                          labels_get(l, "field.owner"),
                          d->owner,
                          labels_get(l, "field.next_review"),
                          due,
                          labels_get(l, "field.organisation"),
                          p->org->name,
                          labels_get(l, "field.role"),
                          p->role->name,
                          labels_get(l, "field.valid_from"),
                          valid,
                          labels_get(l, "field.reviewed"),
                          reviewed,
                          NULL,
                          NULL};
  char *header = xasprintf("%s · %s", p->org->name, d->title);
  package_info info = {d->title, d->summary, header, d->version, fields};
  int rc = write_package(o, &info, handout_body, p, out, dg);
  free(header);
  free(reviewed);
  return rc;
}

static void doc_body(odt_writer *w, const void *ud) {
  const odt_doc *d = ud;
  if (d->kind)
    paragraph(w, "Kind", d->kind);
  paragraph(w, "Title", d->title);
  if (d->subtitle)
    paragraph(w, "Subtitle", d->subtitle);
  meta_table(w, d->fields);
  write_body(w, d->tree);
}

int odt_write_doc(const odt_doc *d, const vk_write_opts *o, sbuf *out, diag *dg) {
  char *header = xasprintf("%s · %s", d->org_name ? d->org_name : "", d->title);
  package_info info = {d->title, d->subtitle, header, d->version, d->fields};
  int rc = write_package(o, &info, doc_body, d, out, dg);
  free(header);
  return rc;
}
