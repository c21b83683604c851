/* archive.c — see archive.h. */
#include "archive.h"
#include "document.h"
#include "frame.h"
#include "html.h"
#include "links.h"
#include "markdown.h"
#include "odt.h"
#include "variant.h"

#include <git2.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const months[] = {"januari",   "februari", "mars",     "april",
                                     "maj",       "juni",     "juli",     "augusti",
                                     "september", "oktober",  "november", "december"};

static char *date_long(vk_date d) {
  return date_set(d) ? xasprintf("%d %s %d", d.d, months[d.m - 1], d.y) : NULL;
}

/* The day a version began to apply: valid_from, else its approval. */
static vk_date applies_from(const vk_version *v) {
  return date_set(v->valid_from) ? v->valid_from : v->approved;
}

static bool has_text(const vk_doc *d, size_t i) {
  return i + 1 == d->n_versions || d->versions[i].source != NULL;
}

static vk_doc *version_doc(const vk_build *b, const vk_doc *d, size_t i);

/* The newest version does not apply yet (valid_from ahead of the build's
 * date) and the one in force has its text: the routine's page shows that
 * one, and the newest gets a page of its own. */
static bool pending(const vk_build *b, const vk_doc *d) {
  size_t n = d->n_versions;
  return n > 1 && date_set(d->versions[n - 1].valid_from) &&
         date_cmp(d->versions[n - 1].valid_from, b->content->today) > 0 &&
         d->versions[n - 2].source != NULL;
}

static bool has_archive(const vk_build *b, const vk_doc *d, size_t i) {
  if (i + 1 == d->n_versions)
    return pending(b, d);
  return i + 1 < d->n_versions && d->versions[i].source != NULL;
}

vk_doc *archive_in_force(const vk_build *b, const vk_doc *d) {
  return pending(b, d) ? version_doc(b, d, d->n_versions - 2) : NULL;
}

char *archive_upcoming_url(const vk_build *b, const vk_org *org, const vk_role *role,
                           const vk_doc *d, const char *from) {
  if (!pending(b, d))
    return NULL;
  char *to = link_archive(org, role, d, d->versions[d->n_versions - 1].version, false);
  char *url = link_rel(from, to);
  free(to);
  return url;
}

static bool has_changes(const vk_doc *d, size_t i) {
  return i > 0 && i < d->n_versions && has_text(d, i - 1) && has_text(d, i);
}

/* ---- rendering a version ------------------------------------------------ */

typedef struct {
  const vk_org *org;
  const vk_role *role;
  const char *from, *vdir;
  const vk_site *site; /* handouts: absolute URLs */
} link_ctx;

static char *link_cb(void *ud, const vk_doc *target, const char *anchor) {
  const link_ctx *l = ud;
  char *to = link_doc(l->org, l->role, target, anchor);
  char *url = link_via(l->from, l->vdir, to);
  free(to);
  return url;
}

/* Version i of d as a document (owned; NULL: the current one, d itself). */
static vk_doc *version_doc(const vk_build *b, const vk_doc *d, size_t i) {
  const vk_version *v = &d->versions[i];
  if (!v->source)
    return NULL;
  diag *scratch = diag_new(); /* an old version's problems are history */
  vk_doc *old =
      document_from_text(v->source, v->source_len, d->path, d->srcpath, b->content->site, scratch);
  diag_free(scratch);
  return old;
}

typedef struct {
  cmark_node *tree;
  vec blocks; /* char*: the text of each leaf block, in order */
} rendered;

static void collect_blocks(cmark_node *tree, vec *out) {
  cmark_iter *it = cmark_iter_new(tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    const char *ts = cmark_node_get_type_string(n);
    bool leaf = t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
                t == CMARK_NODE_CODE_BLOCK || (ts && strcmp(ts, "table_cell") == 0);
    if (ev == CMARK_EVENT_EXIT && leaf) {
      sbuf s = {0};
      md_text_content(n, &s);
      vec_push(out, sbuf_take(&s));
    } else if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_CODE_BLOCK) {
      sbuf s = {0};
      const char *lit = cmark_node_get_literal(n);
      sbuf_puts(&s, lit ? lit : "");
      vec_push(out, sbuf_take(&s));
    }
  }
  cmark_iter_free(it);
}

static rendered render_version(const vk_build *b, const vk_org *org, const vk_role *role,
                               vk_filters *filters, const vk_doc *doc, const char *from) {
  char *vdir = link_variant_dir(org, role);
  link_ctx l = {org, role, from, vdir, b->content->site};
  vk_variant_ctx v = {b->content, org, role, filters, link_cb, &l, NULL, "html"};
  diag *scratch = diag_new();
  rendered r = {variant_tree(&v, doc, scratch), {0}};
  diag_free(scratch);
  collect_blocks(r.tree, &r.blocks);
  free(vdir);
  return r;
}

static void rendered_free(rendered *r) {
  cmark_node_free(r->tree);
  for (size_t i = 0; i < r->blocks.n; i++)
    free(r->blocks.items[i]);
  vec_free(&r->blocks);
}

static char *body_html(const vk_build *b, const vk_doc *d, cmark_node *tree, const char *from) {
  int min = md_min_heading_level(tree);
  char *to = link_image("");
  char *images = link_rel(from, to);
  free(to);
  html_opts o = {.heading_offset = min ? 2 - min : 1,
                 .id_prefix = d->id,
                 .image_prefix = images,
                 .labels = theme_labels(b->theme)};
  sbuf out = {0};
  html_render(tree, &o, &out);
  free(images);
  return sbuf_take(&out);
}

/* ---- the word-level comparison ----------------------------------------- */

/* One word per line; an empty line between blocks. */
static char *tokens(const vec *blocks) {
  sbuf s = {0};
  for (size_t i = 0; i < blocks->n; i++) {
    if (i)
      sbuf_putc(&s, '\n');
    const char *p = blocks->items[i];
    while (*p) {
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
      size_t n = strcspn(p, " \t\n\r");
      if (n) {
        sbuf_putn(&s, p, n);
        sbuf_putc(&s, '\n');
      }
      p += n;
    }
  }
  return sbuf_take(&s);
}

typedef struct {
  const vk_labels *labels;
  sbuf *out;
  char open;  /* the group being written: ' ', '+', '-' or 0 at a paragraph's start */
  bool words; /* a word was written in this paragraph */
} diff_out;

static void close_group(diff_out *o) {
  if (o->open == '+' || o->open == '-') {
    const char *key = o->open == '+' ? "diff.inserted_end" : "diff.deleted_end";
    sbuf_printf(o->out, "<span class=\"visually-hidden\"> (%s)</span></%s>",
                labels_get(o->labels, key), o->open == '+' ? "ins" : "del");
  }
  o->open = ' ';
}

static void put_token(diff_out *o, char op, const char *word, size_t len) {
  if (len == 0) { /* a block boundary: a paragraph ends unless it was deleted */
    if (op != '-') {
      close_group(o);
      sbuf_puts(o->out, "</p>\n<p>");
      o->words = false;
    }
    return;
  }
  if (op != o->open) {
    close_group(o);
    if (o->words)
      sbuf_putc(o->out, ' ');
    if (op != ' ') {
      const char *tag = op == '+' ? "ins" : "del";
      const char *key = op == '+' ? "diff.inserted" : "diff.deleted";
      sbuf_printf(o->out, "<%s><span class=\"visually-hidden\">%s </span>", tag,
                  labels_get(o->labels, key));
    }
    o->open = op;
  } else if (o->words) {
    sbuf_putc(o->out, ' ');
  }
  html_escape(o->out, word, len);
  o->words = true;
}

static int diff_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
                     void *payload) {
  (void)d;
  (void)h;
  char op = l->origin == GIT_DIFF_LINE_ADDITION   ? '+'
            : l->origin == GIT_DIFF_LINE_DELETION ? '-'
            : l->origin == GIT_DIFF_LINE_CONTEXT  ? ' '
                                                  : 0;
  if (op) {
    size_t n = l->content_len;
    if (n && l->content[n - 1] == '\n')
      n--;
    put_token(payload, op, l->content, n);
  }
  return 0;
}

/* libgit2's global set-up reads the system's CA certificates (mbedTLS): a
 * tenth of a sample build when it ran once per comparison page (20 pages).
 * It runs once per process instead and is left set up, as libgit2 allows. */
static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static void git_setup(void) {
  git_libgit2_init();
}

/* The new text with what changed since the old one marked, as <p>s. */
static char *word_diff(const vk_build *b, const vec *old_blocks, const vec *new_blocks) {
  char *a = tokens(old_blocks), *c = tokens(new_blocks);
  sbuf out = {0};
  sbuf_puts(&out, "<p>");
  diff_out o = {theme_labels(b->theme), &out, 0, false};
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 1u << 30; /* every word, not only the changed ones */
  opts.flags = GIT_DIFF_MINIMAL;
  pthread_once(&git_once, git_setup);
  size_t before = out.len;
  git_diff_buffers(a, strlen(a), "a", c, strlen(c), "b", &opts, NULL, NULL, NULL, diff_line, &o);
  if (out.len == before) /* the same text: no hunk at all */
    for (const char *p = c; *p;) {
      size_t n = strcspn(p, "\n");
      put_token(&o, ' ', p, n);
      p += n + (p[n] == '\n');
    }
  close_group(&o);
  sbuf_puts(&out, "</p>\n");
  free(a);
  free(c);
  return sbuf_take(&out);
}

/* ---- pages ------------------------------------------------------------------ */

static char *interval_text(const vk_build *b, const vk_version *v) {
  if (v->review_term)
    return xstrdup(frame_label(b, "diff.term"));
  if (!v->review_interval)
    return NULL;
  char n[16];
  snprintf(n, sizeof n, "%d", v->review_interval);
  return labels_format(theme_labels(b->theme), "diff.months", n);
}

static void field_change(vk_value *list, const char *name, const char *a, const char *c) {
  if ((!a && !c) || (a && c && strcmp(a, c) == 0))
    return;
  vk_value *m = vk_map();
  vk_map_put(m, "name", name);
  vk_map_put(m, "old", a && *a ? a : "–");
  vk_map_put(m, "new", c && *c ? c : "–");
  vk_list_push(list, m);
}

static vk_value *field_changes(const vk_build *b, const vk_version *a, const vk_version *c) {
  vk_value *list = vk_list();
  field_change(list, frame_label(b, "field.owner"), a->owner, c->owner);
  field_change(list, frame_label(b, "field.approved_by"), a->approved_by, c->approved_by);
  field_change(list, frame_label(b, "field.reference"), a->reference, c->reference);
  char *ia = interval_text(b, a), *ic = interval_text(b, c);
  field_change(list, frame_label(b, "diff.interval"), ia, ic);
  free(ia);
  free(ic);
  return list;
}

static void put_dates(vk_value *m, const vk_doc *d, size_t i) {
  vk_map_put(m, "version", d->versions[i].version);
  vk_map_put_owned(m, "from_long", date_long(applies_from(&d->versions[i])));
  if (i + 1 < d->n_versions)
    vk_map_put_owned(m, "to_long", date_long(applies_from(&d->versions[i + 1])));
}

static vk_value *page_frame(const vk_build *b, const vk_org *org, const vk_role *role,
                            const char *loc, const char *title, const vk_doc *d) {
  char *root = link_root(loc);
  vk_value *data = frame_data(b, org, role, root, title, kind_slug(KIND_ROUTINE));
  free(root);
  vk_map_set(data, "noindex", vk_bool(true));
  char *cur = link_doc(org, role, d, NULL);
  vk_map_put_owned(data, "current_url", link_rel(loc, cur));
  free(cur);
  vk_map_put(data, "doc_title", d->title);
  vk_map_put(data, "current_version",
             pending(b, d) ? d->versions[d->n_versions - 2].version : d->version);
  return data;
}

static void write(vk_build *b, const char *loc, const char *tpl, vk_value *data) {
  sbuf main = {0}, page = {0};
  theme_render(b->theme, tpl, data, &main);
  vk_map_set(data, "main", vk_str(sbuf_str(&main)));
  theme_render(b->theme, "layout", data, &page);
  build_write(b, loc, sbuf_str(&page), page.len);
  sbuf_free(&main);
  sbuf_free(&page);
  vk_value_free(data);
}

static void archive_page(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters,
                         const vk_doc *d, size_t i, const vk_doc *doc) {
  char *loc = link_archive(org, role, d, d->versions[i].version, false);
  char *which = labels_format(theme_labels(b->theme),
                              i + 1 == d->n_versions ? "archive.upcoming_title" : "archive.title",
                              d->versions[i].version);
  char *title = xasprintf("%s – %s", d->title, which);
  free(which);
  vk_value *data = page_frame(b, org, role, loc, title, d);
  put_dates(data, d, i);
  const vk_version *v = &d->versions[i];
  bool upcoming = i + 1 == d->n_versions;
  vk_map_set(data, "upcoming", vk_bool(upcoming));
  if (upcoming) {
    vk_map_put(data, "in_force_version", d->versions[i - 1].version);
  } else {
    /* the next version does not apply yet (valid_from): this one is in force */
    const vk_version *next = &d->versions[i + 1];
    bool in_force = date_set(next->valid_from) && date_cmp(next->valid_from, b->content->today) > 0;
    vk_map_set(data, "in_force", vk_bool(in_force));
    vk_map_put(data, "next_version", d->versions[i + 1].version);
  }
  vk_map_put_owned(data, "approved_long", date_long(v->approved));
  vk_map_put(data, "approved_by", v->approved_by);
  vk_map_put(data, "reference", v->reference);
  vk_map_put(data, "owner", v->owner);
  rendered r = render_version(b, org, role, filters, doc, loc);
  vk_map_put_owned(data, "body", body_html(b, d, r.tree, loc));
  rendered_free(&r);
  if (has_changes(d, i)) {
    char *c = link_archive(org, role, d, v->version, true);
    vk_map_put_owned(data, "changes_url", link_rel(loc, c));
    free(c);
  }
  char *h = link_archive_handout(org, role, d, v->version); /* linked whatever --format is */
  vk_map_put_owned(data, "handout", link_rel(loc, h));
  free(h);
  write(b, loc, "archive", data);
  free(title);
  free(loc);
}

static void changes_page(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters,
                         const vk_doc *d, size_t i, const vk_doc *prev, const vk_doc *doc) {
  const vk_version *a = &d->versions[i - 1], *c = &d->versions[i];
  char *loc = link_archive(org, role, d, c->version, true);
  char *title = labels_format(theme_labels(b->theme), "diff.title", d->title);
  vk_value *data = page_frame(b, org, role, loc, title, d);
  put_dates(data, d, i);
  vk_map_put(data, "from_version", a->version);
  vk_map_put_owned(data, "prev_from_long", date_long(applies_from(a)));
  rendered ra = render_version(b, org, role, filters, prev, loc);
  rendered rc = render_version(b, org, role, filters, doc, loc);
  vk_map_put_owned(data, "diff", word_diff(b, &ra.blocks, &rc.blocks));
  rendered_free(&ra);
  rendered_free(&rc);
  vk_value *fields = field_changes(b, a, c);
  vk_map_set(data, "has_fields", vk_bool(fields->u.list.n > 0));
  vk_map_set(data, "fields", fields);
  char *pa = link_archive(org, role, d, a->version, false);
  vk_map_put_owned(data, "prev_url", link_rel(loc, pa));
  free(pa);
  if (i + 1 < d->n_versions) {
    char *va = link_archive(org, role, d, c->version, false);
    vk_map_put_owned(data, "version_url", link_rel(loc, va));
    free(va);
  }
  write(b, loc, "changes", data);
  free(title);
  free(loc);
}

/* ---- handouts ---------------------------------------------------------------- */

static char *odt_link_cb(void *ud, const vk_doc *target, const char *anchor) {
  const link_ctx *l = ud;
  char *to = link_doc(l->org, l->role, target, anchor);
  char *url = link_abs(l->site, to);
  free(to);
  return url;
}

static void archive_handout(vk_build *b, const vk_org *org, const vk_role *role,
                            vk_filters *filters, const vk_doc *d, size_t i, const vk_doc *old) {
  const vk_version *v = &d->versions[i];
  link_ctx l = {org, role, NULL, NULL, b->content->site};
  vk_variant_ctx vc = {b->content, org, role, filters, odt_link_cb, &l, NULL, "odt"};
  diag *scratch = diag_new();
  cmark_node *tree = variant_tree(&vc, old, scratch);
  /* the title says which version it is, on every page it is printed on */
  char *which = labels_format(theme_labels(b->theme),
                              i + 1 == d->n_versions ? "archive.upcoming_title" : "archive.title",
                              v->version);
  char *title = xasprintf("%s (%s)", old->title, which);
  free(which);
  /* a shallow copy with that title: `old` may be the shared document */
  vk_doc titled = *old;
  titled.title = title;
  char *page = link_archive(org, role, d, v->version, false);
  char *site_url = link_abs(b->content->site, page);
  vk_page p = {b->content->site, b->content, org,          role,    &titled, tree, NULL, 0,
               REVIEW_NONE,      {0, 0, 0},  b->generated, site_url};
  vk_write_opts wo = {b->odf_theme, theme_labels(b->theme), b->content->dir};
  sbuf odt = {0};
  if (odt_write(&p, &wo, &odt, scratch) == 0) {
    char *loc = link_archive_handout(org, role, d, v->version);
    build_write(b, loc, sbuf_str(&odt), odt.len);
    free(loc);
  }
  sbuf_free(&odt);
  free(title);
  free(site_url);
  free(page);
  cmark_node_free(tree);
  diag_free(scratch);
}

void archive_handouts(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters,
                      const vk_doc *d) {
  if (!b->odf_theme || d->kind != KIND_ROUTINE || d->n_versions < 2)
    return;
  for (size_t i = 0; i < d->n_versions; i++) {
    if (!has_archive(b, d, i))
      continue;
    vk_doc *old = i + 1 == d->n_versions ? NULL : version_doc(b, d, i);
    archive_handout(b, org, role, filters, d, i, old ? old : d);
    if (old)
      doc_free(old);
  }
}

void archive_variant(vk_build *b, const vk_org *org, const vk_role *role, vk_filters *filters) {
  vk_doc **docs;
  size_t n = content_of_kind(b->content, KIND_ROUTINE, &docs);
  for (size_t k = 0; k < n; k++) {
    const vk_doc *d = docs[k];
    if (d->n_versions < 2 || !doc_applies(d, b->content->site, org, role))
      continue;
    vk_doc **texts = xcalloc(d->n_versions, sizeof *texts);
    for (size_t i = 0; i < d->n_versions; i++)
      texts[i] = version_doc(b, d, i);
    for (size_t i = 0; i < d->n_versions; i++) {
      const vk_doc *doc = texts[i] ? texts[i] : (i + 1 == d->n_versions ? d : NULL);
      const vk_doc *prev = i ? (texts[i - 1] ? texts[i - 1] : NULL) : NULL;
      if (has_archive(b, d, i) && doc)
        archive_page(b, org, role, filters, d, i, doc);
      if (has_changes(d, i) && doc && prev)
        changes_page(b, org, role, filters, d, i, prev, doc);
    }
    for (size_t i = 0; i < d->n_versions; i++)
      if (texts[i])
        doc_free(texts[i]);
    free(texts);
  }
}

vk_value *archive_links(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d,
                        const char *from) {
  (void)b;
  vk_value *list = vk_list();
  if (d->n_versions < 2)
    return list;
  for (size_t i = d->n_versions; i-- > 0;) {
    vk_value *m = vk_map();
    put_dates(m, d, i);
    bool in_force = pending(b, d) ? i + 2 == d->n_versions : i + 1 == d->n_versions;
    vk_map_set(m, "current", vk_bool(in_force));
    vk_map_set(m, "upcoming", vk_bool(pending(b, d) && i + 1 == d->n_versions));
    if (has_archive(b, d, i)) {
      char *a = link_archive(org, role, d, d->versions[i].version, false);
      vk_map_put_owned(m, "url", link_rel(from, a));
      free(a);
    }
    if (has_changes(d, i)) {
      char *c = link_archive(org, role, d, d->versions[i].version, true);
      vk_map_put_owned(m, "changes_url", link_rel(from, c));
      free(c);
    }
    vk_list_push(list, m);
  }
  return list;
}

char *archive_changes_url(const vk_build *b, const vk_org *org, const vk_role *role,
                          const vk_doc *d, const char *version, const char *from) {
  (void)b;
  for (size_t i = 0; version && i < d->n_versions; i++)
    if (d->versions[i].version && strcmp(d->versions[i].version, version) == 0 &&
        has_changes(d, i)) {
      char *to = link_archive(org, role, d, version, true);
      char *url = link_rel(from, to);
      free(to);
      return url;
    }
  return NULL;
}
