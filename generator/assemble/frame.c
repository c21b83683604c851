/* frame.c — see frame.h. */
#include "frame.h"
#include "links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_b(vk_value *m, const char *k, bool v) {
  vk_map_set(m, k, vk_bool(v));
}

static vk_value *link_item(const char *label, const char *url, bool current) {
  vk_value *m = vk_map();
  vk_map_put(m, "label", label);
  vk_map_put(m, "url", url);
  set_b(m, "current", current);
  return m;
}

/* A URL of the site from a page whose way to the site root is `root`. */
static char *from_root(const char *root, char *to) {
  link_from f = {NULL, root};
  char *url = link_href(&f, to);
  free(to);
  return url;
}

static void push_nav(vk_value *nav, const char *label, char *url, bool current) {
  vk_list_push(nav, link_item(label, url, current));
  free(url);
}

/* The variant's home, search and feed URLs and its navigation, all through
 * the site root (they read the same on every page of the same depth). */
static void add_variant_nav(const vk_build *b, vk_value *m, const vk_org *org, const vk_role *role,
                            const char *root, const char *section) {
  const vk_labels *l = theme_labels(b->theme);
  vk_map_put_owned(m, "home", from_root(root, link_variant_dir(org, role)));
  vk_map_put_owned(m, "search_url", from_root(root, link_variant_file(org, role, "sok.html")));
  vk_value *nav = vk_list();
  bool home = section && strcmp(section, "home") == 0;
  push_nav(nav, labels_get(l, "nav.start"),
           from_root(root, link_variant_file(org, role, "index.html")), home);
  for (int k = 0; k < KIND_COUNT; k++) {
    const char *slug = kind_slug((vk_kind)k);
    push_nav(nav, frame_kind_label(b, (vk_kind)k),
             from_root(root, link_kind_index(org, role, (vk_kind)k)),
             section && strcmp(section, slug) == 0);
  }
  if (frame_role_sees_review(role))
    push_nav(nav, labels_get(l, "nav.review"),
             from_root(root, link_variant_file(org, role, "granskning.html")),
             section && strcmp(section, "granskning") == 0);
  vk_map_set(m, "nav", nav);
  vk_map_put_owned(m, "feed_url", from_root(root, link_variant_file(org, role, "feed.xml")));
}

/* labels.yaml key "<prefix>.<kind name>" */
static const char *kind_key(const vk_build *b, const char *prefix, vk_kind k) {
  char key[64];
  snprintf(key, sizeof key, "%s.%s", prefix, kind_name(k));
  return labels_get(theme_labels(b->theme), key);
}

const char *frame_kind_label(const vk_build *b, vk_kind k) {
  return kind_key(b, "kinds", k);
}

const char *frame_kind_singular(const vk_build *b, vk_kind k) {
  return kind_key(b, "page_kind", k);
}

const char *frame_label(const vk_build *b, const char *key) {
  return labels_get(theme_labels(b->theme), key);
}

bool frame_role_sees_review(const vk_role *r) {
  return role_can(r, ROLE_CAN_REVIEW);
}

vk_value *frame_data(const vk_build *b, const vk_org *org, const vk_role *role, const char *root,
                     const char *title, const char *section) {
  const vk_site *s = b->content->site;
  vk_value *m = vk_map();
  vk_map_put(m, "site_title", s->title);
  vk_map_put(m, "lang", s->language ? s->language : "sv");
  vk_map_put(m, "root", root);
  vk_map_put(m, "title", title);
  set_b(m, "serve", b->opts->serve);
  vk_map_put(m, "generated", b->generated);
  if (org) {
    vk_map_put(m, "org_name", org->name);
    vk_map_put(m, "org_id", org->id);
  }
  if (role) {
    vk_map_put(m, "role_name", role->name);
    vk_map_put(m, "role_id", role->id);
    add_variant_nav(b, m, org, role, root, section);
  }
  return m;
}

/* Breadcrumbs live in a map {items: […]} so that the layout can wrap the
 * list in its <nav> only when there is one (Mustache cannot test a list's
 * length). */
void frame_add_crumb(vk_value *data, const char *label, const char *url) {
  vk_value *c = vk_map_get(data, "crumbs");
  if (!c) {
    c = vk_map();
    vk_map_set(c, "items", vk_list());
    vk_map_set(data, "crumbs", c);
  }
  vk_list_push(vk_map_get(c, "items"), link_item(label, url, false));
}

void frame_render_page(const vk_build *b, const char *tpl, vk_value *data, sbuf *page) {
  sbuf main = {0};
  theme_render(b->theme, tpl, data, &main);
  vk_map_set(data, "main", vk_str(sbuf_str(&main)));
  theme_render(b->theme, "layout", data, page);
  sbuf_free(&main);
  vk_value_free(data);
}

int frame_write_page(vk_build *b, const char *loc, const char *tpl, vk_value *data) {
  sbuf page = {0};
  frame_render_page(b, tpl, data, &page);
  int rc = build_write(b, loc, sbuf_str(&page), page.len);
  sbuf_free(&page);
  return rc;
}
