/* coverage.c — see coverage.h. */
#include "coverage.h"
#include "frame.h"
#include "links.h"
#include "requirements.h"

#include <stdlib.h>
#include <string.h>

bool coverage_counts(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d) {
  return d->status != STATUS_RETIRED && doc_applies(d, b->content->site, org, role);
}

static bool answers(const vk_doc *d, const char *req_id) {
  for (size_t i = 0; i < d->answers.n; i++)
    if (strcmp(d->answers.items[i], req_id) == 0)
      return true;
  return false;
}

/* The URL of location `to` (freed) from location `from`. */
static char *url_from(const char *from, char *to) {
  char *u = link_rel(from, to);
  free(to);
  return u;
}

static vk_value *doc_ref(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d,
                         const char *from) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", d->id);
  vk_map_put(m, "title", d->title);
  vk_map_put(m, "kind", frame_kind_singular(b, d->kind));
  vk_map_put_owned(m, "url", url_from(from, link_doc(org, role, d, NULL)));
  return m;
}

/* One requirement with the documents of the variant that answer it. */
static vk_value *req_entry(const vk_build *b, const vk_org *org, const vk_role *role,
                           const vk_req *q, const char *from) {
  vk_value *m = vk_map();
  vk_map_put(m, "id", q->id);
  vk_map_put_owned(m, "anchor", link_req_anchor(q->id));
  vk_map_put(m, "title", q->title);
  vk_map_put(m, "text", q->text);
  vk_map_put(m, "source", q->source);
  vk_value *docs = vk_list();
  const vk_content *c = b->content;
  for (size_t i = 0; i < c->n_docs; i++)
    if (answers(c->docs[i], q->id) && coverage_counts(b, org, role, c->docs[i]))
      vk_list_push(docs, doc_ref(b, org, role, c->docs[i], from));
  vk_map_set(m, "answered", vk_bool(docs->u.list.n > 0));
  vk_map_set(m, "docs", docs);
  return m;
}

static vk_value *coverage_data(vk_build *b, const vk_org *org, const vk_role *role,
                               const char *loc) {
  char *root = link_root(loc);
  vk_value *data = frame_data(b, org, role, root, frame_label(b, "page.coverage"), "krav");
  free(root);
  char *home = url_from(loc, link_variant_file(org, role, "index.html"));
  frame_add_crumb(data, role->name, home);
  free(home);
  vk_value *reqs = vk_list(), *open = vk_list();
  const vk_reqs *r = b->content->reqs;
  for (size_t i = 0; i < r->n; i++) {
    vk_value *e = req_entry(b, org, role, &r->items[i], loc);
    if (!vk_truthy(vk_map_get(e, "answered")))
      vk_list_push(open, vk_value_copy(e));
    vk_list_push(reqs, e);
  }
  vk_map_set(data, "n_reqs", vk_int((long long)r->n));
  vk_map_set(data, "n_open", vk_int((long long)open->u.list.n));
  vk_map_set(data, "n_answered", vk_int((long long)(r->n - open->u.list.n)));
  vk_map_set(data, "has_open", vk_bool(open->u.list.n > 0));
  vk_map_set(data, "requirements", reqs);
  vk_map_set(data, "open", open);
  vk_map_put_owned(data, "csv_url", url_from(loc, link_coverage_csv(org, role)));
  return data;
}

/* One row per requirement: id, title, answered (yes/no), the answering
 * documents' ids and titles (separated by " | "). */
static char *coverage_csv(vk_build *b, const vk_org *org, const vk_role *role) {
  sbuf out = {0};
  const char *head[] = {"requirement", "title",        "answered", "documents",
                        "titles",      "organisation", "role"};
  for (size_t i = 0; i < 7; i++)
    sbuf_csv_field(&out, head[i], i == 6);
  const vk_reqs *r = b->content->reqs;
  const vk_content *c = b->content;
  for (size_t q = 0; q < r->n; q++) {
    sbuf ids = {0}, titles = {0};
    for (size_t i = 0; i < c->n_docs; i++) {
      const vk_doc *d = c->docs[i];
      if (!answers(d, r->items[q].id) || !coverage_counts(b, org, role, d))
        continue;
      sbuf_puts(&ids, ids.len ? " | " : "");
      sbuf_puts(&ids, d->path);
      sbuf_puts(&titles, titles.len ? " | " : "");
      sbuf_puts(&titles, d->title);
    }
    const char *row[] = {r->items[q].id, r->items[q].title, ids.len ? "yes" : "no",
                         sbuf_str(&ids), sbuf_str(&titles), org->id,
                         role->id};
    for (size_t i = 0; i < 7; i++)
      sbuf_csv_field(&out, row[i], i == 6);
    sbuf_free(&ids);
    sbuf_free(&titles);
  }
  return sbuf_take(&out);
}

int coverage_write(vk_build *b, const vk_org *org, const vk_role *role) {
  if (!b->content->reqs->present)
    return 0;
  char *loc = link_coverage(org, role, NULL);
  int rc = frame_write_page(b, loc, "coverage", coverage_data(b, org, role, loc));
  free(loc);
  char *csv = coverage_csv(b, org, role);
  char *csv_loc = link_coverage_csv(org, role);
  if (build_write(b, csv_loc, csv, strlen(csv)) != 0)
    rc = -1;
  free(csv_loc);
  free(csv);
  return rc;
}

vk_value *coverage_doc_answers(const vk_build *b, const vk_org *org, const vk_role *role,
                               const vk_doc *d, const char *from) {
  vk_value *list = vk_list();
  for (size_t i = 0; i < d->answers.n; i++) {
    const vk_req *q = reqs_find(b->content->reqs, d->answers.items[i]);
    if (!q)
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "id", q->id);
    vk_map_put(m, "title", q->title);
    vk_map_put_owned(m, "url", url_from(from, link_coverage(org, role, q->id)));
    vk_list_push(list, m);
  }
  return list;
}
