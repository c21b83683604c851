/* pages.c — see pages.h.
 *
 * Every page is a page template (doc, list, glossary, home, …) rendered
 * into `main`, then wrapped by `layout`. Template data is a vk_value map;
 * the helpers below build its common part (site, organisation, role, root
 * prefix, navigation, breadcrumbs).
 */
#include "pages.h"
#include "frame.h"
#include "links.h"
#include "feed.h"
#include "filter.h"
#include "html.h"
#include "image.h"
#include "markdown.h"
#include "odf.h"
#include "odt.h"
#include "pack.h"
#include "search.h"
#include "variant.h"

#include <stdlib.h>
#include <string.h>

/* ---- template data helpers ------------------------------------------- */

static void set_b(vk_value *m, const char *k, bool v) {
  vk_map_set(m, k, vk_bool(v));
}

static void set_date(vk_value *m, const char *k, vk_date d) {
  char s[11];
  date_format(d, s);
  if (s[0])
    vk_map_set(m, k, vk_str(s));
}

/* ---- one variant ------------------------------------------------------ */

typedef struct {
  vk_build *b;
  const vk_org *org;
  const vk_role *role;
  vk_filters *filters_html, *filters_odt;
  search_index *search;
  vk_value *lists[KIND_COUNT]; /* entries per kind for index pages */
  vk_value *glossary;          /* definitions with their rendered bodies */
  vk_glossary *terms;          /* built-in glossary links */
  pages_cache *cache;          /* or NULL */
} variant_job;

static const char *date_months[] = {"januari",   "februari", "mars",     "april",
                                    "maj",       "juni",     "juli",     "augusti",
                                    "september", "oktober",  "november", "december"};

/* "14 mars 2025" — how Swedish readers expect a date in running text. */
static char *date_long(vk_date d) {
  if (!date_set(d))
    return NULL;
  return xasprintf("%d %s %d", d.d, date_months[d.m - 1], d.y);
}

static char *html_link_cb(void *ud, const vk_doc *target, const char *anchor) {
  (void)ud;
  return link_from_sibling(target, anchor);
}

static char *odt_link_cb(void *ud, const vk_doc *target, const char *anchor) {
  const variant_job *j = ud;
  const char *base = j->b->content->site->base_url ? j->b->content->site->base_url : "";
  if (target->kind == KIND_DEFINITION)
    return xasprintf("%s%s/%s/begrepp/index.html#%s", base, j->org->id, j->role->id,
                     anchor && *anchor ? anchor : target->id);
  return xasprintf("%s%s/%s/%s/%s.html%s%s", base, j->org->id, j->role->id, kind_slug(target->kind),
                   target->id, anchor ? "#" : "", anchor ? anchor : "");
}

static vk_value *base_data(const variant_job *j, const char *root, const char *title,
                           const char *section) {
  return frame_data(j->b, j->org, j->role, root, title, section);
}

/* Renders `tpl` into main, wraps it in the layout and writes it. */
static int write_page(variant_job *j, const char *rel, const char *tpl, vk_value *data) {
  sbuf main = {0}, page = {0};
  theme_render(j->b->theme, tpl, data, &main);
  vk_map_set(data, "main", vk_str(sbuf_str(&main)));
  theme_render(j->b->theme, "layout", data, &page);
  char *path = xasprintf("site/%s", rel);
  int rc = build_write(j->b, path, sbuf_str(&page), page.len);
  free(path);
  sbuf_free(&main);
  sbuf_free(&page);
  vk_value_free(data);
  return rc;
}

/* ---- documents -------------------------------------------------------- */

static vk_value *review_data(const variant_job *j, const vk_doc *d) {
  const vk_doc_facts *f = build_facts(j->b, d);
  vk_value *m = vk_map();
  vk_map_put(m, "state", review_state_name(f->review));
  vk_map_put(m, "label", review_state_label(f->review));
  set_b(m, "show", f->review != REVIEW_NONE);
  set_b(m, "overdue", f->review == REVIEW_OVERDUE);
  set_b(m, "due_soon", f->review == REVIEW_DUE_SOON);
  set_date(m, "due", f->due);
  vk_map_put_owned(m, "due_long", date_long(f->due));
  return m;
}

static vk_value *routine_meta(const variant_job *j, const vk_doc *d) {
  vk_value *m = vk_map();
  vk_map_put(m, "version", d->version);
  static const char *status_labels[] = {"", "Utkast", "Fastställd", "Upphävd"};
  vk_map_put(m, "status", status_labels[d->status]);
  vk_map_put(m, "status_id", status_name(d->status));
  set_b(m, "retired", d->status == STATUS_RETIRED);
  set_b(m, "draft", d->status == STATUS_DRAFT);
  set_date(m, "approved", d->approved);
  vk_map_put_owned(m, "approved_long", date_long(d->approved));
  vk_map_put(m, "approved_by", d->approved_by);
  vk_map_put(m, "reference", d->reference);
  vk_map_put(m, "owner", d->owner);
  if (d->review_interval)
    vk_map_set(m, "review_interval", vk_int(d->review_interval));
  vk_map_set(m, "review", review_data(j, d));
  const vk_change *h;
  size_t nh;
  build_history(j->b, d, &h, &nh);
  vk_date last = {0, 0, 0};
  for (size_t i = 0; i < nh; i++)
    if (date_cmp(h[i].date, last) > 0)
      last = h[i].date;
  vk_map_put_owned(m, "last_changed", date_long(last));
  if (d->replaced_by) {
    const vk_doc *r = content_find(j->b->content, d->replaced_by);
    if (r && doc_applies(r, j->b->content->site, j->org, j->role)) {
      vk_map_put_owned(m, "replaced_by_url", link_from_sibling(r, NULL));
      vk_map_put(m, "replaced_by_title", r->title);
    }
  }
  return m;
}

static vk_value *history_data(const variant_job *j, const vk_doc *d) {
  const vk_change *h;
  size_t n;
  build_history(j->b, d, &h, &n);
  vk_value *list = vk_list();
  for (size_t i = 0; i < n; i++) {
    vk_value *m = vk_map();
    set_date(m, "date", h[i].date);
    vk_map_put(m, "version", h[i].version);
    vk_map_put(m, "text", h[i].text);
    vk_map_put(m, "author", h[i].author);
    vk_list_push(list, m);
  }
  return list;
}

static vk_value *related_data(const variant_job *j, const vk_doc *d) {
  vk_value *list = vk_list();
  for (size_t i = 0; i < d->related.n; i++) {
    const vk_doc *r = content_find(j->b->content, d->related.items[i]);
    if (!r || !doc_applies(r, j->b->content->site, j->org, j->role))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "title", r->title);
    vk_map_put_owned(m, "url", link_from_sibling(r, NULL));
    vk_map_put(m, "kind", kind_label(r->kind));
    vk_list_push(list, m);
  }
  return list;
}

static bool has_handout(vk_kind k) {
  return k == KIND_ROUTINE || k == KIND_CASE || k == KIND_CHECKLIST;
}

static char *handout_rel(const variant_job *j, const vk_doc *d) {
  return xasprintf("handouts/%s/%s/%s.odt", j->org->id, j->role->id, d->id);
}

/* `top` is the level the document's own top headings get (2 under the
 * page's h1; 3 in the glossary, under each term's h2). */
static void render_body(cmark_node *tree, const vk_doc *d, sbuf *out) {
  int top = d->kind == KIND_DEFINITION ? 3 : 2;
  int min = md_min_heading_level(tree);
  html_opts o = {.heading_id_prefix = d->kind == KIND_DEFINITION ? d->id : NULL,
                 .heading_offset = min ? top - min : 1,
                 .interactive_tasks = d->kind == KIND_CHECKLIST,
                 .allow_raw_html = false,
                 .id_prefix = d->id,
                 .image_prefix = "../../../" IMAGE_SITE_DIR "/"}; /* pages are 3 deep */
  html_render(tree, &o, out);
}

static vk_value *doc_entry(const variant_job *j, const vk_doc *d) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", d->id);
  vk_map_put(m, "title", d->title);
  vk_map_put(m, "summary", d->summary);
  vk_map_put_owned(m, "url", link_from_sibling(d, NULL));
  if (d->kind == KIND_ROUTINE) {
    vk_map_put(m, "version", d->version);
    vk_map_set(m, "review", review_data(j, d));
  }
  if (d->duration)
    vk_map_set(m, "duration", vk_int(d->duration));
  vk_map_put(m, "when", d->when);
  return m;
}

static void write_handout(variant_job *j, const vk_doc *d, const vk_page *page_html) {
  if (!(j->b->opts->formats & FMT_ODT) || !has_handout(d->kind) || !j->b->odf_theme)
    return;
  vk_variant_ctx v = {j->b->content, j->org, j->role, j->filters_odt, odt_link_cb, j};
  cmark_node *tree = variant_tree(&v, d, j->b->dg);
  vk_page p = *page_html;
  p.tree = tree;
  char *rel = handout_rel(j, d);
  vk_write_opts wo = {j->b->odf_theme, theme_labels(j->b->theme), j->b->content->dir};
  sbuf odt = {0};
  if (odt_write(&p, &wo, &odt, j->b->dg) == 0)
    build_write(j->b, rel, sbuf_str(&odt), odt.len);
  sbuf_free(&odt);
  free(rel);
  cmark_node_free(tree);
}

/* The glossary terms to weigh in the search index, one per line: a
 * definition's synonyms, and on other pages the terms linked to their
 * definitions (the built-in glossary filter marks them glossary-term). */
static char *search_terms(cmark_node *tree, const vk_doc *d) {
  sbuf out = {0};
  for (size_t i = 0; d->kind == KIND_DEFINITION && i < d->synonyms.n; i++) {
    sbuf_puts(&out, d->synonyms.items[i]);
    sbuf_putc(&out, '\n');
  }
  cmark_iter *it = cmark_iter_new(tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_LINK &&
        md_attrs_has_class(md_attrs_of(n), "glossary-term")) {
      md_text_content(n, &out);
      sbuf_putc(&out, '\n');
    }
  }
  cmark_iter_free(it);
  return sbuf_take(&out);
}

static void search_entry_free(pages_search_entry *e) {
  free(e->url);
  free(e->title);
  free(e->kind);
  free(e->summary);
  free(e->terms);
  free(e->text);
}

static void cache_entry(variant_job *j, size_t di, const char *url, const vk_doc *d,
                        const char *terms, const char *text) {
  if (!j->cache || di >= j->cache->n)
    return;
  pages_search_entry *e = &j->cache->entries[di];
  search_entry_free(e);
  *e = (pages_search_entry){0};
  if (!url)
    return; /* not in the index */
  e->url = xstrdup(url);
  e->title = d->title ? xstrdup(d->title) : NULL;
  e->kind = xstrdup(kind_label(d->kind));
  e->summary = d->summary ? xstrdup(d->summary) : NULL;
  e->terms = xstrdup(terms);
  e->text = xstrdup(text);
}

static void render_doc(variant_job *j, const vk_doc *d, size_t di) {
  vk_build *b = j->b;
  vk_variant_ctx v = {b->content, j->org, j->role, j->filters_html, html_link_cb, j, j->terms};
  cmark_node *tree = variant_tree(&v, d, b->dg);
  sbuf body = {0}, text = {0};
  render_body(tree, d, &body);
  md_text_content(tree, &text);

  const char *root = "../../../";
  vk_value *data = base_data(j, root, d->title, kind_slug(d->kind));
  frame_add_crumb(data, j->role->name, "../index.html");
  if (d->kind == KIND_DEFINITION)
    frame_add_crumb(data, kind_label(d->kind), "../begrepp/index.html");
  else
    frame_add_crumb(data, kind_label(d->kind), "index.html");

  vk_map_put(data, "description", d->summary);
  vk_map_put(data, "kind", kind_name(d->kind));
  static const char *const singular[] = {"Rutin", "Fall för samtal", "Begrepp", "Checklista",
                                         "APT-material"};
  vk_map_put(data, "kind_label", singular[d->kind]);
  vk_value *doc = doc_entry(j, d);
  vk_map_put(doc, "body", sbuf_str(&body));
  set_b(doc, "is_routine", d->kind == KIND_ROUTINE);
  set_b(doc, "is_case", d->kind == KIND_CASE);
  set_b(doc, "is_checklist", d->kind == KIND_CHECKLIST);
  set_b(doc, "is_definition", d->kind == KIND_DEFINITION);
  if (d->kind == KIND_ROUTINE)
    vk_map_set(doc, "meta", routine_meta(j, d));
  if (d->kind == KIND_ROUTINE) {
    vk_value *h = history_data(j, d);
    set_b(doc, "has_history", h->u.list.n > 0);
    vk_map_set(doc, "history", h);
    set_b(doc, "history_git", build_facts(b, d)->git);
  }
  if (d->kind == KIND_DEFINITION) {
    vk_map_put(doc, "term", d->term);
    vk_map_put(doc, "source", d->source);
    vk_value *syn = vk_list();
    for (size_t i = 0; i < d->synonyms.n; i++)
      vk_list_push(syn, vk_str(d->synonyms.items[i]));
    set_b(doc, "has_synonyms", d->synonyms.n > 0);
    vk_map_set(doc, "synonyms", syn);
  }
  vk_value *rel = related_data(j, d);
  set_b(doc, "has_related", rel->u.list.n > 0);
  vk_map_set(doc, "related", rel);
  if ((b->opts->formats & FMT_ODT) && has_handout(d->kind) && b->odf_theme) {
    char *h = handout_rel(j, d);
    vk_map_put_owned(doc, "handout", xasprintf("../../../../%s", h));
    free(h);
  }
  vk_map_set(data, "doc", doc);

  /* Index entry and search before the page data is consumed. */
  char *url = xasprintf("%s/%s.html", kind_slug(d->kind), d->id);
  if (d->kind == KIND_DEFINITION) {
    vk_value *g = doc_entry(j, d);
    vk_map_put(g, "body", sbuf_str(&body));
    vk_map_put(g, "term", d->term);
    vk_map_put(g, "source", d->source);
    vk_list_push(j->glossary, g);
    free(url);
    url = xasprintf("begrepp/index.html#%s", d->id);
  }
  /* A retired routine is not offered by search either: its page is kept
   * only so that old links still lead somewhere. */
  bool searchable = d->status != STATUS_RETIRED;
  char *terms = search_terms(tree, d);
  if (j->search && searchable)
    search_add(j->search, url, d->title, kind_label(d->kind), d->summary, terms, sbuf_str(&text));
  cache_entry(j, di, searchable ? url : NULL, d, terms, sbuf_str(&text));
  free(terms);
  /* Retired routines leave the lists but keep their page (old links work). */
  if (d->status != STATUS_RETIRED)
    vk_list_push(j->lists[d->kind], doc_entry(j, d));

  vk_page page = {b->content->site,
                  b->content,
                  j->org,
                  j->role,
                  d,
                  tree,
                  NULL,
                  0,
                  build_facts(b, d)->review,
                  build_facts(b, d)->due,
                  b->generated,
                  NULL};
  build_history(b, d, &page.history, &page.n_history);
  char *abs = xasprintf("%s%s/%s/%s", b->content->site->base_url ? b->content->site->base_url : "",
                        j->org->id, j->role->id, url);
  page.site_url = abs;
  if (d->kind != KIND_DEFINITION) {
    char *rel_path = xasprintf("%s/%s/%s", j->org->id, j->role->id, url);
    write_page(j, rel_path, "doc", data);
    free(rel_path);
  } else {
    vk_value_free(data);
  }
  write_handout(j, d, &page);
  free(abs);
  free(url);
  sbuf_free(&body);
  sbuf_free(&text);
  cmark_node_free(tree);
}

/* ---- index pages ------------------------------------------------------ */

static void write_kind_index(variant_job *j, vk_kind k) {
  const char *root = "../../../";
  vk_value *data = base_data(j, root, kind_label(k), kind_slug(k));
  frame_add_crumb(data, j->role->name, "../index.html");
  vk_map_put(data, "kind_label", kind_label(k));
  vk_map_put(data, "kind", kind_name(k));
  vk_value *items = vk_value_copy(j->lists[k]);
  set_b(data, "empty", items->u.list.n == 0);
  set_b(data, "is_routines", k == KIND_ROUTINE);
  vk_map_set(data, "items", items);
  char *rel = xasprintf("%s/%s/%s/index.html", j->org->id, j->role->id, kind_slug(k));
  write_page(j, rel, k == KIND_DEFINITION ? "glossary" : "list", data);
  free(rel);
}

static void write_glossary(variant_job *j) {
  const char *root = "../../../";
  vk_value *data = base_data(j, root, "Begrepp", "begrepp");
  frame_add_crumb(data, j->role->name, "../index.html");
  vk_value *terms = vk_value_copy(j->glossary);
  set_b(data, "empty", terms->u.list.n == 0);
  vk_map_set(data, "terms", terms);
  char *rel = xasprintf("%s/%s/begrepp/index.html", j->org->id, j->role->id);
  write_page(j, rel, "glossary", data);
  free(rel);
}

static void write_home(variant_job *j) {
  const char *root = "../../";
  vk_value *data = base_data(j, root, j->role->name, "home");
  frame_add_crumb(data, j->org->name, "../index.html");
  vk_value *sections = vk_list();
  for (int k = 0; k < KIND_COUNT; k++) {
    vk_value *s = vk_map();
    vk_map_put(s, "label", kind_label((vk_kind)k));
    vk_map_put_owned(s, "url", xasprintf("%s/index.html", kind_slug((vk_kind)k)));
    vk_map_set(s, "count", vk_int((long long)j->lists[k]->u.list.n));
    vk_value *items = vk_value_copy(j->lists[k]);
    /* Entry URLs are relative to a kind folder; the home page sits one up. */
    for (size_t i = 0; i < items->u.list.n; i++) {
      const char *u = vk_map_str(items->u.list.items[i], "url");
      if (u && strncmp(u, "../", 3) == 0)
        vk_map_set(items->u.list.items[i], "url", vk_str(u + 3));
    }
    vk_map_set(s, "items", items);
    vk_list_push(sections, s);
  }
  vk_map_set(data, "sections", sections);
  set_b(data, "sees_review", frame_role_sees_review(j->role));
  char *rel = xasprintf("%s/%s/index.html", j->org->id, j->role->id);
  write_page(j, rel, "home", data);
  free(rel);
}

static int cmp_urgency(const void *a, const void *b) {
  const vk_value *x = *(vk_value *const *)a, *y = *(vk_value *const *)b;
  const vk_value *rx = vk_map_get(x, "review"), *ry = vk_map_get(y, "review");
  const char *order = "overdue missing due-soon current none";
  const char *sx = strstr(order, vk_map_str(rx, "state")),
             *sy = strstr(order, vk_map_str(ry, "state"));
  if (sx != sy)
    return sx < sy ? -1 : 1;
  const char *dx = vk_map_str(rx, "due"), *dy = vk_map_str(ry, "due");
  int c = strcmp(dx ? dx : "9999", dy ? dy : "9999");
  return c ? c : strcmp(vk_map_str(x, "id"), vk_map_str(y, "id"));
}

static void write_review(variant_job *j) {
  if (!frame_role_sees_review(j->role))
    return;
  const char *root = "../../";
  vk_value *data = base_data(j, root, "Granskning av rutiner", "granskning");
  frame_add_crumb(data, j->role->name, "index.html");
  vk_value *items = vk_list();
  vk_doc **docs;
  size_t n = content_of_kind(j->b->content, KIND_ROUTINE, &docs);
  int counts[5] = {0};
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = docs[i];
    if (!doc_applies(d, j->b->content->site, j->org, NULL))
      continue;
    vk_value *e = doc_entry(j, d);
    const char *u = vk_map_str(e, "url");
    vk_map_set(e, "url", vk_str(u + 3));
    vk_map_put(e, "owner", d->owner);
    vk_map_put(e, "status", status_name(d->status));
    /* Routines for other roles are listed (their state is not secret) but
     * only linked when this role may read them. */
    if (!doc_applies(d, j->b->content->site, j->org, j->role))
      vk_map_set(e, "url", vk_null());
    vk_list_push(items, e);
    counts[build_facts(j->b, d)->review]++;
  }
  vk_sort(items->u.list.items, items->u.list.n, sizeof *items->u.list.items, cmp_urgency);
  vk_map_set(data, "items", items);
  vk_map_set(data, "n_overdue", vk_int(counts[REVIEW_OVERDUE]));
  vk_map_set(data, "n_due_soon", vk_int(counts[REVIEW_DUE_SOON]));
  vk_map_set(data, "n_current", vk_int(counts[REVIEW_CURRENT]));
  vk_map_set(data, "n_missing", vk_int(counts[REVIEW_MISSING]));
  char *rel = xasprintf("%s/%s/granskning.html", j->org->id, j->role->id);
  write_page(j, rel, "review", data);
  free(rel);
}

typedef struct {
  variant_job *j;
  const char *dir;
} search_sink;

static int put_search_file(void *ud, const char *name, const char *data, size_t len) {
  const search_sink *s = ud;
  char *rel = xasprintf("%s/%s", s->dir, name);
  int rc = build_write(s->j->b, rel, data, len);
  free(rel);
  return rc;
}

static void write_search_index(variant_job *j) {
  if (!j->search)
    return;
  char *dir = xasprintf("site/%s/%s/sok", j->org->id, j->role->id);
  search_sink sink = {j, dir};
  search_emit(j->search, put_search_file, &sink);
  free(dir);
}

static void write_search(variant_job *j) {
  const char *root = "../../";
  vk_value *data = base_data(j, root, "Sök", "sok");
  frame_add_crumb(data, j->role->name, "index.html");
  /* Without JavaScript the page lists every page of this variant. */
  vk_value *all = vk_list();
  for (int k = 0; k < KIND_COUNT; k++) {
    for (size_t i = 0; i < j->lists[k]->u.list.n; i++) {
      vk_value *e = vk_value_copy(j->lists[k]->u.list.items[i]);
      const char *u = vk_map_str(e, "url");
      if (u && strncmp(u, "../", 3) == 0)
        vk_map_set(e, "url", vk_str(u + 3));
      vk_map_put(e, "kind", kind_label((vk_kind)k));
      vk_list_push(all, e);
    }
  }
  vk_map_set(data, "all", all);
  set_b(data, "is_search", true);
  char *rel = xasprintf("%s/%s/sok.html", j->org->id, j->role->id);
  write_page(j, rel, "search", data);
  free(rel);
  write_search_index(j);
}

void pages_cache_clear(pages_cache *c) {
  for (size_t i = 0; i < c->n; i++)
    search_entry_free(&c->entries[i]);
  free(c->entries);
  c->entries = NULL;
  c->n = 0;
}

static void job_open(variant_job *j, vk_build *b, const vk_org *org, const vk_role *role,
                     pages_cache *cache) {
  *j = (variant_job){.b = b, .org = org, .role = role, .cache = cache};
  j->filters_html = filters_new(b->content, org, role, "html", b->dg);
  if (b->opts->formats & FMT_ODT)
    j->filters_odt = filters_new(b->content, org, role, "odt", b->dg);
  j->terms = variant_glossary_new(b->content, org, role);
  for (int k = 0; k < KIND_COUNT; k++)
    j->lists[k] = vk_list();
  j->glossary = vk_list();
}

static void job_close(variant_job *j) {
  for (int k = 0; k < KIND_COUNT; k++)
    vk_value_free(j->lists[k]);
  vk_value_free(j->glossary);
  search_index_free(j->search);
  variant_glossary_free(j->terms);
  filters_free(j->filters_html);
  if (j->filters_odt)
    filters_free(j->filters_odt);
}

int pages_variant(vk_build *b, const vk_org *org, const vk_role *role, pages_cache *cache) {
  variant_job j;
  if (cache) {
    pages_cache_clear(cache);
    cache->n = b->content->n_docs;
    cache->entries = xcalloc(cache->n ? cache->n : 1, sizeof *cache->entries);
  }
  job_open(&j, b, org, role, cache);
  j.search = search_index_new();
  for (size_t i = 0; i < b->content->n_docs; i++) {
    const vk_doc *d = b->content->docs[i];
    if (!doc_applies(d, b->content->site, org, role))
      continue;
    if (d->kind == KIND_PACK) {
      vk_value *e = doc_entry(&j, d);
      vk_list_push(j.lists[KIND_PACK], e);
      pack_page(b, org, role, d, j.filters_html);
    } else {
      render_doc(&j, d, i);
    }
  }
  for (int k = 0; k < KIND_COUNT; k++)
    if (k != KIND_DEFINITION)
      write_kind_index(&j, (vk_kind)k);
  write_glossary(&j);
  write_home(&j);
  write_review(&j);
  write_search(&j);
  feed_write_variant(b, org, role);
  job_close(&j);
  return 0;
}

/* True when the APT pack shows one of the changed documents. */
static bool pack_shows(const vk_content *c, const vk_doc *pack, const bool *changed) {
  for (size_t a = 0; a < pack->n_agenda; a++)
    for (size_t k = 0; k < pack->agenda[a].ids.n; k++) {
      const vk_doc *d = content_find(c, pack->agenda[a].ids.items[k]);
      for (size_t i = 0; d && i < c->n_docs; i++)
        if (changed[i] && c->docs[i] == d)
          return true;
    }
  return false;
}

int pages_variant_update(vk_build *b, const vk_org *org, const vk_role *role, pages_cache *cache,
                         const bool *changed) {
  const vk_content *c = b->content;
  bool any = false;
  for (size_t i = 0; i < c->n_docs && !any; i++)
    any = changed[i] && doc_applies(c->docs[i], c->site, org, role);
  if (!any || cache->n != c->n_docs)
    return 0;
  variant_job j;
  job_open(&j, b, org, role, cache); /* no index: rebuilt below from the cached entries */
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    if (!doc_applies(d, c->site, org, role))
      continue;
    if (d->kind == KIND_PACK && pack_shows(c, d, changed))
      pack_page(b, org, role, d, j.filters_html);
    else if (changed[i] && d->kind != KIND_PACK)
      render_doc(&j, d, i);
  }
  j.search = search_index_new();
  for (size_t i = 0; i < cache->n; i++) {
    const pages_search_entry *e = &cache->entries[i];
    if (e->url)
      search_add(j.search, e->url, e->title, e->kind, e->summary, e->terms, e->text);
  }
  write_search_index(&j);
  job_close(&j);
  return 0;
}

/* ---- global pages ----------------------------------------------------- */

static int write_global(vk_build *b, const char *rel, const char *tpl, vk_value *data) {
  variant_job j = {.b = b};
  return write_page(&j, rel, tpl, data);
}

static vk_value *org_list(vk_build *b, const char *root) {
  vk_value *list = vk_list();
  const vk_site *s = b->content->site;
  for (size_t i = 0; i < s->n_orgs; i++) {
    const vk_org *o = s->orgs[i];
    if (!build_wants_org(b, o))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "name", o->name);
    vk_map_put(m, "id", o->id);
    vk_map_put_owned(m, "url", xasprintf("%s%s/index.html", root, o->id));
    if (o->parent)
      vk_map_put(m, "parent", o->parent->name);
    vk_list_push(list, m);
  }
  return list;
}

static void write_org_page(vk_build *b, const vk_org *o) {
  variant_job j = {.b = b, .org = o};
  vk_value *data = base_data(&j, "../", o->name, NULL);
  frame_add_crumb(data, b->content->site->title, "../index.html");
  vk_value *roles = vk_list();
  const vk_site *s = b->content->site;
  for (size_t i = 0; i < s->n_roles; i++) {
    if (!build_wants_role(b, s->roles[i]))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "name", s->roles[i]->name);
    vk_map_put(m, "id", s->roles[i]->id);
    vk_map_put_owned(m, "url", xasprintf("%s/index.html", s->roles[i]->id));
    vk_list_push(roles, m);
  }
  vk_map_set(data, "roles", roles);
  char *rel = xasprintf("%s/index.html", o->id);
  write_page(&j, rel, "org", data);
  free(rel);
}

int pages_global(vk_build *b) {
  const vk_site *s = b->content->site;
  variant_job j = {.b = b};
  vk_value *data = base_data(&j, "", s->title, NULL);
  vk_map_put(data, "description", s->description);
  vk_map_set(data, "orgs", org_list(b, ""));
  write_global(b, "index.html", "root", data);
  for (size_t i = 0; i < s->n_orgs; i++)
    if (build_wants_org(b, s->orgs[i]))
      write_org_page(b, s->orgs[i]);
  data = base_data(&j, "/", "Sidan finns inte", NULL);
  vk_map_set(data, "orgs", org_list(b, "/"));
  write_global(b, "404.html", "notfound", data);
  data = base_data(&j, "", "Tillgänglighetsredogörelse", NULL);
  vk_map_put(data, "contact", s->contact);
  vk_map_put(data, "base_url", s->base_url);
  write_global(b, "tillganglighet.html", "a11y", data);
  char *assets = xasprintf("%s/site/assets", b->tmp);
  int rc = theme_copy_assets(b->theme, assets, b->dg);
  free(assets);
  return rc;
}
