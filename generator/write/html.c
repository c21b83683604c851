/* html.c — see html.h. */
#include "html.h"
#include "image.h"
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
  const html_opts *o;
  sbuf *out;
  vec ids;   /* char*: heading ids used so far */
  int tasks; /* task items so far (their checkbox ids) */
  int defs;  /* glossary tooltips so far */
  int col;   /* current table column */
  bool in_tbody;
} writer;

static void esc(writer *w, const char *s) {
  if (s)
    html_escape(w->out, s, strlen(s));
}

static void put(writer *w, const char *s) {
  sbuf_puts(w->out, s);
}

/* A newline unless at the start of a line (cmark's cr()). */
static void cr(writer *w) {
  if (w->out->len && w->out->s[w->out->len - 1] != '\n')
    sbuf_putc(w->out, '\n');
}

/* URLs with these schemes are dropped (cmark's own rule): they would run
 * code or read local files when clicked. Images may use data:image/…. */
static bool dangerous_url(const char *url, bool image) {
  static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
  for (size_t i = 0; i < 4; i++) {
    size_t n = strlen(bad[i]);
    if (strncasecmp(url, bad[i], n) == 0) {
      if (i == 3 && image &&
          (strncasecmp(url, "data:image/png", 14) == 0 ||
           strncasecmp(url, "data:image/gif", 14) == 0 ||
           strncasecmp(url, "data:image/jpeg", 15) == 0 ||
           strncasecmp(url, "data:image/webp", 15) == 0))
        return false;
      return true;
    }
  }
  return false;
}

/* href values as cmark writes them (houdini_escape_href): URL-safe bytes
 * stay, & and ' become entities, everything else is percent-encoded. */
static void put_url(writer *w, const char *url) {
  static const char safe[] = "-_.!~*();/?:@=+$,#%";
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        (c && strchr(safe, c)))
      sbuf_putc(w->out, (char)c);
    else if (c == '&')
      put(w, "&amp;");
    else if (c == '\'')
      put(w, "&#x27;");
    else
      sbuf_printf(w->out, "%%%02X", c);
  }
}

static const char *prefix(const writer *w) {
  return w->o->id_prefix && *w->o->id_prefix ? w->o->id_prefix : "x";
}

/* "<prefix>-<kind>-<n>": a task item's checkbox (kind "uppgift") or a
 * glossary term's definition ("def"). */
static void put_numbered_id(writer *w, const char *kind, int n) {
  put(w, prefix(w));
  sbuf_putc(w->out, '-');
  put(w, kind);
  sbuf_putc(w->out, '-');
  sbuf_put_int(w->out, n);
}

/* ---- heading ids ------------------------------------------------------- */

static bool id_used(const vec *ids, const char *id) {
  for (size_t i = 0; i < ids->n; i++)
    if (strcmp(ids->items[i], id) == 0)
      return true;
  return false;
}

/* The slug of the heading's text; repeated slugs get -1, -2 … */
static char *heading_id(vec *ids, cmark_node *h, const char *prefix) {
  md_attrs *a = md_attrs_of(h);
  char *id;
  if (a && a->id) {
    id = prefix ? xasprintf("%s-%s", prefix, a->id) : xstrdup(a->id);
  } else {
    sbuf text = {0};
    md_text_content(h, &text);
    char *slug = slugify(sbuf_str(&text));
    sbuf_free(&text);
    if (!*slug) {
      free(slug);
      slug = xstrdup("rubrik");
    }
    if (prefix) {
      char *p = xasprintf("%s-%s", prefix, slug);
      free(slug);
      slug = p;
    }
    id = xstrdup(slug);
    for (int k = 1; id_used(ids, id); k++) {
      free(id);
      id = xasprintf("%s-%d", slug, k);
    }
    free(slug);
  }
  vec_push(ids, id);
  return id;
}

static int heading_level(const writer *w, cmark_node *n) {
  int level = cmark_node_get_heading_level(n) + w->o->heading_offset;
  return level < 1 ? 1 : level > 6 ? 6 : level;
}

/* ---- blocks ------------------------------------------------------------ */

static bool in_tight_list(cmark_node *para) {
  cmark_node *item = cmark_node_parent(para);
  cmark_node *list = item ? cmark_node_parent(item) : NULL;
  return item && list && md_type_of(item) == MD_ITEM && md_type_of(list) == MD_LIST &&
         cmark_node_get_list_tight(list);
}

static bool labels_task(cmark_node *para) {
  cmark_node *item = cmark_node_parent(para);
  return item && md_item_is_task(item) && cmark_node_first_child(item) == para;
}

static void attrs_class_id(writer *w, const md_attrs *a, const char *extra_class) {
  bool any = extra_class != NULL;
  for (size_t i = 0; a && i < a->classes.n; i++)
    any = true;
  if (any) {
    put(w, " class=\"");
    if (extra_class)
      put(w, extra_class);
    for (size_t i = 0; a && i < a->classes.n; i++) {
      if (i || extra_class)
        sbuf_putc(w->out, ' ');
      esc(w, a->classes.items[i]);
    }
    sbuf_putc(w->out, '"');
  }
  if (a && a->id) {
    put(w, " id=\"");
    esc(w, a->id);
    sbuf_putc(w->out, '"');
  }
}

/* Containers: facilitator notes are an <aside>, note boxes get a visible
 * label (colour alone must not carry the meaning). */
static const char *label(const writer *w, const char *key) {
  return labels_get(w->o->labels ? w->o->labels : labels_none(), key);
}

static void div_enter(writer *w, cmark_node *n) {
  md_attrs *a = md_attrs_of(n);
  cr(w);
  if (md_attrs_has_class(a, "handledning")) {
    put(w, "<aside");
    attrs_class_id(w, a, NULL);
    put(w, " aria-label=\"");
    esc(w, label(w, "box.handledning_short"));
    put(w, "\">\n<p class=\"box-label\">");
    esc(w, label(w, "box.handledning"));
    put(w, "</p>\n");
  } else if (md_attrs_has_class(a, "viktigt") || md_attrs_has_class(a, "tips")) {
    bool important = md_attrs_has_class(a, "viktigt");
    put(w, "<div");
    attrs_class_id(w, a, "box");
    put(w, " role=\"note\">\n<p class=\"box-label\">");
    esc(w, label(w, important ? "box.viktigt" : "box.tips"));
    put(w, "</p>\n");
  } else {
    put(w, "<div");
    attrs_class_id(w, a, NULL);
    put(w, ">\n");
  }
}

static void div_exit(writer *w, cmark_node *n) {
  cr(w);
  put(w, md_attrs_has_class(md_attrs_of(n), "handledning") ? "</aside>\n" : "</div>\n");
}

static void list_enter(writer *w, cmark_node *n) {
  cr(w);
  if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
    int start = cmark_node_get_list_start(n);
    if (start != 1) {
      put(w, "<ol start=\"");
      sbuf_put_int(w->out, start);
      put(w, "\">\n");
    } else
      put(w, "<ol>\n");
  } else {
    put(w, "<ul>\n");
  }
}

static void item_enter(writer *w, cmark_node *n) {
  cr(w);
  if (!md_item_is_task(n)) {
    put(w, "<li>");
    return;
  }
  w->tasks++;
  put(w, "<li class=\"task\"><input type=\"checkbox\" id=\"");
  put_numbered_id(w, "uppgift", w->tasks);
  sbuf_putc(w->out, '"');
  if (md_item_checked(n))
    put(w, " checked");
  if (!w->o->interactive_tasks)
    put(w, " disabled");
  put(w, ">");
}

static void code_block(writer *w, cmark_node *n) {
  const char *info = cmark_node_get_fence_info(n);
  cr(w);
  put(w, "<pre><code");
  if (info && *info) {
    size_t len = strcspn(info, " \t");
    put(w, " class=\"language-");
    html_escape(w->out, info, len);
    sbuf_putc(w->out, '"');
  }
  put(w, ">");
  esc(w, cmark_node_get_literal(n));
  put(w, "</code></pre>\n");
}

static void raw_html(writer *w, cmark_node *n, bool block) {
  const char *lit = cmark_node_get_literal(n);
  if (w->o->allow_raw_html) {
    if (block)
      cr(w);
    put(w, lit);
    if (block)
      cr(w);
    return;
  }
  if (block) {
    cr(w);
    put(w, "<pre class=\"raw-html\"><code>");
    esc(w, lit);
    put(w, "</code></pre>\n");
  } else {
    esc(w, lit);
  }
}

static void table_enter(writer *w) {
  cr(w);
  put(w, "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
  esc(w, label(w, "table.region"));
  put(w, "\">\n<table>\n");
  w->in_tbody = false;
}

static void row_enter(writer *w, cmark_node *row) {
  w->col = 0;
  cr(w);
  if (md_row_is_header(row)) {
    put(w, "<thead>\n");
  } else if (!w->in_tbody) {
    put(w, "<tbody>\n");
    w->in_tbody = true;
  }
  put(w, "<tr>\n");
}

static void cell_enter(writer *w, cmark_node *cell) {
  cmark_node *row = cmark_node_parent(cell);
  cmark_node *table = row ? cmark_node_parent(row) : NULL;
  bool header = row && md_row_is_header(row);
  cr(w);
  char align = table ? md_table_align(table, w->col) : 0;
  put(w, header ? "<th scope=\"col\"" : "<td");
  if (align == 'l')
    put(w, " style=\"text-align: left\"");
  else if (align == 'c')
    put(w, " style=\"text-align: center\"");
  else if (align == 'r')
    put(w, " style=\"text-align: right\"");
  put(w, ">");
  w->col++;
}

/* ---- inlines ----------------------------------------------------------- */

/* ` title="…">` of a link or image (the attribute only when there is a title). */
static void put_title_and_close(writer *w, cmark_node *n) {
  const char *title = cmark_node_get_title(n);
  if (title && *title) {
    put(w, " title=\"");
    esc(w, title);
    sbuf_putc(w->out, '"');
  }
  put(w, ">");
}

static bool is_glossary_link(cmark_node *n) {
  md_attrs *a = md_attrs_of(n);
  return a && md_attrs_has_class(a, "glossary-term") && md_attrs_get(a, "definition");
}

static void link_enter(writer *w, cmark_node *n) {
  const char *url = cmark_node_get_url(n);
  if (is_glossary_link(n)) {
    w->defs++;
    put(w, "<span class=\"gloss\"><a class=\"glossary-term\" href=\"");
    put_url(w, url);
    put(w, "\" aria-describedby=\"");
    put_numbered_id(w, "def", w->defs);
    put(w, "\">");
    return;
  }
  put(w, "<a href=\"");
  put_url(w, url);
  sbuf_putc(w->out, '"');
  put_title_and_close(w, n);
}

static void link_exit(writer *w, cmark_node *n) {
  if (is_glossary_link(n)) {
    put(w, "</a><span class=\"gloss-def\" role=\"tooltip\" id=\"");
    put_numbered_id(w, "def", w->defs);
    put(w, "\">");
    esc(w, md_attrs_get(md_attrs_of(n), "definition"));
    put(w, "</span></span>");
    return;
  }
  put(w, "</a>");
}

static void image(writer *w, cmark_node *n) {
  sbuf alt = {0};
  md_text_content(n, &alt);
  put(w, "<img src=\"");
  const char *url = cmark_node_get_url(n);
  if (url && *url && w->o->image_prefix && !image_is_remote(url) && url[0] != '/') {
    char *local = xasprintf("%s%s", w->o->image_prefix, url);
    put_url(w, local);
    free(local);
  } else if (!dangerous_url(url, true)) {
    put_url(w, url);
  }
  put(w, "\" alt=\"");
  html_escape(w->out, sbuf_str(&alt), alt.len);
  sbuf_putc(w->out, '"');
  put_title_and_close(w, n);
  sbuf_free(&alt);
}

/* ---- the walk ---------------------------------------------------------- */

static void render_node(writer *w, cmark_iter *it, cmark_node *n, bool enter) {
  switch (md_type_of(n)) {
  case MD_DOCUMENT: break;
  case MD_PARAGRAPH: {
    bool tight = in_tight_list(n), label = labels_task(n);
    if (enter) {
      if (!tight) {
        cr(w);
        put(w, "<p>");
      }
      if (label) {
        put(w, "<label for=\"");
        put_numbered_id(w, "uppgift", w->tasks);
        put(w, "\">");
      }
    } else {
      if (label)
        put(w, "</label>");
      if (!tight)
        put(w, "</p>\n");
    }
    break;
  }
  case MD_HEADING:
    if (enter) {
      char *id = heading_id(&w->ids, n, w->o->heading_id_prefix);
      cr(w);
      put(w, "<h");
      sbuf_put_int(w->out, heading_level(w, n));
      put(w, " id=\"");
      esc(w, id);
      put(w, "\">");
    } else {
      put(w, "</h");
      sbuf_put_int(w->out, heading_level(w, n));
      put(w, ">\n");
    }
    break;
  case MD_BLOCK_QUOTE:
    cr(w);
    put(w, enter ? "<blockquote>\n" : "</blockquote>\n");
    break;
  case MD_LIST:
    if (enter)
      list_enter(w, n);
    else {
      cr(w);
      put(w, cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? "</ol>\n" : "</ul>\n");
    }
    break;
  case MD_ITEM:
    if (enter)
      item_enter(w, n);
    else
      put(w, "</li>\n");
    break;
  case MD_CODE_BLOCK: code_block(w, n); break;
  case MD_HTML_BLOCK: raw_html(w, n, true); break;
  case MD_THEMATIC_BREAK:
    cr(w);
    put(w, "<hr>\n");
    break;
  case MD_DIV:
    if (enter)
      div_enter(w, n);
    else
      div_exit(w, n);
    break;
  case MD_TABLE:
    if (enter)
      table_enter(w);
    else {
      cr(w);
      put(w, w->in_tbody ? "</tbody>\n</table>\n</div>\n" : "</table>\n</div>\n");
    }
    break;
  case MD_TABLE_ROW:
    if (enter)
      row_enter(w, n);
    else {
      cr(w);
      put(w, md_row_is_header(n) ? "</tr>\n</thead>\n" : "</tr>\n");
    }
    break;
  case MD_TABLE_CELL:
    if (enter)
      cell_enter(w, n);
    else
      put(w, md_row_is_header(cmark_node_parent(n)) ? "</th>\n" : "</td>\n");
    break;
  case MD_TEXT: esc(w, cmark_node_get_literal(n)); break;
  case MD_SOFTBREAK: sbuf_putc(w->out, '\n'); break;
  case MD_LINEBREAK: put(w, "<br>\n"); break;
  case MD_CODE:
    put(w, "<code>");
    esc(w, cmark_node_get_literal(n));
    put(w, "</code>");
    break;
  case MD_HTML_INLINE: raw_html(w, n, false); break;
  case MD_EMPH: put(w, enter ? "<em>" : "</em>"); break;
  case MD_STRONG: put(w, enter ? "<strong>" : "</strong>"); break;
  case MD_STRIKETHROUGH: put(w, enter ? "<del>" : "</del>"); break;
  case MD_SPAN:
    if (enter) {
      put(w, "<span");
      attrs_class_id(w, md_attrs_of(n), NULL);
      put(w, ">");
    } else {
      put(w, "</span>");
    }
    break;
  case MD_LINK:
    /* A dangerous link keeps its text and loses the link. */
    if (dangerous_url(cmark_node_get_url(n), false))
      break;
    if (enter)
      link_enter(w, n);
    else
      link_exit(w, n);
    break;
  case MD_IMAGE:
    if (enter) {
      image(w, n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* alt text is written already */
    }
    break;
  case MD_FOOTNOTE_DEF:
  case MD_FOOTNOTE_REF:
  case MD_OTHER: break;
  }
}

static void walk(cmark_node *root, const html_opts *o, sbuf *out, bool skip_root) {
  html_opts defaults = {0};
  writer w = {.o = o ? o : &defaults, .out = out};
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (skip_root && n == root)
      continue;
    render_node(&w, it, n, ev == CMARK_EVENT_ENTER);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < w.ids.n; i++)
    free(w.ids.items[i]);
  vec_free(&w.ids);
  if (!out->s)
    sbuf_puts(out, "");
}

void html_render(cmark_node *root, const html_opts *o, sbuf *out) {
  walk(root, o, out, false);
}

void html_render_inline(cmark_node *node, sbuf *out) {
  walk(node, NULL, out, true);
}

size_t html_toc(cmark_node *root, const html_opts *o, html_toc_entry **out) {
  html_opts defaults = {0};
  writer w = {.o = o ? o : &defaults};
  size_t n = 0, cap = 0;
  html_toc_entry *toc = NULL;
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *h = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || md_type_of(h) != MD_HEADING)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      toc = xrealloc(toc, cap * sizeof *toc);
    }
    sbuf text = {0};
    md_text_content(h, &text);
    toc[n].level = heading_level(&w, h);
    toc[n].id = xstrdup(heading_id(&w.ids, h, w.o->heading_id_prefix));
    toc[n++].text = sbuf_take(&text);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < w.ids.n; i++)
    free(w.ids.items[i]);
  vec_free(&w.ids);
  *out = toc;
  return n;
}

void html_toc_free(html_toc_entry *toc, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(toc[i].id);
    free(toc[i].text);
  }
  free(toc);
}
