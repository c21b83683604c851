/* calendar.c — see calendar.h. */
#include "calendar.h"
#include "frame.h"
#include "ics.h"
#include "links.h"

#include <stdlib.h>
#include <string.h>

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void calendar_owners(const vk_build *b, const vk_org *org, const vk_role *role, vec *out) {
  vk_doc **docs;
  size_t n = content_of_kind(b->content, KIND_ROUTINE, &docs);
  vec slugs = {0};
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = docs[i];
    if (!d->owner || !*d->owner || !doc_applies(d, b->content->site, org, role))
      continue;
    char *slug = slugify(d->owner);
    bool seen = false;
    for (size_t k = 0; k < slugs.n && !seen; k++)
      seen = strcmp(slugs.items[k], slug) == 0;
    if (seen) {
      free(slug);
      continue;
    }
    vec_push(&slugs, slug);
    vec_push(out, d->owner);
  }
  for (size_t k = 0; k < slugs.n; k++)
    free(slugs.items[k]);
  vec_free(&slugs);
  vk_sort(out->items, out->n, sizeof(char *), cmp_name);
}

/* The routine's page for the role whose calendar it is. */
static char *event_url(const vk_build *b, const vk_org *org, const vk_role *role, const vk_doc *d) {
  const vk_site *s = b->content->site;
  if (!s->base_url || !*s->base_url)
    return NULL;
  char *loc = link_doc(org, role, d, NULL);
  char *url = link_abs(s, loc);
  free(loc);
  return url;
}

bool calendar_owns(const char *owner, const vk_doc *d) {
  if (!owner)
    return true;
  if (!d->owner)
    return false;
  char *a = slugify(owner), *b = slugify(d->owner);
  bool same = strcmp(a, b) == 0;
  free(a);
  free(b);
  return same;
}

typedef struct {
  ics_event e;
  char *uid, *summary, *description, *url, *id;
} event_buf;

static int cmp_event(const void *x, const void *y) {
  const event_buf *a = x, *b = y;
  int c = date_cmp(a->e.date, b->e.date);
  return c ? c : strcmp(a->id, b->id);
}

static void write_one(vk_build *b, const vk_org *org, const vk_role *role, const char *owner) {
  vk_doc **docs;
  size_t n = content_of_kind(b->content, KIND_ROUTINE, &docs);
  event_buf *ev = xcalloc(n ? n : 1, sizeof *ev);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = docs[i];
    const vk_doc_facts *f = build_facts(b, d);
    if (!date_set(f->due) || !doc_applies(d, b->content->site, org, role) ||
        !calendar_owns(owner, d))
      continue;
    event_buf *e = &ev[k++];
    e->id = d->id;
    e->uid = xasprintf("%s.%s.%s@vaksam", org->id, d->id, d->version ? d->version : "0");
    e->summary = labels_format(theme_labels(b->theme), "calendar.summary", d->title);
    sbuf desc = {0};
    char *v = labels_format(theme_labels(b->theme), "calendar.version", d->version);
    sbuf_puts(&desc, v);
    free(v);
    if (d->owner) {
      char *o = labels_format(theme_labels(b->theme), "calendar.owner", d->owner);
      sbuf_printf(&desc, "\n%s", o);
      free(o);
    }
    e->description = sbuf_take(&desc);
    e->url = event_url(b, org, role, d);
    e->e = (ics_event){e->uid, e->summary, e->description, e->url, f->due};
  }
  vk_sort(ev, k, sizeof *ev, cmp_event);
  ics_event *list = xcalloc(k ? k : 1, sizeof *list);
  for (size_t i = 0; i < k; i++)
    list[i] = ev[i].e;
  char *name = labels_format(theme_labels(b->theme), "calendar.name", owner ? owner : org->name);
  ics_calendar cal = {name, date_today(b->generated), list, k};
  sbuf out = {0};
  ics_write(&cal, &out);
  char *loc = link_review_calendar(org, role, owner);
  build_write(b, loc, sbuf_str(&out), out.len);
  free(loc);
  sbuf_free(&out);
  free(name);
  free(list);
  for (size_t i = 0; i < k; i++) {
    free(ev[i].uid);
    free(ev[i].summary);
    free(ev[i].description);
    free(ev[i].url);
  }
  free(ev);
}

/* One calendar per organisation and reviewing role, holding only the routines
 * that role may read (a title can tell as much as the text), under the role's
 * own path so the server's access rules cover it. */
void calendar_write(vk_build *b) {
  if (!(b->opts->formats & FMT_HTML))
    return;
  const vk_site *s = b->content->site;
  for (size_t o = 0; o < s->n_orgs; o++) {
    if (!build_wants_org(b, s->orgs[o]))
      continue;
    for (size_t r = 0; r < s->n_roles; r++) {
      const vk_role *role = s->roles[r];
      if (!frame_role_sees_review(role) || !build_wants_role(b, role))
        continue;
      write_one(b, s->orgs[o], role, NULL);
      vec owners = {0};
      calendar_owners(b, s->orgs[o], role, &owners);
      for (size_t i = 0; i < owners.n; i++)
        write_one(b, s->orgs[o], role, owners.items[i]);
      vec_free(&owners);
    }
  }
}
