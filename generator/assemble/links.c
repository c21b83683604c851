/* links.c — see links.h. */
#include "links.h"
#include "image.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

char *link_site_file(const char *name) {
  return xasprintf(LINK_SITE "%s", name);
}

/* Appends the variant's folder: site/, site/<org>/ or site/<org>/<role>/. */
static void put_variant_dir(sbuf *b, const vk_org *org, const vk_role *role) {
  sbuf_puts(b, LINK_SITE);
  if (org) {
    sbuf_puts(b, org->id);
    sbuf_putc(b, '/');
  }
  if (org && role) {
    sbuf_puts(b, role->id);
    sbuf_putc(b, '/');
  }
}

/* fmt with each %s replaced by the next argument: the only conversion the
 * locations here need, written out because vsnprintf's set-up costs more
 * than the copying on a path built for every link of every page. */
static void put_strings(sbuf *b, const char *fmt, va_list ap) {
  for (const char *p = fmt; *p;) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      sbuf_puts(b, p);
      return;
    }
    sbuf_putn(b, p, (size_t)(pct - p));
    if (pct[1] != 's') /* no other conversion is used; the format attribute checks the rest */
      abort();
    sbuf_puts(b, va_arg(ap, const char *));
    p = pct + 2;
  }
}

/* The location of the file in the variant's folder named by fmt (printf
 * style, %s conversions only). */
static char *variant_filef(const vk_org *org, const vk_role *role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static char *variant_filef(const vk_org *org, const vk_role *role, const char *fmt, ...) {
  sbuf b = {0};
  put_variant_dir(&b, org, role);
  va_list ap;
  va_start(ap, fmt);
  put_strings(&b, fmt, ap);
  va_end(ap);
  return sbuf_take(&b);
}

char *link_variant_dir(const vk_org *org, const vk_role *role) {
  return variant_filef(org, role, "%s", "");
}

char *link_variant_file(const vk_org *org, const vk_role *role, const char *name) {
  return variant_filef(org, role, "%s", name);
}

char *link_search_file(const vk_org *org, const vk_role *role, const char *name) {
  return variant_filef(org, role, "sok/%s", name);
}

char *link_kind_index(const vk_org *org, const vk_role *role, vk_kind k) {
  return variant_filef(org, role, "%s/index.html", kind_slug(k));
}

char *link_doc(const vk_org *org, const vk_role *role, const vk_doc *d, const char *anchor) {
  bool has_anchor = anchor && *anchor;
  if (d->kind == KIND_DEFINITION) /* an entry of the glossary page */
    return variant_filef(org, role, "%s/index.html#%s%s%s", kind_slug(d->kind), d->id,
                         has_anchor ? "-" : "", has_anchor ? anchor : "");
  return variant_filef(org, role, "%s/%s.html%s%s", kind_slug(d->kind), d->id,
                       has_anchor ? "#" : "", has_anchor ? anchor : "");
}

char *link_pdf_of(const char *location) {
  const char *dot = strrchr(location, '.'), *slash = strrchr(location, '/');
  size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - location) : strlen(location);
  return xasprintf("%.*s.pdf", (int)stem, location);
}

char *link_handout(const vk_org *org, const vk_role *role, const vk_doc *d) {
  return variant_filef(org, role, LINK_HANDOUT_DIR "/%s.odt", d->id);
}

char *link_pack_dir(const vk_org *org, const vk_role *role, const vk_doc *pack) {
  return link_pack_file(org, role, pack, "");
}

char *link_pack_file(const vk_org *org, const vk_role *role, const vk_doc *pack, const char *name) {
  return variant_filef(org, role, "%s/%s/%s", kind_slug(KIND_PACK), pack->id, name);
}

char *link_pack_slides(const vk_org *org, const vk_role *role, const vk_doc *pack) {
  return link_pack_file(org, role, pack, "bildspel/index.html");
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
  char *p = variant_filef(org, role, "krav.html#%s", anchor);
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
  char *p = variant_filef(org, role, "taggar/%s.html", slug);
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

/* granskning.<ext>, or granskning/<owner's slug>.<ext> */
static char *review_file(const vk_org *org, const vk_role *role, const char *owner,
                         const char *ext) {
  if (!owner)
    return variant_filef(org, role, "granskning.%s", ext);
  char *slug = slugify(owner);
  char *p = variant_filef(org, role, "granskning/%s.%s", *slug ? slug : "ansvarig", ext);
  free(slug);
  return p;
}

char *link_review_owner(const vk_org *org, const vk_role *role, const char *owner) {
  return review_file(org, role, owner, "html");
}

char *link_review_calendar(const vk_org *org, const vk_role *role, const char *owner) {
  return review_file(org, role, owner, "ics");
}

/* ---- archived versions (doc control) ------------------------------------ */

char *link_archive(const vk_org *org, const vk_role *role, const vk_doc *d, const char *version,
                   bool changes) {
  return variant_filef(org, role, LINK_ARCHIVE_DIR "%s/%s%s.html", d->id, version,
                       changes ? "-andringar" : "");
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
