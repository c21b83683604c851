/* build.c — see build.h. */
#include "build.h"
#include "image.h"
#include "feed.h"
#include "filter.h"
#include "history.h"
#include "markdown.h"
#include "odf.h"
#include "pack.h"
#include "pages.h"
#include "review.h"
#include "variant.h"

#include <errno.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- facts computed once --------------------------------------------- */

static size_t doc_index(const vk_build *b, const vk_doc *d) {
  /* docs are sorted by (kind, id): binary search by that order */
  size_t lo = 0, hi = b->content->n_docs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const vk_doc *m = b->content->docs[mid];
    int c = m->kind != d->kind ? (m->kind < d->kind ? -1 : 1) : strcmp(m->id, d->id);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (size_t)-1;
}

static const vk_doc_facts no_facts = {REVIEW_NONE, {0, 0, 0}, NULL, 0, false};

const vk_doc_facts *build_facts(const vk_build *b, const vk_doc *d) {
  size_t i = doc_index(b, d);
  return i == (size_t)-1 ? &no_facts : &b->facts[i];
}

void build_history(const vk_build *b, const vk_doc *d, const vk_change **out, size_t *n) {
  const vk_doc_facts *f = build_facts(b, d);
  if (f->history && f->n_history) {
    *out = f->history;
    *n = f->n_history;
  } else {
    *out = d->changes;
    *n = d->n_changes;
  }
}

static void compute_facts(vk_build *b) {
  vk_content *c = b->content;
  b->facts = xcalloc(c->n_docs ? c->n_docs : 1, sizeof *b->facts);
  vk_history *h = history_open(c->dir);
  int due_soon = c->site->due_soon_days > 0 ? c->site->due_soon_days : 60;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    vk_doc_facts *f = &b->facts[i];
    f->review = review_state(d, c->today, due_soon, &f->due);
    if (h && d->kind == KIND_ROUTINE && history_for(h, d->path, &f->history, &f->n_history) == 0 &&
        f->n_history)
      f->git = true;
  }
  if (h)
    history_free(h);
}

static void free_facts(vk_build *b) {
  if (!b->facts)
    return;
  for (size_t i = 0; i < b->content->n_docs; i++)
    if (b->facts[i].history)
      changes_free(b->facts[i].history, b->facts[i].n_history);
  free(b->facts);
}

/* ---- output ------------------------------------------------------------ */

static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;
static vec site_pages; /* char*: every .html written under site/ */

int build_write(vk_build *b, const char *rel, const char *data, size_t len) {
  char *path = path_join(b->tmp, rel);
  char *dir = xstrdup(path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = 0;
  int rc = mkdir_p(dir) == 0 ? write_file(path, data, len) : -1;
  if (rc != 0)
    diag_error(b->dg, path, 0, 0, "cannot write the file (%s) — check disk space and permissions",
               strerror(errno));
  size_t n = strlen(rel);
  if (rc == 0 && strncmp(rel, "site/", 5) == 0 && n > 5 && strcmp(rel + n - 5, ".html") == 0 &&
      !strstr(rel, "/bildspel/")) {
    pthread_mutex_lock(&pages_lock);
    vec_push(&site_pages, xstrdup(rel + 5));
    pthread_mutex_unlock(&pages_lock);
  }
  free(dir);
  free(path);
  return rc;
}

bool build_wants_org(const vk_build *b, const vk_org *o) {
  return !b->opts->org || strcmp(b->opts->org, o->id) == 0;
}

bool build_wants_role(const vk_build *b, const vk_role *r) {
  return !b->opts->role || strcmp(b->opts->role, r->id) == 0;
}

/* ---- jobs ------------------------------------------------------------- */

typedef struct {
  enum { JOB_VARIANT, JOB_PACK, JOB_GLOBAL, JOB_REPORTS } kind;
  const vk_org *org;
  const vk_role *role;
  const vk_doc *pack;
} job;

typedef struct {
  vk_build *b;
  job *jobs;
  size_t n;
  atomic_size_t next;
  atomic_size_t done;
} job_queue;

static void write_reports(vk_build *b) {
  const vk_content *c = b->content;
  int due_soon = c->site->due_soon_days > 0 ? c->site->due_soon_days : 60;
  char *json = review_report_json(c, c->today, due_soon);
  char *csv = review_report_csv(c, c->today, due_soon);
  build_write(b, "review.json", json, strlen(json));
  build_write(b, "review.csv", csv, strlen(csv));
  free(json);
  free(csv);
}

static void run_job(vk_build *b, const job *j) {
  switch (j->kind) {
  case JOB_VARIANT: pages_variant(b, j->org, j->role); break;
  case JOB_PACK: pack_files(b, j->org, j->pack); break;
  case JOB_GLOBAL: pages_global(b); break;
  case JOB_REPORTS: write_reports(b); break;
  }
}

static void progress(job_queue *q) {
  if (q->b->opts->quiet || !isatty(STDERR_FILENO))
    return;
  size_t done = atomic_fetch_add(&q->done, 1) + 1;
  fprintf(stderr, "\rvaksam: %zu/%zu delar klara", done, q->n);
  if (done == q->n)
    fputc('\n', stderr);
}

static void *worker(void *arg) {
  job_queue *q = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&q->next, 1);
    if (i >= q->n)
      break;
    run_job(q->b, &q->jobs[i]);
    progress(q);
  }
  return NULL;
}

static size_t plan_jobs(vk_build *b, job **out) {
  const vk_site *s = b->content->site;
  vec v = {0};
  job *js = NULL;
  size_t n = 0, cap = 0;
#define PUSH(J)                                                                                    \
  do {                                                                                             \
    if (n == cap) {                                                                                \
      cap = cap ? cap * 2 : 16;                                                                    \
      js = xrealloc(js, cap * sizeof *js);                                                         \
    }                                                                                              \
    js[n++] = (J);                                                                                 \
  } while (0)
  unsigned f = b->opts->formats;
  if (f & (FMT_HTML | FMT_ODT))
    for (size_t o = 0; o < s->n_orgs; o++)
      for (size_t r = 0; r < s->n_roles; r++)
        if (build_wants_org(b, s->orgs[o]) && build_wants_role(b, s->roles[r]))
          PUSH(((job){JOB_VARIANT, s->orgs[o], s->roles[r], NULL}));
  if (f & FMT_ODP) {
    vk_doc **packs;
    size_t np = content_of_kind(b->content, KIND_PACK, &packs);
    for (size_t o = 0; o < s->n_orgs; o++)
      for (size_t p = 0; p < np; p++)
        if (build_wants_org(b, s->orgs[o]) && doc_applies(packs[p], s, s->orgs[o], NULL))
          PUSH(((job){JOB_PACK, s->orgs[o], NULL, packs[p]}));
  }
  if (f & FMT_HTML)
    PUSH(((job){JOB_GLOBAL, NULL, NULL, NULL}));
  PUSH(((job){JOB_REPORTS, NULL, NULL, NULL}));
#undef PUSH
  vec_free(&v);
  *out = js;
  return n;
}

static int cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

static void run_jobs(vk_build *b) {
  job_queue q = {.b = b};
  q.n = plan_jobs(b, &q.jobs);
  atomic_init(&q.next, 0);
  atomic_init(&q.done, 0);
  int threads = b->opts->jobs > 0 ? b->opts->jobs : cpu_count();
  if ((size_t)threads > q.n)
    threads = (int)q.n;
  pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
  int started = 0;
  for (int i = 1; i < threads; i++)
    if (pthread_create(&tids[i], NULL, worker, &q) == 0)
      started = i;
  worker(&q);
  for (int i = 1; i <= started; i++)
    pthread_join(tids[i], NULL);
  free(tids);
  free(q.jobs);
}

/* ---- publish ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves tmp over out: out → out.old, tmp → out, remove out.old. If the
 * second rename fails, the old output is put back. */
static int publish(const char *tmp, const char *out, diag *dg) {
  char *old = xasprintf("%s.old-%ld", out, (long)getpid());
  bool had_old = is_dir(out);
  int rc = 0;
  if (had_old && rename(out, old) != 0) {
    diag_error(dg, out, 0, 0, "cannot replace the output folder (%s) — is it in use?",
               strerror(errno));
    rc = 2;
  } else if (rename(tmp, out) != 0) {
    diag_error(dg, out, 0, 0, "cannot move the new output into place (%s)", strerror(errno));
    if (had_old)
      rename(old, out);
    rc = 2;
  } else if (had_old) {
    rm_rf(old);
  }
  free(old);
  return rc;
}

static vk_content *load(const vk_build_opts *o, diag *dg) {
  vk_load_opts lo = {o->drafts, o->today};
  return content_load(o->content_dir, &lo, dg);
}

int build_check(const vk_build_opts *o, diag *dg) {
  md_init();
  /* check looks at everything, drafts included: they will be published one day */
  vk_build_opts all = *o;
  all.drafts = true;
  vk_content *c = load(&all, dg);
  if (c) {
    variant_check_variables(c, dg);
    char *lock_path = path_join(c->dir, "versions.lock");
    vk_lock *l = lock_load(lock_path, dg);
    if (l) {
      lock_check(l, c, dg);
      lock_free(l);
    }
    free(lock_path);
    /* Overdue routines fail only a strict check (diag turns warnings into errors). */
    int due_soon = c->site->due_soon_days > 0 ? c->site->due_soon_days : 60;
    vk_doc **docs;
    size_t n = content_of_kind(c, KIND_ROUTINE, &docs);
    for (size_t i = 0; i < n; i++) {
      vk_date due;
      if (review_state(docs[i], c->today, due_soon, &due) == REVIEW_OVERDUE) {
        char s[11];
        date_format(due, s);
        diag_warn(dg, docs[i]->srcpath, 1, 1,
                  "the routine was due for review on %s — review it, then update `approved` "
                  "(and `version` if the text changes)",
                  s);
      }
    }
    /* Filters are loaded for every variant so that syntax errors show. */
    for (size_t oi = 0; oi < c->site->n_orgs; oi++)
      for (size_t r = 0; r < c->site->n_roles; r++) {
        vk_filters *f = filters_new(c, c->site->orgs[oi], c->site->roles[r], "html", dg);
        filters_free(f);
      }
  }
  content_free(c);
  return diag_errors(dg) ? 1 : 0;
}

int build_run(const vk_build_opts *o, diag *dg) {
  md_init();
  xmlInitParser();
  vk_build b = {.opts = o, .dg = dg};
  b.content = load(o, dg);
  if (b.content)
    variant_check_variables(b.content, dg);
  if (!b.content || diag_errors(dg)) {
    content_free(b.content);
    return 1;
  }
  if (o->org && !site_org(b.content->site, o->org)) {
    diag_error(dg, NULL, 0, 0, "no organisation '%s' in site.yaml — see `organisations:` there",
               o->org);
    content_free(b.content);
    return 2;
  }
  if (o->role && !site_role(b.content->site, o->role)) {
    diag_error(dg, NULL, 0, 0, "no role '%s' in site.yaml — see `roles:` there", o->role);
    content_free(b.content);
    return 2;
  }
  b.theme = theme_load(o->theme_dir, dg);
  if (!b.theme) {
    content_free(b.content);
    return 1;
  }
  if (o->formats & (FMT_ODT | FMT_ODP))
    b.odf_theme = odf_theme_load(o->theme_dir, dg);
  date_format(b.content->today, b.generated);
  compute_facts(&b);
  b.tmp = xasprintf("%s.tmp-%ld", o->out_dir, (long)getpid());
  rm_rf(b.tmp);
  int rc = 0;
  if (mkdir_p(b.tmp) != 0) {
    diag_error(dg, b.tmp, 0, 0, "cannot create the output folder (%s)", strerror(errno));
    rc = 2;
  } else {
    run_jobs(&b);
    vk_sort(site_pages.items, site_pages.n, sizeof(char *), cmp_str);
    if (o->formats & FMT_HTML) {
      feed_write_sitemap(&b, &site_pages);
      char *site = path_join(b.tmp, "site");
      if (image_copy_site(b.content, site, dg) != 0)
        rc = 2;
      free(site);
    }
    if (rc == 0 && diag_errors(dg))
      rc = 1;
    else if (rc == 0)
      rc = publish(b.tmp, o->out_dir, dg);
  }
  if (rc != 0)
    rm_rf(b.tmp);
  for (size_t i = 0; i < site_pages.n; i++)
    free(site_pages.items[i]);
  vec_free(&site_pages);
  free(b.tmp);
  free_facts(&b);
  if (b.odf_theme)
    odf_theme_free(b.odf_theme);
  theme_free(b.theme);
  content_free(b.content);
  return rc;
}
