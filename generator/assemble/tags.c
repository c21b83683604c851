/* tags.c — see tags.h. */
#include "tags.h"
#include "coverage.h"
#include "frame.h"
#include "links.h"

#include <stdlib.h>
#include <string.h>

static char *url_from(const char *from, char *to) {
  char *u = link_rel(from, to);
  free(to);
  return u;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_tag(const vk_doc *d, const char *slug) {
  bool hit = false;
  for (size_t i = 0; i < d->tags.n && !hit; i++) {
    char *s = slugify(d->tags.items[i]);
    hit = strcmp(s, slug) == 0;
    free(s);
  }
  return hit;
}

void tags_of_variant(const vk_build *b, const vk_org *org, const vk_role *role, vec *out) {
  const vk_content *c = b->content;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    if (!coverage_counts(b, org, role, d))
      continue;
    for (size_t t = 0; t < d->tags.n; t++) {
      char *slug = slugify(d->tags.items[t]);
      bool seen = false;
      size_t n = strlen(slug);
      for (size_t k = 0; k < out->n && !seen; k++)
        seen = strncmp(out->items[k], slug, n) == 0 && ((char *)out->items[k])[n] == '\t';
      if (!seen)
        vec_push(out, xasprintf("%s\t%s", slug, (const char *)d->tags.items[t]));
      free(slug);
    }
  }
  vk_sort(out->items, out->n, sizeof *out->items, cmp_str);
}

vk_value *tags_doc_list(const vk_org *org, const vk_role *role, const vk_doc *d, const char *from) {
  vk_value *list = vk_list();
  for (size_t i = 0; i < d->tags.n; i++) {
    vk_value *m = vk_map();
    vk_map_put(m, "name", d->tags.items[i]);
    vk_map_put_owned(m, "slug", slugify(d->tags.items[i]));
    vk_map_put_owned(m, "url", url_from(from, link_tag(org, role, d->tags.items[i])));
    vk_list_push(list, m);
  }
  return list;
}

static vk_value *page_data(vk_build *b, const vk_org *org, const vk_role *role, const char *loc,
                           const char *title) {
  char *root = link_root(loc);
  vk_value *data = frame_data(b, org, role, root, title, "taggar");
  free(root);
  char *home = url_from(loc, link_variant_file(org, role, "index.html"));
  frame_add_crumb(data, role->name, home);
  free(home);
  return data;
}

/* The page of one tag: the variant's documents with it. */
static int write_tag(vk_build *b, const vk_org *org, const vk_role *role, const char *slug,
                     const char *name) {
  char *loc = link_tag(org, role, name);
  vk_value *data = page_data(b, org, role, loc, name);
  char *index = url_from(loc, link_tag_index(org, role));
  frame_add_crumb(data, frame_label(b, "page.tags"), index);
  free(index);
  vk_map_put(data, "tag", name);
  vk_value *items = vk_list();
  const vk_content *c = b->content;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    if (!coverage_counts(b, org, role, d) || !has_tag(d, slug))
      continue;
    vk_value *m = vk_map();
    vk_map_put(m, "title", d->title);
    vk_map_put(m, "summary", d->summary);
    vk_map_put(m, "kind", frame_kind_singular(b, d->kind));
    vk_map_put_owned(m, "url", url_from(loc, link_doc(org, role, d, NULL)));
    vk_list_push(items, m);
  }
  vk_map_set(data, "items", items);
  int rc = frame_write_page(b, loc, "tag", data);
  free(loc);
  return rc;
}

int tags_write(vk_build *b, const vk_org *org, const vk_role *role) {
  vec tags = {0};
  tags_of_variant(b, org, role, &tags);
  char *loc = link_tag_index(org, role);
  vk_value *data = page_data(b, org, role, loc, frame_label(b, "page.tags"));
  vk_value *list = vk_list();
  int rc = 0;
  for (size_t i = 0; i < tags.n; i++) {
    char *slug = tags.items[i], *tab = strchr(slug, '\t');
    *tab = 0;
    vk_value *m = vk_map();
    vk_map_put(m, "name", tab + 1);
    vk_map_put_owned(m, "url", url_from(loc, link_tag(org, role, tab + 1)));
    vk_list_push(list, m);
    if (write_tag(b, org, role, slug, tab + 1) != 0)
      rc = -1;
    free(slug);
  }
  vk_map_set(data, "empty", vk_bool(tags.n == 0));
  vk_map_set(data, "tags", list);
  if (frame_write_page(b, loc, "tags", data) != 0)
    rc = -1;
  free(loc);
  vec_free(&tags);
  return rc;
}
