/* document.c — see document.h. */
#include "document.h"
#include "image.h"
#include "markdown.h"
#include "safepath.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Is this a link to another document (relative, to a .md file)? */
static bool is_doc_link(const char *url) {
  if (content_is_external(url))
    return false;
  const char *hash = strchr(url, '#');
  size_t len = hash ? (size_t)(hash - url) : strlen(url);
  return len >= 3 && strncmp(url + len - 3, ".md", 3) == 0;
}

/* Does `anchor` name a heading (by its slug, as the writers make ids), a
 * container #id, or — in a definition — the term itself? */
static bool has_anchor(const vk_doc *d, const char *anchor) {
  if (!*anchor || strcmp(anchor, d->id) == 0)
    return true;
  if (!d->tree)
    return false;
  bool found = false;
  cmark_iter *it = cmark_iter_new(d->tree);
  cmark_event_type ev;
  while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    md_attrs *a = md_attrs_of(n);
    if (a && a->id && strcmp(a->id, anchor) == 0)
      found = true;
    else if (md_type_of(n) == MD_HEADING) {
      sbuf text = {0};
      md_text_content(n, &text);
      char *slug = slugify(sbuf_str(&text));
      size_t sl = strlen(slug);
      /* repeated headings get -1, -2 … */
      found = strncmp(anchor, slug, sl) == 0 &&
              (anchor[sl] == 0 || (anchor[sl] == '-' && strspn(anchor + sl + 1, "0123456789") ==
                                                            strlen(anchor + sl + 1)));
      free(slug);
      sbuf_free(&text);
    }
  }
  cmark_iter_free(it);
  return found;
}

/* A link to another document must reach it, and its #anchor a heading. */
static void check_link(const vk_content *c, const vk_doc *d, cmark_node *n, diag *dg) {
  const char *url = cmark_node_get_url(n);
  if (!url || !is_doc_link(url))
    return;
  const char *anchor;
  const vk_doc *target = content_resolve_link(c, d, url, &anchor);
  if (!target && content_link_is_broken(c, d, url))
    return; /* reported where that document is broken */
  if (!target)
    diag_error(dg, d->srcpath, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
               "link to '%s', which is not a document in the content folder — check the "
               "path (relative to this file, e.g. ../routines/id.md)",
               url);
  else if (anchor && !has_anchor(target, anchor))
    diag_error(dg, d->srcpath, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
               "link to '%s': %s has no heading '#%s' — use the heading's id as the page "
               "shows it (lower case, words joined by '-')",
               url, target->srcpath, anchor);
}

/* Raw HTML is escaped on the site and left out of handouts and slides:
 * authors get told where, so the text can be written in Markdown. */
static void warn_raw_html(const vk_doc *d, cmark_node *n, diag *dg) {
  diag_warn(dg, d->srcpath, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
            "raw HTML is shown as text on the site and left out of handouts — write it in "
            "Markdown instead");
}

/* One local image: it must exist inside the content folder and be a PNG,
 * JPEG, GIF or SVG. Its URL becomes the content-relative path (image.h). */
static void check_image(const vk_content *c, const vk_doc *d, cmark_node *n, diag *dg) {
  const char *url = cmark_node_get_url(n);
  if (!url || !*url || image_is_remote(url))
    return;
  int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
  if (strstr(url, "{{")) { /* one file per image: the site and handouts share it */
    diag_error(dg, d->srcpath, line, col,
               "image '%s': image paths cannot use {{variables}} — write the path, and use a "
               "container with orgs=\"…\" for an image that differs between organisations",
               url);
    return;
  }
  char *rel = image_resolve(d->path, url);
  if (!rel) {
    diag_error(dg, d->srcpath, line, col,
               "image '%s' is outside the content folder — put it in %s/images/ and write "
               "/images/NAME",
               url, c->dir);
    return;
  }
  char *full = path_join(c->dir, rel);
  size_t len = 0;
  safepath_status st;
  char *data = safepath_read(c->dir, full, &len, &st);
  vk_image_info info;
  if (st == SAFEPATH_OUTSIDE)
    diag_error(dg, d->srcpath, line, col,
               "image '%s' is a link to a file outside the content folder %s — copy the image "
               "into the content folder instead of linking to it",
               url, c->dir);
  else if (!data)
    diag_error(dg, d->srcpath, line, col,
               "image '%s' not found — put the file at %s, or fix the path (it is relative "
               "to this file; /images/NAME means the content folder's images/)",
               url, full);
  else if (!image_probe((const unsigned char *)data, len, &info))
    diag_error(dg, d->srcpath, line, col,
               "image '%s' is not a PNG, JPEG, GIF or SVG image with a size — save it again as "
               "PNG or JPEG",
               url);
  else
    cmark_node_set_url(n, rel);
  free(data);
  free(full);
  free(rel);
}

/* "a, b, c": the organisation (or role) ids site.yaml knows, for messages. */
static char *known_ids(const vk_site *s, bool orgs) {
  sbuf b = {0};
  size_t n = orgs ? s->n_orgs : s->n_roles;
  for (size_t i = 0; i < n; i++)
    sbuf_printf(&b, "%s%s", i ? ", " : "", orgs ? s->orgs[i]->id : s->roles[i]->id);
  return n ? sbuf_take(&b) : xstrdup("(none)");
}

/* Every id in a container's or span's roles= and orgs= must be in site.yaml: a typo
 * would otherwise hide the text from everyone (or show it to everyone). */
static void check_container_ids(const vk_content *c, const vk_doc *d, cmark_node *n, diag *dg) {
  const md_attrs *a = md_attrs_of(n);
  if (!a || !c->site)
    return;
  for (int k = 0; k < 2; k++) {
    bool orgs = k == 1;
    const char *key = orgs ? "orgs" : "roles", *p = md_attrs_get(a, key), *word;
    size_t len;
    while (p && list_next(&p, &word, &len)) {
      char *id = xstrndup(word, len);
      if (orgs ? !site_org(c->site, id) : !site_role(c->site, id)) {
        char *known = known_ids(c->site, orgs);
        bool span = md_type_of(n) == MD_SPAN;
        diag_error(dg, d->srcpath, a->line, span ? a->col : cmark_node_get_start_column(n),
                   "%s %s=\"%s\" names '%s', which is not %s in site.yaml — use one of: "
                   "%s (or add it to site.yaml)",
                   span ? "span" : "container", key, md_attrs_get(a, key), id,
                   orgs ? "an organisation" : "a role", known);
        free(known);
      }
      free(id);
    }
  }
}

/* An APT pack's agenda texts (intro:/closing:) are parsed again per
 * organisation when the pack is assembled (deck.h); here, once, their
 * containers' ids are checked as a body's are, so a typo is an error in
 * `vaksam check` too instead of text hidden from everyone. */
static void check_agenda_texts(const vk_content *c, const vk_doc *d, diag *dg) {
  for (size_t i = 0; i < d->n_agenda; i++) {
    const char *text = d->agenda[i].text;
    if (!text)
      continue;
    cmark_node *tree = md_parse(text, strlen(text), d->agenda[i].line, d->srcpath, dg);
    cmark_iter *it = cmark_iter_new(tree);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
      if (ev == CMARK_EVENT_ENTER && (md_type_of(cmark_iter_get_node(it)) == MD_DIV ||
                                      md_type_of(cmark_iter_get_node(it)) == MD_SPAN))
        check_container_ids(c, d, cmark_iter_get_node(it), dg);
    cmark_iter_free(it);
    cmark_node_free(tree);
  }
}

/* Links, images, raw HTML and containers of one document, in one walk of its tree. */
static void check_nodes(const vk_content *c, const vk_doc *d, diag *dg) {
  check_agenda_texts(c, d, dg);
  if (!d->tree)
    return;
  cmark_iter *it = cmark_iter_new(d->tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER)
      continue;
    cmark_node *n = cmark_iter_get_node(it);
    switch (md_type_of(n)) {
    case MD_LINK: check_link(c, d, n, dg); break;
    case MD_IMAGE: check_image(c, d, n, dg); break;
    case MD_DIV:
    case MD_SPAN: check_container_ids(c, d, n, dg); break;
    case MD_HTML_BLOCK:
    case MD_HTML_INLINE: warn_raw_html(d, n, dg); break;
    default: break;
    }
  }
  cmark_iter_free(it);
}

void document_parse_body(vk_doc *d, diag *dg) {
  if (!d->tree)
    d->tree = md_parse(d->body, d->body_len, d->body_line, d->srcpath, dg);
}

typedef struct {
  vk_content *c;
  diag *dg;
  bool check;         /* second pass: check the trees */
  atomic_size_t next; /* the next document to take */
} parse_queue;

/* Each document is one task: its own parser and tree, so tasks share
 * nothing but the read-only content index and the (locked) diagnostics,
 * which are sorted when printed. */
static void *parse_worker(void *arg) {
  parse_queue *q = arg;
  for (size_t i; (i = atomic_fetch_add(&q->next, 1)) < q->c->n_docs;) {
    if (q->check)
      check_nodes(q->c, q->c->docs[i], q->dg);
    else
      document_parse_body(q->c->docs[i], q->dg);
  }
  return NULL;
}

/* Every body first (a link's anchor is checked in its target's tree), then
 * every tree; drafts included, as content_load checks references. */
static void parse_all(vk_content *c, int jobs, diag *dg) {
  for (int pass = 0; pass < 2; pass++) {
    parse_queue q = {.c = c, .dg = dg, .check = pass == 1};
    atomic_init(&q.next, 0);
    util_run_threads(jobs, c->n_docs, parse_worker, &q);
  }
}

vk_content *document_load(const char *dir, const vk_load_opts *opts, diag *dg) {
  vk_load_opts o = opts ? *opts : (vk_load_opts){0};
  o.parse = parse_all;
  return content_load(dir, &o, dg);
}

vk_doc *document_from_text(const char *text, size_t len, const char *path, const char *srcpath,
                           const vk_site *site, diag *dg) {
  vk_doc *d = doc_parse(text, len, path, srcpath, site, dg);
  if (d)
    document_parse_body(d, dg);
  return d;
}
