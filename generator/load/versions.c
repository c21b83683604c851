/* versions.c — see versions.h. */
#include "versions.h"
#include "safepath.h"

#include <stdlib.h>
#include <string.h>

/* Swedish general elections are held every four years in September since
 * 1994; the term of office starts on 15 October of the election year. */
#define TERM_ANCHOR 2022
#define TERM_YEARS 4
#define TERM_MONTH 10
#define TERM_DAY 15

vk_date term_start(vk_date d) {
  int y = d.y;
  if (d.m < TERM_MONTH || (d.m == TERM_MONTH && d.d < TERM_DAY))
    y--; /* before 15 October: still the term that began a year earlier or more */
  int off = ((y - TERM_ANCHOR) % TERM_YEARS + TERM_YEARS) % TERM_YEARS;
  return (vk_date){y - off, TERM_MONTH, TERM_DAY};
}

vk_date term_review_due(vk_date d) {
  vk_date s = term_start(d);
  return (vk_date){s.y + 2 * TERM_YEARS, TERM_MONTH, TERM_DAY - 1};
}

static void version_clear(vk_version *v) {
  free(v->version);
  free(v->approved_by);
  free(v->reference);
  free(v->owner);
  free(v->source);
}

void versions_free(vk_version *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    version_clear(&v[i]);
  free(v);
}

static char *dup_or_null(const char *s) {
  return s ? xstrdup(s) : NULL;
}

static vk_version version_of(const vk_doc *d, vk_date date) {
  return (vk_version){dup_or_null(d->version),
                      date,
                      d->approved,
                      d->valid_from,
                      dup_or_null(d->approved_by),
                      dup_or_null(d->reference),
                      dup_or_null(d->owner),
                      d->review_interval,
                      d->review_term};
}

typedef struct {
  vk_version *v;
  size_t n, cap;
} version_list;

static void push(version_list *l, vk_version v) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 4;
    l->v = xrealloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n++] = v;
}

static bool same_version(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* Git: the changes newest first, each with the file's text at that commit. */
static void from_git(version_list *l, vk_change *h, size_t n, const vk_doc *cur,
                     const vk_site *site) {
  for (size_t k = n; k-- > 0;) {
    if (!h[k].source)
      continue;
    diag *scratch = diag_new();
    vk_doc *old = doc_parse(h[k].source, h[k].source_len, cur->path, cur->srcpath, site, scratch);
    diag_free(scratch);
    if (!old)
      continue;
    if (!h[k].version && old->version)
      h[k].version = xstrdup(old->version);
    bool approved = old->kind == KIND_ROUTINE && old->status == STATUS_APPROVED;
    if (approved && !(l->n && same_version(l->v[l->n - 1].version, old->version))) {
      push(l, version_of(old, h[k].date));
      l->v[l->n - 1].source = xstrndup(h[k].source, h[k].source_len);
      l->v[l->n - 1].source_len = h[k].source_len;
    }
    doc_free(old);
  }
}

/* A `changes:` entry's file: the version's text, parsed for its fields. */
static bool from_file(version_list *l, const vk_change *c, const vk_doc *d, const vk_site *site,
                      const char *dir, diag *dg) {
  const char *root = dir ? dir : ".";
  char *path = path_join(root, c->file);
  size_t len = 0;
  safepath_status st;
  /* inside the content folder only: what a build reads from there is what
   * the up-to-date check (publish/uptodate.h) fingerprints */
  char *text = safepath_read(root, path, &len, &st);
  free(path);
  if (!text) {
    diag_error(dg, d->srcpath, 1, 1,
               st == SAFEPATH_OUTSIDE
                   ? "the change of version %s names the file '%s', which is outside the content "
                     "folder (a link, or ../ in its name) — keep old versions' texts in the "
                     "content folder, e.g. arkiv/"
                   : "the change of version %s names the file '%s', which cannot be read — give "
                     "a path relative to the content folder",
               c->version, c->file);
    return false;
  }
  diag *scratch = diag_new();
  vk_doc *old = doc_parse(text, len, d->path, d->srcpath, site, scratch);
  diag_free(scratch);
  if (!old) {
    diag_error(dg, d->srcpath, 1, 1,
               "the file '%s' of version %s is not a routine with front matter — copy the whole "
               "file of that version",
               c->file, c->version);
    free(text);
    return false;
  }
  vk_version v = version_of(old, c->date);
  free(v.version);
  v.version = xstrdup(c->version);
  v.source = text;
  v.source_len = len;
  push(l, v);
  doc_free(old);
  return true;
}

/* Without Git: the `changes:` entries that name a version, oldest first. */
static void from_changes(version_list *l, const vk_doc *d, const vk_site *site, const char *dir,
                         diag *dg) {
  for (size_t k = d->n_changes; k-- > 0;) {
    const vk_change *c = &d->changes[k];
    if (!c->version || (l->n && same_version(l->v[l->n - 1].version, c->version)))
      continue;
    if (c->file && from_file(l, c, d, site, dir, dg))
      continue;
    push(
        l,
        (vk_version){
            xstrdup(c->version), c->date, c->date, {0, 0, 0}, NULL, NULL, NULL, 0, false, NULL, 0});
  }
}

static int cmp_change_date(const void *a, const void *b) {
  return date_cmp(((const vk_version *)a)->date, ((const vk_version *)b)->date);
}

void versions_derive(vk_doc *d, vk_change *changes, size_t n, const vk_site *site, const char *dir,
                     diag *dg) {
  versions_free(d->versions, d->n_versions);
  d->versions = NULL;
  d->n_versions = 0;
  if (d->kind != KIND_ROUTINE)
    return;
  version_list l = {0};
  bool git = false;
  for (size_t i = 0; i < n && !git; i++)
    git = changes[i].source != NULL;
  if (git) {
    from_git(&l, changes, n, d, site);
  } else {
    from_changes(&l, d, site, dir, dg);
    vk_sort(l.v, l.n, sizeof *l.v, cmp_change_date); /* entries may be in any order */
  }
  if (d->status == STATUS_APPROVED) {
    vk_date when = d->approved;
    if (l.n && same_version(l.v[l.n - 1].version, d->version)) {
      when = l.v[l.n - 1].date;
      version_clear(&l.v[--l.n]);
    }
    push(&l, version_of(d, when));
  }
  d->versions = l.v;
  d->n_versions = l.n;
}
