/* frame.c — see frame.h. */
#include "frame.h"

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

bool frame_role_sees_review(const vk_role *r) {
  return strcmp(r->id, "chef") == 0 || strcmp(r->id, "skyddsombud") == 0;
}

vk_value *frame_data(const vk_build *b, const vk_org *org, const vk_role *role, const char *root,
                     const char *title, const char *section) {
  const vk_site *s = b->content->site;
  struct {
    const vk_build *b;
    const vk_org *org;
    const vk_role *role;
  } jj = {b, org, role}, *j = &jj;
  vk_value *m = vk_map();
  vk_map_put(m, "site_title", s->title);
  vk_map_put(m, "lang", s->language ? s->language : "sv");
  vk_map_put(m, "root", root);
  vk_map_put(m, "title", title);
  set_b(m, "serve", j->b->opts->serve);
  vk_map_put(m, "generated", j->b->generated);
  if (j->org) {
    vk_map_put(m, "org_name", j->org->name);
    vk_map_put(m, "org_id", j->org->id);
  }
  if (j->role) {
    vk_map_put(m, "role_name", j->role->name);
    vk_map_put(m, "role_id", j->role->id);
    char *home = xasprintf("%s%s/%s/", root, j->org->id, j->role->id);
    vk_map_put(m, "home", home);
    char *search = xasprintf("%ssok.html", home);
    vk_map_put_owned(m, "search_url", search);
    vk_value *nav = vk_list();
    static const struct {
      const char *label, *path, *section;
    } items[] = {{"Start", "index.html", "home"},
                 {"Rutiner", "rutiner/index.html", "rutiner"},
                 {"Fall", "fall/index.html", "fall"},
                 {"Begrepp", "begrepp/index.html", "begrepp"},
                 {"Checklistor", "checklistor/index.html", "checklistor"},
                 {"APT-material", "apt/index.html", "apt"},
                 {"Granskning", "granskning.html", "granskning"}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
      if (strcmp(items[i].section, "granskning") == 0 && !frame_role_sees_review(j->role))
        continue;
      char *url = xasprintf("%s%s", home, items[i].path);
      vk_list_push(
          nav, link_item(items[i].label, url, section && strcmp(section, items[i].section) == 0));
      free(url);
    }
    vk_map_set(m, "nav", nav);
    char *feed = xasprintf("%sfeed.xml", home);
    vk_map_put_owned(m, "feed_url", feed);
    free(home);
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
