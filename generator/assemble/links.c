/* links.c — see links.h. */
#include "links.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

char *link_site_file(const char *name) {
  return xasprintf(LINK_SITE "%s", name);
}

char *link_variant_dir(const vk_org *org, const vk_role *role) {
  if (!org)
    return xstrdup(LINK_SITE);
  if (!role)
    return xasprintf(LINK_SITE "%s/", org->id);
  return xasprintf(LINK_SITE "%s/%s/", org->id, role->id);
}

char *link_variant_file(const vk_org *org, const vk_role *role, const char *name) {
  char *dir = link_variant_dir(org, role);
  char *p = xasprintf("%s%s", dir, name);
  free(dir);
  return p;
}

char *link_search_file(const vk_org *org, const vk_role *role, const char *name) {
  char *file = xasprintf("sok/%s", name);
  char *p = link_variant_file(org, role, file);
  free(file);
  return p;
}

char *link_kind_index(const vk_org *org, const vk_role *role, vk_kind k) {
  char *name = xasprintf("%s/index.html", kind_slug(k));
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

char *link_doc(const vk_org *org, const vk_role *role, const vk_doc *d, const char *anchor) {
  bool has_anchor = anchor && *anchor;
  char *name;
  if (d->kind == KIND_DEFINITION)
    name = has_anchor ? xasprintf("%s/index.html#%s-%s", kind_slug(d->kind), d->id, anchor)
                      : xasprintf("%s/index.html#%s", kind_slug(d->kind), d->id);
  else
    name = xasprintf("%s/%s.html%s%s", kind_slug(d->kind), d->id, has_anchor ? "#" : "",
                     has_anchor ? anchor : "");
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

char *link_pdf_of(const char *location) {
  const char *dot = strrchr(location, '.'), *slash = strrchr(location, '/');
  size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - location) : strlen(location);
  return xasprintf("%.*s.pdf", (int)stem, location);
}

char *link_handout(const vk_org *org, const vk_role *role, const vk_doc *d) {
  char *name = xasprintf(LINK_HANDOUT_DIR "/%s.odt", d->id);
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

char *link_pack_dir(const vk_org *org, const vk_role *role, const vk_doc *pack) {
  char *name = xasprintf("%s/%s/", kind_slug(KIND_PACK), pack->id);
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

char *link_pack_file(const vk_org *org, const vk_role *role, const vk_doc *pack, const char *name) {
  char *dir = link_pack_dir(org, role, pack);
  char *p = xasprintf("%s%s", dir, name);
  free(dir);
  return p;
}

char *link_pack_slides(const vk_org *org, const vk_role *role, const vk_doc *pack) {
  char *name = xasprintf("%s/%s/bildspel/index.html", kind_slug(KIND_PACK), pack->id);
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

char *link_req_anchor(const char *req_id) {
  char *slug = slugify(req_id);
  char *a = xasprintf("krav-%s", slug);
  free(slug);
  return a;
}

char *link_coverage(const vk_org *org, const vk_role *role, const char *req_id) {
  if (!req_id)
    return link_variant_file(org, role, "krav.html");
  char *anchor = link_req_anchor(req_id);
  char *name = xasprintf("krav.html#%s", anchor);
  char *p = link_variant_file(org, role, name);
  free(name);
  free(anchor);
  return p;
}

char *link_coverage_csv(const vk_org *org, const vk_role *role) {
  return link_variant_file(org, role, "krav.csv");
}

char *link_tag_index(const vk_org *org, const vk_role *role) {
  return link_variant_file(org, role, "taggar/index.html");
}

char *link_tag(const vk_org *org, const vk_role *role, const char *tag) {
  char *slug = slugify(tag);
  char *name = xasprintf("taggar/%s.html", slug);
  char *p = link_variant_file(org, role, name);
  free(name);
  free(slug);
  return p;
}

char *link_image(const char *content_path) {
  return xasprintf(LINK_SITE IMAGE_SITE_DIR "/%s", content_path);
}

/* ---- URLs ----------------------------------------------------------------- */

/* Length of the folder part of a location (up to and including its last
 * '/' before any '#'). */
static size_t dir_len(const char *loc) {
  size_t end = strcspn(loc, "#");
  size_t n = 0;
  for (size_t i = 0; i < end; i++)
    if (loc[i] == '/')
      n = i + 1;
  return n;
}

char *link_rel(const char *from, const char *to) {
  size_t fdir = dir_len(from);
  /* the longest common run of whole folders */
  size_t common = 0;
  for (size_t i = 0; i < fdir && from[i] == to[i]; i++)
    if (from[i] == '/')
      common = i + 1;
  sbuf b = {0};
  for (size_t i = common; i < fdir; i++)
    if (from[i] == '/')
      sbuf_puts(&b, "../");
  sbuf_puts(&b, to + common);
  return sbuf_take(&b);
}

char *link_via(const char *from, const char *via, const char *to) {
  size_t n = strlen(via);
  if (strncmp(from, via, n) != 0 || strncmp(to, via, n) != 0)
    return link_rel(from, to);
  sbuf b = {0};
  for (size_t i = n; i < dir_len(from); i++)
    if (from[i] == '/')
      sbuf_puts(&b, "../");
  sbuf_puts(&b, to + n);
  return sbuf_take(&b);
}

char *link_root(const char *from) {
  return link_via(from, LINK_SITE, LINK_SITE);
}

char *link_href(const link_from *f, const char *to) {
  if (f->from)
    return link_rel(f->from, to);
  const char *path = strncmp(to, LINK_SITE, strlen(LINK_SITE)) == 0 ? to + strlen(LINK_SITE) : to;
  return xasprintf("%s%s", f->base_url ? f->base_url : "", path);
}

char *link_abs(const vk_site *s, const char *to) {
  link_from f = {NULL, s->base_url};
  return link_href(&f, to);
}

char *link_server_root(const vk_site *s, bool preview) {
  if (preview)
    return xstrdup("/" LINK_SITE);
  const char *u = s->base_url ? s->base_url : "";
  const char *host = strstr(u, "://");
  const char *path = host ? strchr(host + 3, '/') : (*u == '/' ? u : NULL);
  if (!path)
    return xstrdup("/");
  size_t n = strcspn(path, "?#");
  return xasprintf("%.*s%s", (int)n, path, n && path[n - 1] == '/' ? "" : "/");
}

/* ---- review dashboard and calendars (doc control) ---------------------- */

char *link_review_owner(const vk_org *org, const vk_role *role, const char *owner) {
  if (!owner)
    return link_variant_file(org, role, "granskning.html");
  char *slug = slugify(owner);
  char *name = xasprintf("granskning/%s.html", *slug ? slug : "ansvarig");
  char *p = link_variant_file(org, role, name);
  free(name);
  free(slug);
  return p;
}

char *link_review_calendar(const vk_org *org, const vk_role *role, const char *owner) {
  if (!owner)
    return link_variant_file(org, role, "granskning.ics");
  char *slug = slugify(owner);
  char *name = xasprintf("granskning/%s.ics", *slug ? slug : "ansvarig");
  char *p = link_variant_file(org, role, name);
  free(name);
  free(slug);
  return p;
}

/* ---- archived versions (doc control) ------------------------------------ */

char *link_archive(const vk_org *org, const vk_role *role, const vk_doc *d, const char *version,
                   bool changes) {
  char *name =
      xasprintf(LINK_ARCHIVE_DIR "%s/%s%s.html", d->id, version, changes ? "-andringar" : "");
  char *p = link_variant_file(org, role, name);
  free(name);
  return p;
}

bool link_is_archive(const char *loc) {
  return strstr(loc, "/" LINK_ARCHIVE_DIR) != NULL;
}

char *link_archive_handout(const vk_org *org, const vk_role *role, const vk_doc *d,
                           const char *version) {
  char *cur = link_handout(org, role, d);
  size_t n = strlen(cur);
  if (n > 4 && strcmp(cur + n - 4, ".odt") == 0)
    n -= 4;
  char *p = xasprintf("%.*s-version-%s.odt", (int)n, cur, version);
  free(cur);
  return p;
}
