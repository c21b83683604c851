/* pages.c — see pages.h.
 *
 * Every page is a page template (doc, list, glossary, home, …) rendered
 * into `main`, then wrapped by `layout`. Template data is a vk_value map;
 * the helpers below build its common part (site, organisation, role, root
 * prefix, navigation, breadcrumbs).
 *
 * A variant's documents are prepared (tree, body, page) on the build's idle
 * threads when the variant has no Lua filters, and finished (lists, glossary,
 * search index, file) one by one in document order: the output is the same
 * with any number of threads.
 */
#include "pages.h"
#include "archive.h"
#include "calendar.h"
#include "card.h"
#include "coverage.h"
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
#include "requirements.h"
#include "search.h"
#include "tags.h"
#include "variant.h"

#include <stdatomic.h>
#include <stdio.h>
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

/* The words for a review state (labels.yaml review.<state>); "" for none. */
static const char *review_label(const vk_build *b, vk_review_state s) {
  if (s == REVIEW_NONE)
    return "";
  char key[32];
  snprintf(key, sizeof key, "review.%s", review_state_name(s));
  return frame_label(b, key);
}

/* ---- one variant ------------------------------------------------------ */

typedef struct {
  vk_build *b;
  const vk_org *org;
  const vk_role *role;
  char *vdir;       /* the variant's folder (links.h location) */
  const char *from; /* the location of the page being rendered */
  vk_filters *filters;
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

/* The URL of location `to` from location `from`, the shortest way; frees `to`. */
static char *rel_url(const char *from, char *to) {
  char *url = link_rel(from, to);
  free(to);
  return url;
}

/* The URL of a document (and anchor) from a page of the variant: through
 * the variant folder (links.h). */
static char *doc_url(const variant_job *j, const char *from, const vk_doc *d, const char *anchor) {
  char *to = link_doc(j->org, j->role, d, anchor);
  char *url = link_via(from, j->vdir, to);
  free(to);
  return url;
}

static char *html_link_cb(void *ud, const vk_doc *target, const char *anchor) {
  const variant_job *j = ud;
  return doc_url(j, j->from, target, anchor);
}

/* Handouts leave the site: absolute URLs (base_url). */
static char *odt_link_cb(void *ud, const vk_doc *target, const char *anchor) {
  const variant_job *j = ud;
  char *to = link_doc(j->org, j->role, target, anchor);
  char *url = link_abs(j->b->content->site, to);
  free(to);
  return url;
}

/* The frame of the page at location `from`. */
static vk_value *base_data(const variant_job *j, const char *from, const char *title,
                           const char *section) {
  char *root = link_root(from);
  vk_value *m = frame_data(j->b, j->org, j->role, root, title, section);
  free(root);
  return m;
}

/* A breadcrumb from the page at `from` to location `to` (freed). */
static void add_crumb(vk_value *data, const char *label, const char *from, char *to) {
  char *url = rel_url(from, to);
  frame_add_crumb(data, label, url);
  free(url);
}

/* Renders `tpl` into main, wraps it in the layout and writes it to
 * location `loc`. */
static int write_page(variant_job *j, const char *loc, const char *tpl, vk_value *data) {
  return frame_write_page(j->b, loc, tpl, data);
}

/* ---- documents -------------------------------------------------------- */

static vk_value *review_data(const variant_job *j, const vk_doc *d) {
  const vk_doc_facts *f = build_facts(j->b, d);
  vk_value *m = vk_map();
  vk_map_put(m, "state", review_state_name(f->review));
  vk_map_put(m, "label", review_label(j->b, f->review));
  set_b(m, "show", f->review != REVIEW_NONE);
  set_b(m, "overdue", f->review == REVIEW_OVERDUE);
  set_b(m, "due_soon", f->review == REVIEW_DUE_SOON);
  set_date(m, "due", f->due);
  vk_map_put_owned(m, "due_long", date_long(f->due));
  return m;
}

/* Document control on the routine page: the last review without change,
 * the date the version applies from (and, before it, the version in
 * force), a review once per electoral term. */
static void doc_control_meta(const variant_job *j, const vk_doc *d, vk_value *m) {
  set_date(m, "reviewed", d->reviewed);
  vk_map_put_owned(m, "reviewed_long", date_long(d->reviewed));
  vk_map_put(m, "reviewed_by", d->reviewed_by);
  set_b(m, "review_term", d->review_term);
  if (!date_set(d->valid_from))
    return;
  set_date(m, "valid_from", d->valid_from);
  vk_map_put_owned(m, "valid_from_long", date_long(d->valid_from));
  bool pending = date_cmp(d->valid_from, j->b->content->today) > 0;
  set_b(m, "pending", pending);
  if (pending && d->n_versions > 1) {
    const vk_version *prev = &d->versions[d->n_versions - 2];
    vk_map_put(m, "in_force_version", prev->version);
    if (prev->source) { /* its archived page (archive.h) */
      char *loc = link_doc(j->org, j->role, d, NULL);
      char *to = link_archive(j->org, j->role, d, prev->version, false);
      vk_map_put_owned(m, "in_force_url", link_rel(loc, to));
      free(to);
      free(loc);
    }
  }
}

static vk_value *routine_meta(const variant_job *j, const vk_doc *d, const char *from) {
  vk_value *m = vk_map();
  vk_map_put(m, "version", d->version);
  if (*status_name(d->status)) {
    char key[32];
    snprintf(key, sizeof key, "status.%s", status_name(d->status));
    vk_map_put(m, "status", frame_label(j->b, key));
  }
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
  doc_control_meta(j, d, m);
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
      vk_map_put_owned(m, "replaced_by_url", doc_url(j, from, r, NULL));
      vk_map_put(m, "replaced_by_title", r->title);
    }
  }
  return m;
}

/* Is h[i] the oldest entry of its version (newest first)? */
static bool first_of_version(const vk_change *h, size_t n, size_t i) {
  for (size_t k = i + 1; k < n; k++)
    if (h[k].version && h[i].version && strcmp(h[k].version, h[i].version) == 0)
      return false;
  return h[i].version != NULL;
}

static vk_value *history_data(const variant_job *j, const vk_doc *d, const char *from) {
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
    /* the change that brought a version links what changed in it */
    if (first_of_version(h, n, i))
      vk_map_put_owned(m, "changes_url",
                       archive_changes_url(j->b, j->org, j->role, d, h[i].version, from));
    vk_list_push(list, m);
  }
  return list;
}

static vk_value *related_data(const variant_job *j, const vk_doc *d, const char *from) {
  vk_value *list = vk_list();
  for (size_t i = 0; i < d->related.n; i++) {
    const vk_doc *r = content_find(j->b->content, d->related.items[i]);
    if (!r || !doc_applies(r, j->b->content->site, j->org, j->role))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "title", r->title);
    vk_map_put_owned(m, "url", doc_url(j, from, r, NULL));
    vk_map_put(m, "kind", frame_kind_label(j->b, r->kind));
    vk_list_push(list, m);
  }
  return list;
}

static bool has_handout(vk_kind k) {
  return k == KIND_ROUTINE || k == KIND_CASE || k == KIND_CHECKLIST;
}

/* `top` is the level the document's own top headings get (2 under the
 * page's h1; 3 in the glossary, under each term's h2). */
static void render_body(const vk_build *b, cmark_node *tree, const vk_doc *d, const char *from,
                        sbuf *out) {
  int top = d->kind == KIND_DEFINITION ? 3 : 2;
  int min = md_min_heading_level(tree);
  char *images = rel_url(from, link_image(""));
  html_opts o = {.heading_id_prefix = d->kind == KIND_DEFINITION ? d->id : NULL,
                 .heading_offset = min ? top - min : 1,
                 .interactive_tasks = d->kind == KIND_CHECKLIST,
                 .allow_raw_html = false,
                 .id_prefix = d->id,
                 .image_prefix = images,
                 .labels = theme_labels(b->theme)};
  html_render(tree, &o, out);
  free(images);
}

/* A document as lists show it, linked from the page at `from`. */
static vk_value *doc_entry(const variant_job *j, const vk_doc *d, const char *from) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", d->id);
  vk_map_put(m, "title", d->title);
  vk_map_put(m, "summary", d->summary);
  vk_map_put_owned(m, "url", doc_url(j, from, d, NULL));
  if (d->kind == KIND_ROUTINE) {
    vk_map_put(m, "version", d->version);
    vk_map_set(m, "review", review_data(j, d));
  }
  if (d->duration)
    vk_map_set(m, "duration", vk_int(d->duration));
  vk_map_put(m, "when", d->when);
  return m;
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
  free(e->kind_id);
  free(e->tags);
}

/* A document's tag slugs, one per line (search facets). */
static char *tag_slugs(const vk_doc *d) {
  sbuf b = {0};
  for (size_t i = 0; i < d->tags.n; i++) {
    char *slug = slugify(d->tags.items[i]);
    sbuf_puts(&b, slug);
    sbuf_putc(&b, '\n');
    free(slug);
  }
  return sbuf_take(&b);
}

static void cache_entry(variant_job *j, size_t di, const char *url, const vk_doc *d,
                        const char *terms, const char *text, const char *tags) {
  if (!j->cache || di >= j->cache->n)
    return;
  pages_search_entry *e = &j->cache->entries[di];
  search_entry_free(e);
  *e = (pages_search_entry){0};
  if (!url)
    return; /* not in the index */
  e->url = xstrdup(url);
  e->title = d->title ? xstrdup(d->title) : NULL;
  e->kind = xstrdup(frame_kind_label(j->b, d->kind));
  e->summary = d->summary ? xstrdup(d->summary) : NULL;
  e->terms = xstrdup(terms);
  e->text = xstrdup(text);
  e->kind_id = xstrdup(kind_name(d->kind));
  e->tags = xstrdup(tags);
}

/* `d` is what the page shows: the routine `full`, or until its valid_from
 * the version in force (archive.h). */
static vk_value *doc_data(variant_job *j, const vk_doc *d, const vk_doc *full, const char *loc,
                          const char *body) {
  vk_build *b = j->b;
  vk_value *data = base_data(j, loc, d->title, kind_slug(d->kind));
  add_crumb(data, j->role->name, loc, link_variant_file(j->org, j->role, "index.html"));
  add_crumb(data, frame_kind_label(j->b, d->kind), loc, link_kind_index(j->org, j->role, d->kind));
  vk_map_put(data, "description", d->summary);
  vk_map_put(data, "kind", kind_name(d->kind));
  vk_map_put(data, "kind_label", frame_kind_singular(j->b, d->kind));
  vk_value *doc = doc_entry(j, d, loc);
  vk_map_put(doc, "body", body);
  set_b(doc, "is_routine", d->kind == KIND_ROUTINE);
  set_b(doc, "is_case", d->kind == KIND_CASE);
  set_b(doc, "is_checklist", d->kind == KIND_CHECKLIST);
  set_b(doc, "is_definition", d->kind == KIND_DEFINITION);
  if (d->kind == KIND_ROUTINE) {
    vk_map_set(doc, "meta", routine_meta(j, d, loc));
    vk_value *h = history_data(j, full, loc);
    set_b(doc, "has_history", h->u.list.n > 0);
    vk_map_set(doc, "history", h);
    set_b(doc, "history_git", build_facts(b, d)->git);
    vk_value *versions = archive_links(b, j->org, j->role, full, loc);
    set_b(doc, "has_versions", versions->u.list.n > 0);
    vk_map_set(doc, "versions", versions);
    if (full != d) {
      vk_value *meta = vk_map_get(doc, "meta");
      vk_map_put(meta, "upcoming_version", full->version);
      vk_map_put_owned(meta, "upcoming_from_long", date_long(full->valid_from));
      vk_map_put_owned(meta, "upcoming_url", archive_upcoming_url(b, j->org, j->role, full, loc));
    }
  }
  vk_value *tags = tags_doc_list(j->org, j->role, d, loc);
  set_b(doc, "has_tags", tags->u.list.n > 0);
  vk_map_set(doc, "tags", tags);
  vk_value *ans = coverage_doc_answers(b, j->org, j->role, d, loc);
  set_b(doc, "has_answers", ans->u.list.n > 0);
  vk_map_set(doc, "answers", ans);
  vk_value *rel = related_data(j, d, loc);
  set_b(doc, "has_related", rel->u.list.n > 0);
  vk_map_set(doc, "related", rel);
  /* linked whether or not this run writes handouts (--format) */
  if (has_handout(d->kind)) {
    char *odt = link_handout(j->org, j->role, d);
    if (j->b->opts->formats & FMT_PDF) /* only when this build makes PDFs */
      vk_map_put_owned(doc, "handout_pdf", rel_url(loc, link_pdf_of(odt)));
    vk_map_put_owned(doc, "handout", rel_url(loc, odt));
  }
  vk_map_set(data, "doc", doc);
  return data;
}

/* A definition has no page: its entry goes to the glossary. */
static void add_glossary_entry(variant_job *j, const vk_doc *d, const char *body) {
  char *loc = link_kind_index(j->org, j->role, KIND_DEFINITION);
  vk_value *g = doc_entry(j, d, loc);
  vk_map_put(g, "body", body);
  vk_map_put(g, "term", d->term);
  vk_map_put(g, "source", d->source);
  vk_value *tags = tags_doc_list(j->org, j->role, d, loc);
  set_b(g, "has_tags", tags->u.list.n > 0);
  vk_map_set(g, "tags", tags);
  vk_list_push(j->glossary, g);
  free(loc);
}

/* A document's page and entries, made by prepare_doc without touching the
 * job's shared state (lists, glossary, search index, cache) or writing a
 * file, so that several threads can prepare documents at once; finish_doc
 * then adds and writes them in document order, which keeps the output the
 * same whatever the number of threads. */
typedef struct {
  const vk_doc *d;
  size_t di;
  vk_doc *in_force;   /* until the routine's valid_from the version shown, or NULL */
  char *loc;          /* the page's location (a definition: the glossary's) */
  char *body, *text;  /* rendered body; plain text for search */
  char *search_url;   /* the page from the search page; NULL: not searchable */
  char *terms, *tags; /* search weights and facets */
  sbuf page;          /* the whole page (not for definitions) */
} prepared_doc;

static void prepare_doc(const variant_job *job, prepared_doc *p) {
  const vk_doc *d = p->d;
  /* where the body is shown: its page, or its glossary entry */
  p->loc = link_doc(job->org, job->role, d, NULL);
  variant_job j = *job; /* this document's links are made from its page */
  j.from = p->loc;
  /* until a new version's valid_from the page shows the version in force */
  vk_doc *in_force = p->in_force = d->kind == KIND_ROUTINE ? archive_in_force(j.b, d) : NULL;
  const vk_doc *full = d;
  if (in_force)
    d = in_force;
  vk_variant_ctx v = {j.b->content, j.org, j.role, j.filters, html_link_cb, &j, j.terms, "html"};
  diag *old_dg = in_force ? diag_new() : NULL; /* an old text's problems are history */
  cmark_node *tree = variant_tree(&v, d, old_dg ? old_dg : j.b->dg);
  diag_free(old_dg);
  sbuf body = {0}, text = {0};
  render_body(j.b, tree, d, p->loc, &body);
  md_text_content(tree, &text);
  /* A retired routine is not offered by search either: its page is kept
   * only so that old links still lead somewhere. */
  if (d->status != STATUS_RETIRED) {
    char *sok = link_variant_file(j.org, j.role, "sok.html");
    p->search_url = link_rel(sok, p->loc);
    free(sok);
  }
  p->terms = search_terms(tree, d);
  p->tags = tag_slugs(d);
  p->body = sbuf_take(&body);
  p->text = sbuf_take(&text);
  if (d->kind != KIND_DEFINITION)
    frame_render_page(j.b, "doc", doc_data(&j, d, full, p->loc, p->body), &p->page);
  cmark_node_free(tree);
}

/* The search entry of a document (its URL from the search page), its entry
 * in the kind's list or the glossary, and its page. */
static void finish_doc(variant_job *j, prepared_doc *p) {
  const vk_doc *d = p->in_force ? p->in_force : p->d;
  if (d->kind == KIND_DEFINITION)
    add_glossary_entry(j, d, p->body);
  if (j->search && p->search_url) {
    search_add(j->search, p->search_url, d->title, frame_kind_label(j->b, d->kind), d->summary,
               p->terms, p->text);
    search_facets(j->search, kind_name(d->kind), p->tags);
  }
  cache_entry(j, p->di, p->search_url, d, p->terms, p->text, p->tags);
  /* Retired routines leave the lists but keep their page (old links work). */
  if (d->status != STATUS_RETIRED) {
    char *list = link_kind_index(j->org, j->role, d->kind);
    vk_list_push(j->lists[d->kind], doc_entry(j, d, list));
    free(list);
  }
  if (d->kind != KIND_DEFINITION)
    build_write(j->b, p->loc, sbuf_str(&p->page), p->page.len);
  free(p->loc);
  free(p->body);
  free(p->text);
  free(p->search_url);
  free(p->terms);
  free(p->tags);
  sbuf_free(&p->page);
  if (p->in_force)
    doc_free(p->in_force);
}

static void render_doc(variant_job *j, const vk_doc *d, size_t di) {
  prepared_doc p = {.d = d, .di = di};
  prepare_doc(j, &p);
  finish_doc(j, &p);
}

/* Documents are prepared in batches: enough for the threads to share, few
 * enough that the pages waiting to be written stay small. */
enum { PREPARE_BATCH = 32 };

typedef struct {
  const variant_job *j;
  prepared_doc *docs;
  size_t n;
  atomic_size_t next;
} prepare_queue;

static void *prepare_worker(void *arg) {
  prepare_queue *q = arg;
  for (size_t i; (i = atomic_fetch_add(&q->next, 1)) < q->n;)
    prepare_doc(q->j, &q->docs[i]);
  return NULL;
}

/* How many threads prepare one variant's documents: the build's threads
 * not already busy with other variants. Filters keep one Lua state per
 * job, and may keep state across documents: one thread, in order. */
static int prepare_threads(const variant_job *j) {
  const vk_build *b = j->b;
  if (j->filters)
    return 1;
  int threads = b->opts->jobs > 0 ? b->opts->jobs : util_cpu_count();
  const vk_site *s = b->content->site;
  size_t jobs = 0;
  for (size_t o = 0; o < s->n_orgs; o++)
    for (size_t r = 0; r < s->n_roles; r++)
      jobs += build_wants_org(b, s->orgs[o]) && build_wants_role(b, s->roles[r]);
  if (b->opts->formats & FMT_ODT)
    jobs *= 2; /* the variants' handouts are jobs of their own */
  return jobs && (size_t)threads > jobs ? threads / (int)jobs : 1;
}

/* Renders the variant's documents in order, packs included (their list
 * entries keep their place). */
static void render_docs(variant_job *j) {
  const vk_content *c = j->b->content;
  int threads = prepare_threads(j);
  prepared_doc batch[PREPARE_BATCH];
  size_t i = 0;
  while (i < c->n_docs) {
    size_t n = 0, end = i;
    for (; end < c->n_docs && n < PREPARE_BATCH; end++) {
      const vk_doc *d = c->docs[end];
      if (doc_applies(d, c->site, j->org, j->role) && d->kind != KIND_PACK)
        batch[n++] = (prepared_doc){.d = d, .di = end};
    }
    prepare_queue q = {.j = j, .docs = batch, .n = n};
    atomic_init(&q.next, 0);
    if (n)
      util_run_threads(threads, n, prepare_worker, &q);
    for (size_t k = 0; i < end; i++) {
      const vk_doc *d = c->docs[i];
      if (!doc_applies(d, c->site, j->org, j->role))
        continue;
      if (d->kind == KIND_PACK) {
        char *list = link_kind_index(j->org, j->role, KIND_PACK);
        vk_list_push(j->lists[KIND_PACK], doc_entry(j, d, list));
        free(list);
        pack_page(j->b, j->org, j->role, d, j->filters);
      } else {
        finish_doc(j, &batch[k++]);
      }
    }
  }
}

/* ---- index pages ------------------------------------------------------ */

/* A copy of list entries (doc_entry) linked from the page at `from`. */
static vk_value *entries_at(const variant_job *j, const vk_value *list, const char *from) {
  vk_value *items = vk_value_copy(list);
  for (size_t i = 0; i < items->u.list.n; i++) {
    vk_value *e = items->u.list.items[i];
    const vk_doc *d = content_find(j->b->content, vk_map_str(e, "id"));
    if (d)
      vk_map_put_owned(e, "url", doc_url(j, from, d, NULL));
  }
  return items;
}

static void write_kind_index(variant_job *j, vk_kind k) {
  char *loc = link_kind_index(j->org, j->role, k);
  vk_value *data = base_data(j, loc, frame_kind_label(j->b, k), kind_slug(k));
  add_crumb(data, j->role->name, loc, link_variant_file(j->org, j->role, "index.html"));
  vk_map_put(data, "kind_label", frame_kind_label(j->b, k));
  vk_map_put(data, "kind", kind_name(k));
  vk_value *items = entries_at(j, j->lists[k], loc);
  set_b(data, "empty", items->u.list.n == 0);
  set_b(data, "is_routines", k == KIND_ROUTINE);
  vk_map_set(data, "items", items);
  write_page(j, loc, k == KIND_DEFINITION ? "glossary" : "list", data);
  free(loc);
}

static void write_glossary(variant_job *j) {
  char *loc = link_kind_index(j->org, j->role, KIND_DEFINITION);
  vk_value *data =
      base_data(j, loc, frame_kind_label(j->b, KIND_DEFINITION), kind_slug(KIND_DEFINITION));
  add_crumb(data, j->role->name, loc, link_variant_file(j->org, j->role, "index.html"));
  vk_value *terms = vk_value_copy(j->glossary);
  set_b(data, "empty", terms->u.list.n == 0);
  vk_map_set(data, "terms", terms);
  write_page(j, loc, "glossary", data);
  free(loc);
}

static void write_home(variant_job *j) {
  char *loc = link_variant_file(j->org, j->role, "index.html");
  vk_value *data = base_data(j, loc, j->role->name, "home");
  add_crumb(data, j->org->name, loc, link_variant_file(j->org, NULL, "index.html"));
  vk_value *sections = vk_list();
  for (int k = 0; k < KIND_COUNT; k++) {
    vk_value *s = vk_map();
    vk_map_put(s, "label", frame_kind_label(j->b, (vk_kind)k));
    vk_map_put_owned(s, "url", rel_url(loc, link_kind_index(j->org, j->role, (vk_kind)k)));
    vk_map_set(s, "count", vk_int((long long)j->lists[k]->u.list.n));
    vk_map_set(s, "items", entries_at(j, j->lists[k], loc));
    vk_list_push(sections, s);
  }
  vk_map_set(data, "sections", sections);
  set_b(data, "sees_review", frame_role_sees_review(j->role));
  if (j->b->content->reqs->present)
    vk_map_put_owned(data, "coverage_url", rel_url(loc, link_coverage(j->org, j->role, NULL)));
  vk_map_put_owned(data, "tags_url", rel_url(loc, link_tag_index(j->org, j->role)));
  write_page(j, loc, "home", data);
  free(loc);
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

/* The owners to narrow the dashboard to, linked from the page at `loc`,
 * the current one (NULL: every routine) marked. */
static vk_value *review_owner_links(variant_job *j, const char *loc, const char *current,
                                    const vec *owners) {
  vk_value *list = vk_list();
  for (size_t i = 0; i <= owners->n; i++) {
    const char *o = i == 0 ? NULL : owners->items[i - 1];
    vk_value *m = vk_map();
    vk_map_put(m, "name", o ? o : frame_label(j->b, "review.all_owners"));
    vk_map_put_owned(m, "url", rel_url(loc, link_review_owner(j->org, j->role, o)));
    set_b(m, "current", o == current || (o && current && strcmp(o, current) == 0));
    vk_list_push(list, m);
  }
  return list;
}

static void write_review_page(variant_job *j, const char *owner, const vec *owners) {
  char *loc = link_review_owner(j->org, j->role, owner);
  vk_value *data = base_data(j, loc, frame_label(j->b, "page.review"), "granskning");
  add_crumb(data, j->role->name, loc, link_variant_file(j->org, j->role, "index.html"));
  if (owner)
    add_crumb(data, frame_label(j->b, "page.review"), loc,
              link_review_owner(j->org, j->role, NULL));
  vk_value *items = vk_list();
  vk_doc **docs;
  size_t n = content_of_kind(j->b->content, KIND_ROUTINE, &docs);
  int counts[5] = {0};
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = docs[i];
    /* Only routines this role may read: a title and an owner can be as
     * telling as the text (routines for other roles are not even counted). */
    if (!doc_applies(d, j->b->content->site, j->org, j->role) || !calendar_owns(owner, d))
      continue;
    vk_value *e = doc_entry(j, d, loc);
    vk_map_put(e, "owner", d->owner);
    vk_map_put(e, "status", status_name(d->status));
    set_date(e, "reviewed", d->reviewed);
    vk_map_put(e, "reviewed_by", d->reviewed_by);
    vk_list_push(items, e);
    counts[build_facts(j->b, d)->review]++;
  }
  vk_sort(items->u.list.items, items->u.list.n, sizeof *items->u.list.items, cmp_urgency);
  vk_map_set(data, "items", items);
  vk_map_set(data, "n_overdue", vk_int(counts[REVIEW_OVERDUE]));
  vk_map_set(data, "n_due_soon", vk_int(counts[REVIEW_DUE_SOON]));
  vk_map_set(data, "n_current", vk_int(counts[REVIEW_CURRENT]));
  vk_map_set(data, "n_missing", vk_int(counts[REVIEW_MISSING]));
  vk_map_put(data, "owner", owner);
  vk_map_set(data, "owners", review_owner_links(j, loc, owner, owners));
  vk_map_put_owned(data, "calendar", rel_url(loc, link_review_calendar(j->org, j->role, owner)));
  write_page(j, loc, "review", data);
  free(loc);
}

static void write_review(variant_job *j) {
  if (!frame_role_sees_review(j->role))
    return;
  vec owners = {0};
  calendar_owners(j->b, j->org, j->role, &owners);
  write_review_page(j, NULL, &owners);
  for (size_t i = 0; i < owners.n; i++)
    write_review_page(j, owners.items[i], &owners);
  vec_free(&owners);
}

/* A file of the variant's search index. */
static int put_search_file(void *ud, const char *name, const char *data, size_t len) {
  variant_job *j = ud;
  char *loc = link_search_file(j->org, j->role, name);
  int rc = build_write(j->b, loc, data, len);
  free(loc);
  return rc;
}

static void write_search_index(variant_job *j) {
  if (j->search)
    search_emit(j->search, put_search_file, j);
}

/* The search page's filters: the kinds the index holds (packs are not
 * indexed) and the variant's tags, as {kinds: [{id, label}], tags: [{slug,
 * name}], has_tags}. */
static vk_value *search_facet_options(const variant_job *j) {
  vk_value *f = vk_map(), *kinds = vk_list(), *tags = vk_list();
  for (int k = 0; k < KIND_COUNT; k++) {
    if (k == KIND_PACK || j->lists[k]->u.list.n == 0)
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "id", kind_name((vk_kind)k));
    vk_map_put(m, "label", frame_kind_label(j->b, (vk_kind)k));
    vk_list_push(kinds, m);
  }
  vec tv = {0};
  tags_of_variant(j->b, j->org, j->role, &tv);
  for (size_t i = 0; i < tv.n; i++) {
    char *slug = tv.items[i], *tab = strchr(slug, '\t');
    *tab = 0;
    vk_value *m = vk_map();
    vk_map_put(m, "slug", slug);
    vk_map_put(m, "name", tab + 1);
    vk_list_push(tags, m);
    free(slug);
  }
  vec_free(&tv);
  set_b(f, "has_tags", tags->u.list.n > 0);
  vk_map_set(f, "kinds", kinds);
  vk_map_set(f, "tags", tags);
  return f;
}

static void write_search(variant_job *j) {
  char *loc = link_variant_file(j->org, j->role, "sok.html");
  vk_value *data = base_data(j, loc, frame_label(j->b, "page.search"), "sok");
  add_crumb(data, j->role->name, loc, link_variant_file(j->org, j->role, "index.html"));
  /* Without JavaScript the page lists every page of this variant. */
  vk_value *all = vk_list();
  for (int k = 0; k < KIND_COUNT; k++) {
    vk_value *items = entries_at(j, j->lists[k], loc);
    for (size_t i = 0; i < items->u.list.n; i++) {
      vk_value *e = vk_value_copy(items->u.list.items[i]);
      vk_map_put(e, "kind", frame_kind_label(j->b, (vk_kind)k));
      vk_list_push(all, e);
    }
    vk_value_free(items);
  }
  vk_map_set(data, "all", all);
  vk_map_set(data, "facets", search_facet_options(j));
  vk_map_put_owned(data, "tags_url", rel_url(loc, link_tag_index(j->org, j->role)));
  set_b(data, "is_search", true);
  write_page(j, loc, "search", data);
  free(loc);
  write_search_index(j);
}

void pages_cache_clear(pages_cache *c) {
  for (size_t i = 0; i < c->n; i++)
    search_entry_free(&c->entries[i]);
  free(c->entries);
  c->entries = NULL;
  c->n = 0;
}

/* A job of one variant for one output format: its filters are told that
 * format (vaksam.context.format). */
static void job_open(variant_job *j, vk_build *b, const vk_org *org, const vk_role *role,
                     pages_cache *cache, const char *format) {
  *j = (variant_job){.b = b, .org = org, .role = role, .cache = cache};
  j->vdir = link_variant_dir(org, role);
  j->filters = filters_new(b->content, org, role, format, b->dg);
  if (strcmp(format, "html") == 0) /* glossary links: the site's pages only */
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
  filters_free(j->filters);
  free(j->vdir);
}

/* A new search index that splits compounds with the variant's glossary
 * terms too (search.h). */
static search_index *variant_search_index(const variant_job *j) {
  search_index *ix = search_index_new();
  vk_doc **defs;
  size_t n = content_of_kind(j->b->content, KIND_DEFINITION, &defs);
  for (size_t i = 0; i < n; i++) {
    if (!doc_applies(defs[i], j->b->content->site, j->org, j->role))
      continue;
    search_compound_words(ix, defs[i]->term);
    for (size_t k = 0; k < defs[i]->synonyms.n; k++)
      search_compound_words(ix, defs[i]->synonyms.items[k]);
  }
  return ix;
}

int pages_variant(vk_build *b, const vk_org *org, const vk_role *role, pages_cache *cache) {
  variant_job j;
  if (cache) {
    pages_cache_clear(cache);
    cache->n = b->content->n_docs;
    cache->entries = xcalloc(cache->n ? cache->n : 1, sizeof *cache->entries);
  }
  job_open(&j, b, org, role, cache, "html");
  j.search = variant_search_index(&j);
  render_docs(&j);
  for (int k = 0; k < KIND_COUNT; k++)
    if (k != KIND_DEFINITION)
      write_kind_index(&j, (vk_kind)k);
  write_glossary(&j);
  archive_variant(b, org, role, j.filters);
  write_home(&j);
  write_review(&j);
  write_search(&j);
  coverage_write(b, org, role);
  tags_write(b, org, role);
  feed_write_variant(b, org, role);
  job_close(&j);
  return 0;
}

/* ---- handouts --------------------------------------------------------- */

static void write_handout(variant_job *j, const vk_doc *d) {
  vk_build *b = j->b;
  vk_variant_ctx v = {b->content, j->org, j->role, j->filters, odt_link_cb, j, NULL, "odt"};
  /* as on the page: until a new version's valid_from, the version in force */
  vk_doc *in_force = d->kind == KIND_ROUTINE ? archive_in_force(b, d) : NULL;
  diag *old_dg = in_force ? diag_new() : NULL;
  cmark_node *tree = variant_tree(&v, in_force ? in_force : d, old_dg ? old_dg : b->dg);
  diag_free(old_dg);
  char *page = link_doc(j->org, j->role, d, NULL);
  char *site_url = link_abs(b->content->site, page);
  const vk_doc_facts *f = build_facts(b, d);
  vk_page p = {
      b->content->site, b->content, j->org,       j->role, in_force ? in_force : d, tree, NULL, 0,
      f->review,        f->due,     b->generated, site_url};
  build_history(b, d, &p.history, &p.n_history);
  char *loc = link_handout(j->org, j->role, d);
  vk_write_opts wo = {b->odf_theme, theme_labels(b->theme), b->content->dir};
  sbuf odt = {0};
  if (odt_write(&p, &wo, &odt, b->dg) == 0)
    build_write(b, loc, sbuf_str(&odt), odt.len);
  sbuf_free(&odt);
  free(loc);
  free(site_url);
  free(page);
  cmark_node_free(tree);
  if (in_force)
    doc_free(in_force);
}

int pages_handouts(vk_build *b, const vk_org *org, const vk_role *role) {
  if (!b->odf_theme)
    return 0;
  variant_job j;
  job_open(&j, b, org, role, NULL, "odt");
  for (size_t i = 0; i < b->content->n_docs; i++) {
    const vk_doc *d = b->content->docs[i];
    if (has_handout(d->kind) && doc_applies(d, b->content->site, org, role)) {
      write_handout(&j, d);
      archive_handouts(b, org, role, j.filters, d);
    }
  }
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
  job_open(&j, b, org, role, cache, "html"); /* no index: rebuilt below from the cache */
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    if (!doc_applies(d, c->site, org, role))
      continue;
    if (d->kind == KIND_PACK && pack_shows(c, d, changed))
      pack_page(b, org, role, d, j.filters);
    else if (changed[i] && d->kind != KIND_PACK)
      render_doc(&j, d, i);
  }
  /* The same documents as the full build's, in the same order: the same
   * page numbers, so the same d/K.json bundles (search.h) are rewritten and
   * none of the full build's is missing or left over. */
  j.search = variant_search_index(&j);
  for (size_t i = 0; i < cache->n; i++) {
    const pages_search_entry *e = &cache->entries[i];
    if (e->url) {
      search_add(j.search, e->url, e->title, e->kind, e->summary, e->terms, e->text);
      search_facets(j.search, e->kind_id, e->tags);
    }
  }
  write_search_index(&j);
  job_close(&j);
  return 0;
}

/* ---- global pages ----------------------------------------------------- */

static int write_global(vk_build *b, const char *loc, const char *tpl, vk_value *data) {
  variant_job j = {.b = b};
  return write_page(&j, loc, tpl, data);
}

/* The organisations, linked from a page whose way to the site root is `root`. */
static vk_value *org_list(vk_build *b, const char *root) {
  vk_value *list = vk_list();
  const vk_site *s = b->content->site;
  link_from from = {NULL, root};
  for (size_t i = 0; i < s->n_orgs; i++) {
    const vk_org *o = s->orgs[i];
    if (!build_wants_org(b, o))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "name", o->name);
    vk_map_put(m, "id", o->id);
    char *to = link_variant_file(o, NULL, "index.html");
    vk_map_put_owned(m, "url", link_href(&from, to));
    free(to);
    if (o->parent)
      vk_map_put(m, "parent", o->parent->name);
    vk_list_push(list, m);
  }
  return list;
}

/* The organisation's emergency card (card.h): its page, and its ODT and
 * PDF when this build writes them. */
static void add_card_links(vk_build *b, const vk_org *o, const char *loc, vk_value *data) {
  if (!card_enabled(b))
    return;
  vk_value *m = vk_map();
  vk_map_put_owned(m, "html", rel_url(loc, link_variant_file(o, NULL, "akutkort.html")));
  if (b->opts->formats & FMT_ODT)
    vk_map_put_owned(m, "odt", rel_url(loc, link_variant_file(o, NULL, "akutkort.odt")));
  if (b->opts->formats & FMT_PDF)
    vk_map_put_owned(m, "pdf", rel_url(loc, link_variant_file(o, NULL, "akutkort.pdf")));
  vk_map_set(data, "card", m);
}

static void write_org_page(vk_build *b, const vk_org *o) {
  variant_job j = {.b = b, .org = o};
  char *loc = link_variant_file(o, NULL, "index.html");
  vk_value *data = base_data(&j, loc, o->name, NULL);
  add_crumb(data, b->content->site->title, loc, link_site_file("index.html"));
  vk_value *roles = vk_list();
  const vk_site *s = b->content->site;
  for (size_t i = 0; i < s->n_roles; i++) {
    if (!build_wants_role(b, s->roles[i]))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "name", s->roles[i]->name);
    vk_map_put(m, "id", s->roles[i]->id);
    vk_map_put_owned(m, "url", rel_url(loc, link_variant_file(o, s->roles[i], "index.html")));
    vk_list_push(roles, m);
  }
  vk_map_set(data, "roles", roles);
  add_card_links(b, o, loc, data);
  write_page(&j, loc, "org", data);
  free(loc);
}

/* A page outside any variant, at "site/<name>". */
static void write_site_page(vk_build *b, const char *name, const char *tpl, const char *title,
                            void (*fill)(vk_build *, vk_value *, const char *root)) {
  char *loc = link_site_file(name);
  char *root = link_root(loc);
  vk_value *data = frame_data(b, NULL, NULL, root, title, NULL);
  fill(b, data, root);
  write_global(b, loc, tpl, data);
  free(root);
  free(loc);
}

static void fill_root(vk_build *b, vk_value *data, const char *root) {
  vk_map_put(data, "description", b->content->site->description);
  vk_map_set(data, "orgs", org_list(b, root));
}

static void fill_a11y(vk_build *b, vk_value *data, const char *root) {
  (void)root;
  vk_map_put(data, "contact", b->content->site->contact);
  vk_map_put(data, "base_url", b->content->site->base_url);
  if (b->content->site->accessibility)
    vk_map_set(data, "statement", vk_value_copy(b->content->site->accessibility));
}

/* A file handed over by the theme or the images (vk_put_fn), for site/<dir><rel>. */
typedef struct {
  vk_build *b;
  const char *dir;
} site_put;

static int put_site_file(void *arg, const char *rel, const char *data, size_t len) {
  const site_put *p = arg;
  char *sub = xasprintf("%s%s", p->dir, rel);
  char *loc = link_site_file(sub);
  int rc = build_write(p->b, loc, data, len);
  free(loc);
  free(sub);
  return rc;
}

int pages_global(vk_build *b) {
  const vk_site *s = b->content->site;
  write_site_page(b, "index.html", "root", s->title, fill_root);
  for (size_t i = 0; i < s->n_orgs; i++)
    if (build_wants_org(b, s->orgs[i]))
      write_org_page(b, s->orgs[i]);
  /* The 404 page answers any missing path, at any depth: its links start
   * at the site root's path on the server. */
  char *root = link_server_root(s, b->opts->serve);
  vk_value *data = frame_data(b, NULL, NULL, root, frame_label(b, "page.notfound"), NULL);
  vk_map_set(data, "orgs", org_list(b, root));
  char *loc = link_site_file("404.html");
  write_global(b, loc, "notfound", data);
  free(loc);
  free(root);
  write_site_page(b, "tillganglighet.html", "a11y", frame_label(b, "page.a11y"), fill_a11y);
  /* the theme's assets and the images every variant's pages show */
  site_put assets = {b, "assets/"}, images = {b, ""};
  int rc = theme_put_assets(b->theme, put_site_file, &assets, b->dg);
  return image_put_site(b->content, put_site_file, &images, b->dg) != 0 ? -1 : rc;
}
