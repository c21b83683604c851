/* build.c — see build.h. */
#include "build.h"
#include "access.h"
#include "calendar.h"
#include "card.h"
#include "document.h"
#include "feed.h"
#include "filter.h"
#include "history.h"
#include "markdown.h"
#include "odf.h"
#include "outlock.h"
#include "pack.h"
#include "pages.h"
#include "pdf.h"
#include "review.h"
#include "safepath.h"
#include "uptodate.h"
#include "variant.h"
#include "versions.h"

#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <errno.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Review state and due date of document i, from its front matter. */
static void review_facts(vk_build *b, size_t i) {
  const vk_content *c = b->content;
  int due_soon = c->site->due_soon_days > 0 ? c->site->due_soon_days : 60;
  b->facts[i].review = review_state(c->docs[i], c->today, due_soon, &b->facts[i].due);
}

static void compute_facts(vk_build *b) {
  vk_content *c = b->content;
  b->facts = xcalloc(c->n_docs ? c->n_docs : 1, sizeof *b->facts);
  vk_history *h = c->site->history_changes ? NULL : history_open(c->dir);
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    vk_doc_facts *f = &b->facts[i];
    review_facts(b, i);
    if (h && d->kind == KIND_ROUTINE && history_for(h, d->path, &f->history, &f->n_history) == 0 &&
        f->n_history)
      f->git = true;
    versions_derive(c->docs[i], f->history, f->n_history, c->site, c->dir, b->dg);
  }
  if (h)
    history_free(h);
}

static void facts_free(vk_doc_facts *facts, size_t n) {
  if (!facts)
    return;
  for (size_t i = 0; i < n; i++)
    if (facts[i].history)
      changes_free(facts[i].history, facts[i].n_history);
  free(facts);
}

/* ---- jobs ------------------------------------------------------------- */

typedef struct {
  enum { JOB_VARIANT, JOB_HANDOUTS, JOB_PACK, JOB_GLOBAL, JOB_REPORTS } kind;
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
  void (*tail)(vk_build *); /* after the last job, by the thread that ran it, or NULL */
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
  calendar_write(b);
  card_write_all(b);
}

static pages_cache *cache_for(const vk_build *b, const vk_org *org, const vk_role *role) {
  if (!b->caches)
    return NULL;
  const vk_site *s = b->content->site;
  for (size_t o = 0; o < s->n_orgs; o++)
    for (size_t r = 0; r < s->n_roles; r++)
      if (s->orgs[o] == org && s->roles[r] == role)
        return &b->caches[o * s->n_roles + r];
  return NULL;
}

static void run_job(vk_build *b, const job *j) {
  switch (j->kind) {
  case JOB_VARIANT: pages_variant(b, j->org, j->role, cache_for(b, j->org, j->role)); break;
  case JOB_HANDOUTS: pages_handouts(b, j->org, j->role); break;
  case JOB_PACK: pack_files(b, j->org, j->pack); break;
  case JOB_GLOBAL: pages_global(b); break;
  case JOB_REPORTS:
    write_reports(b);
    access_write(b);
    break;
  }
}

static void progress(job_queue *q, size_t done) {
  if (q->b->opts->quiet || !isatty(STDERR_FILENO))
    return;
  fprintf(stderr, "\rvaksam: %zu/%zu delar klara", done, q->n);
  if (done == q->n)
    fputc('\n', stderr);
}

/* Takes jobs until none is left; the thread that finishes the last one
 * runs the tail and closes the writer's queue. With a writer, a thread
 * with no job left writes queued files until the queue is closed and
 * empty: -j N threads in all, each rendering or writing. */
static void *worker(void *arg) {
  job_queue *q = arg;
  for (;;) {
    size_t i = atomic_fetch_add(&q->next, 1);
    if (i >= q->n)
      break;
    if (!diag_halted(q->b->dg)) /* a runaway filter stopped the build */
      run_job(q->b, &q->jobs[i]);
    size_t done = atomic_fetch_add(&q->done, 1) + 1;
    progress(q, done);
    if (done == q->n) {
      if (q->tail)
        q->tail(q->b);
      if (q->b->writer)
        writer_close(q->b->writer);
    }
  }
  if (q->b->writer)
    writer_serve(q->b);
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
  /* one job per (variant, format): --format writes only that format */
  for (size_t o = 0; o < s->n_orgs; o++)
    for (size_t r = 0; r < s->n_roles; r++) {
      if (!build_wants_org(b, s->orgs[o]) || !build_wants_role(b, s->roles[r]))
        continue;
      if (f & FMT_HTML)
        PUSH(((job){JOB_VARIANT, s->orgs[o], s->roles[r], NULL}));
      if (f & FMT_ODT)
        PUSH(((job){JOB_HANDOUTS, s->orgs[o], s->roles[r], NULL}));
    }
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

/* Runs the planned jobs, then tail (see worker). A full build with more
 * than one thread writes its files asynchronously (b->writer): the threads
 * that have no job left write what the others render. The queue holds at
 * most WRITE_QUEUE bytes. With -j 1 one thread does everything in order. */
enum { WRITE_QUEUE = 16 << 20 };

static void run_jobs(vk_build *b, void (*tail)(vk_build *)) {
  job_queue q = {.b = b, .tail = tail};
  q.n = plan_jobs(b, &q.jobs);
  atomic_init(&q.next, 0);
  atomic_init(&q.done, 0);
  int threads = b->opts->jobs > 0 ? b->opts->jobs : util_cpu_count();
  if (threads > 1 && !b->pending)
    b->writer = writer_new(WRITE_QUEUE);
  /* one thread more than jobs can write while the others render */
  util_run_threads(threads, q.n + (b->writer ? 1 : 0), worker, &q);
  writer_free(b->writer);
  b->writer = NULL;
  free(q.jobs);
}

/* ---- publish ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* linux/fs.h */
#endif

/* Test hook (documented in build.h): VAKSAM_TEST_CRASH_AT=<step> ends the
 * process at that step as a kill would, without cleaning up. */
static void crash_point(const char *step) {
  const char *at = getenv("VAKSAM_TEST_CRASH_AT");
  if (at && strcmp(at, step) == 0)
    _exit(99);
}

/* Swaps two existing paths in one step (renameat2 RENAME_EXCHANGE); -1
 * with errno where the kernel or the file system cannot.
 * VAKSAM_TEST_NO_EXCHANGE=1 makes it fail, to test the fallback. */
static int exchange(const char *a, const char *b) {
  if (getenv("VAKSAM_TEST_NO_EXCHANGE")) {
    errno = EINVAL;
    return -1;
  }
#ifdef SYS_renameat2
  return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
  errno = ENOSYS;
  return -1;
#endif
}

/* The fallback: out → out.old-<pid>, tmp → out, remove out.old-<pid>.
 * Between the renames out is missing; if the second fails the old output
 * is put back, and if the process dies there the next build puts it back
 * (tidy_leftovers). */
static int swap_by_renames(const char *tmp, const char *out, diag *dg) {
  char *old = xasprintf("%s.old-%ld", out, (long)getpid());
  int rc = 0;
  if (rename(out, old) != 0) {
    diag_error(dg, out, 0, 0, "cannot replace the output folder (%s) — is it in use?",
               strerror(errno));
    rc = 2;
  } else {
    crash_point("swap");
    if (rename(tmp, out) != 0) {
      diag_error(dg, out, 0, 0, "cannot move the new output into place (%s) — check permissions",
                 strerror(errno));
      rename(old, out);
      rc = 2;
    }
  }
  if (rc == 0)
    rm_rf(old);
  free(old);
  return rc;
}

/* Puts the finished tmp in place of out (see build.h): a first build
 * renames; later ones exchange the two folders and remove the old one,
 * now at tmp. */
static int publish(const char *tmp, const char *out, diag *dg) {
  struct stat st;
  if (lstat(out, &st) != 0) {
    if (errno == ENOENT && rename(tmp, out) == 0)
      return 0;
    diag_error(dg, out, 0, 0, "cannot move the new output into place (%s) — check permissions",
               strerror(errno));
    return 2;
  }
  if (!is_dir(out)) {
    diag_error(dg, out, 0, 0,
               "the output path is not a folder — remove it or choose another with -o");
    return 2;
  }
  if (exchange(tmp, out) != 0)
    return swap_by_renames(tmp, out, dg);
  crash_point("swap");
  rm_rf(tmp);
  return 0;
}

/* The pid in `name` when it reads `<base><mark><digits>`, else 0. */
static long leftover_pid(const char *name, const char *base, const char *mark) {
  size_t bl = strlen(base), ml = strlen(mark);
  if (strncmp(name, base, bl) != 0 || strncmp(name + bl, mark, ml) != 0)
    return 0;
  const char *digits = name + bl + ml;
  char *end;
  long pid = strtol(digits, &end, 10);
  return digits[0] >= '0' && digits[0] <= '9' && !*end && pid > 0 ? pid : 0;
}

static bool pid_dead(long pid) {
  return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Folders that builds which died left beside out: `<out>.old-<pid>` (a
 * previous output moved aside by the fallback swap) goes back to out when
 * out is missing (and is never removed then); the rest, and every
 * `<out>.tmp-<pid>`, is removed. Folders of live processes stay. */
static void tidy_leftovers(const char *out) {
  char *parent = xstrdup(out);
  char *slash = strrchr(parent, '/');
  const char *base = slash ? slash + 1 : out;
  if (slash)
    *slash = 0;
  DIR *d = opendir(slash ? (*parent ? parent : "/") : ".");
  vec old = {0}, tmp = {0};
  struct dirent *e;
  while (d && (e = readdir(d))) {
    long po = leftover_pid(e->d_name, base, ".old-"), pt = leftover_pid(e->d_name, base, ".tmp-");
    if ((po && pid_dead(po)) || (pt && pid_dead(pt)))
      vec_push(po ? &old : &tmp, xasprintf("%s%s", out, e->d_name + strlen(base)));
  }
  if (d)
    closedir(d);
  vk_sort(old.items, old.n, sizeof(char *), cmp_str);
  struct stat st;
  for (size_t i = 0; i < old.n; i++)
    if (lstat(out, &st) == 0)
      rm_rf(old.items[i]);
    else
      rename(old.items[i], out); /* if that fails, it stays for the next build */
  for (size_t i = 0; i < tmp.n; i++)
    rm_rf(tmp.items[i]);
  vec_free_items(&old);
  vec_free_items(&tmp);
  vec_free(&old);
  vec_free(&tmp);
  free(parent);
}

/* The output folder's path without trailing slashes ("dist/" → "dist"), so
 * that the folders beside it are named `<out>.tmp-<pid>`, not inside it. */
static char *out_path(const char *dir) {
  char *out = xstrdup(dir);
  for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
    out[n - 1] = 0;
  return out;
}

static vk_content *load(const vk_build_opts *o, vk_filecache *cache, diag *dg) {
  vk_load_opts lo = {.drafts = o->drafts, .today = o->today, .jobs = o->jobs, .cache = cache};
  vk_content *c = document_load(o->content_dir, &lo, dg);
  if (c)
    review_load_marks(c);
  return c;
}

/* Packs without a facilitating role lose their facilitator guide, speaker
 * notes and facilitator notes: said, never silent (docs/content-format.md). */
static void warn_no_facilitator(const vk_content *c, diag *dg) {
  const vk_site *s = c->site;
  vk_doc **packs;
  size_t n = content_of_kind(c, KIND_PACK, &packs);
  if (n == 0 || site_first_role_can(s, ROLE_CAN_FACILITATE))
    return;
  diag_warn(dg, s->file, s->n_roles ? s->roles[0]->line : 1, 1,
            "no role has `can: [handledning]` — the %zu APT pack(s) get no facilitator guide "
            "(handledning.odt), no speaker notes and show no facilitator notes; add "
            "`can: [handledning]` to the role that leads workplace meetings",
            n);
}

/* The theme with site.yaml's `labels:`, its variable texts checked against
 * every organisation's variables. NULL after reporting. */
static vk_theme *load_theme(const vk_build_opts *o, const vk_content *c, diag *dg) {
  vk_theme *t = theme_load(o->theme_dir, dg);
  if (!t)
    return NULL;
  theme_set_label_overrides(t, c->site->labels, c->site->file);
  int bad = 0;
  for (size_t i = 0; i < c->site->n_orgs; i++)
    bad += labels_check_vars(theme_labels(t), c->site->orgs[i]->id, c->site->orgs[i]->vars, dg);
  if (bad) {
    theme_free(t);
    return NULL;
  }
  return t;
}

/* Runs every filter chain on every document its variant shows, per format,
 * as a build does (built-ins and link rewriting included), and throws the
 * trees away: a filter that fails or runs away on some document fails the
 * check. Stops at the first runaway filter, as a build does. */
static void check_filters(const vk_content *c, unsigned formats, diag *dg) {
  static const struct {
    unsigned fmt;
    const char *name;
  } fmts[] = {{FMT_HTML, "html"}, {FMT_ODT, "odt"}, {FMT_ODP, "odp"}};
  const vk_site *s = c->site;
  for (size_t oi = 0; oi < s->n_orgs; oi++)
    for (size_t r = 0; r < s->n_roles; r++)
      for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
        if (!(formats & fmts[k].fmt) || diag_halted(dg))
          continue;
        vk_filters *f = filters_new(c, s->orgs[oi], s->roles[r], fmts[k].name, dg);
        vk_variant_ctx v = {.content = c,
                            .org = s->orgs[oi],
                            .role = s->roles[r],
                            .filters = f,
                            .format = fmts[k].name};
        for (size_t i = 0; f && i < c->n_docs && !diag_halted(dg); i++)
          if (c->docs[i]->tree && doc_applies(c->docs[i], s, s->orgs[oi], s->roles[r]))
            cmark_node_free(variant_tree(&v, c->docs[i], dg));
        filters_free(f);
      }
}

int build_check(const vk_build_opts *o, diag *dg) {
  md_init();
  /* check looks at everything, drafts included: they will be published one day */
  vk_build_opts all = *o;
  all.drafts = true;
  vk_content *c = load(&all, NULL, dg);
  if (c) {
    variant_check_variables(c, dg);
    warn_no_facilitator(c, dg);
    theme_free(load_theme(o, c, dg));
    char *lock_path = path_join(c->dir, "versions.lock");
    vk_lock *l = lock_load(lock_path, dg);
    if (l) {
      lock_check(l, c, dg);
      lock_free(l);
    }
    free(lock_path);
    /* the old versions' files named by `changes:` entries can be read */
    for (size_t i = 0; i < c->n_docs; i++)
      versions_derive(c->docs[i], NULL, 0, c->site, c->dir, dg);
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
    check_filters(c, o->formats ? o->formats : FMT_ALL, dg);
  }
  content_free(c);
  return diag_errors(dg) ? 1 : 0;
}

/* ---- serve sessions -------------------------------------------------- */

struct vk_session {
  vk_build_opts opts;
  vk_content *content; /* of the last good build; NULL: the next one is full */
  vk_doc_facts *facts; /* parallel to content->docs */
  vk_theme *theme;
  pages_cache *caches; /* per org × role */
  size_t n_caches;
  char *fingerprint; /* of every input but the documents, at that build */
};

static void session_forget(vk_session *s) {
  for (size_t i = 0; i < s->n_caches; i++)
    pages_cache_clear(&s->caches[i]);
  free(s->caches);
  s->caches = NULL;
  s->n_caches = 0;
  facts_free(s->facts, s->content ? s->content->n_docs : 0);
  s->facts = NULL;
  theme_free(s->theme);
  s->theme = NULL;
  content_free(s->content);
  s->content = NULL;
  free(s->fingerprint);
  s->fingerprint = NULL;
}

/* ---- a full build ------------------------------------------------------- */

/* After every job: the sitemap (b->site_pages is complete once every page
 * was handed to build_write). */
static void site_files(vk_build *b) {
  vk_sort(b->site_pages->items, b->site_pages->n, sizeof(char *), cmp_str);
  if (b->opts->formats & FMT_HTML)
    feed_write_sitemap(b, b->site_pages);
}

/* Builds from `c` (owned) into a temporary folder and publishes it. With a
 * session, a good build's content, facts, theme and caches move into it. */
static int full_build(const vk_build_opts *o, vk_content *c, diag *dg, vk_session *keep) {
  xmlInitParser();
  char *tidy = out_path(o->out_dir);
  tidy_leftovers(tidy); /* first: even a failing build repairs what a killed one left */
  free(tidy);
  vec site_pages = {0};
  vk_build b = {.opts = o, .dg = dg, .content = c, .site_pages = &site_pages};
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
  warn_no_facilitator(b.content, dg);
  if (o->formats & FMT_PDF) {
    char *soffice = pdf_converter(dg);
    if (!soffice) {
      content_free(b.content);
      return 2;
    }
    free(soffice);
  }
  b.theme = load_theme(o, b.content, dg);
  if (!b.theme) {
    content_free(b.content);
    return 1;
  }
  if (o->formats & (FMT_ODT | FMT_ODP))
    b.odf_theme = odf_theme_load(o->theme_dir, dg);
  date_format(b.content->today, b.generated);
  compute_facts(&b);
  size_t n_caches = b.content->site->n_orgs * b.content->site->n_roles;
  if (keep)
    b.caches = xcalloc(n_caches ? n_caches : 1, sizeof *b.caches);
  char *out = out_path(o->out_dir);
  b.prev = is_dir(out) ? out : NULL;
  b.tmp = xasprintf("%s.tmp-%ld", out, (long)getpid());
  rm_rf(b.tmp);
  int rc = 0;
  if (mkdir_p(b.tmp) != 0) {
    diag_error(dg, b.tmp, 0, 0, "cannot create the output folder (%s)", strerror(errno));
    rc = 2;
  } else {
    run_jobs(&b, site_files);
    if (atomic_load(&b.write_errors))
      rc = 2;
    else if (diag_errors(dg))
      rc = 1;
    else if (o->formats & FMT_PDF)
      rc = pdf_convert_tree(b.tmp, dg);
    if (rc == 0)
      rc = publish(b.tmp, out, dg);
  }
  if (rc != 0)
    rm_rf(b.tmp);
  free(out);
  vec_free_items(&site_pages);
  vec_free(&site_pages);
  free(b.tmp);
  if (b.odf_theme)
    odf_theme_free(b.odf_theme);
  if (keep && rc == 0) {
    keep->content = b.content;
    keep->facts = b.facts;
    keep->theme = b.theme;
    keep->caches = b.caches;
    keep->n_caches = n_caches;
    return 0;
  }
  for (size_t i = 0; b.caches && i < n_caches; i++)
    pages_cache_clear(&b.caches[i]);
  free(b.caches);
  facts_free(b.facts, b.content->n_docs);
  theme_free(b.theme);
  content_free(b.content);
  return rc;
}

/* site.yaml's `targets:`: each is a build of its own into <out>/<id>/,
 * from content loaded afresh and narrowed to the target (site_restrict),
 * so no job of one target ever sees a role or organisation outside it. */
static int build_targets(const vk_build_opts *o, size_t n, diag *dg) {
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    vk_content *c = load(o, NULL, dg);
    if (!c)
      return 1;
    vk_site *s = c->site;
    site_restrict(s, s->targets[i]);
    char *out = out_path(o->out_dir);
    char *dir = xasprintf("%s/%s", out, s->targets[i]->id);
    vk_build_opts to = *o;
    to.out_dir = dir;
    if (!o->quiet)
      fprintf(stderr, "target %s → %s\n", s->targets[i]->id, dir);
    rc = full_build(&to, c, dg, NULL);
    free(dir);
    free(out);
  }
  return rc;
}

/* A build, or none when the output is up to date (uptodate.h): under the
 * lock, the fingerprint first, before anything is loaded, so that a change
 * made while the build runs shows at the next one. */
static int build_locked(const vk_build_opts *o, bool force, bool *up_to_date, diag *dg) {
  uptodate_fp fp;
  vk_filecache *cache = filecache_new(); /* the documents, read once */
  bool fingerprinted = uptodate_fingerprint(o, &fp, cache);
  char *warnings = NULL;
  if (!force && fingerprinted && uptodate_check(o->out_dir, &fp, &warnings)) {
    fputs(warnings, stderr); /* the warnings of the build that made it */
    free(warnings);
    filecache_free(cache);
    *up_to_date = true;
    return 0;
  }
  uptodate_forget(o->out_dir); /* from here on the output may change */
  md_init();
  vk_content *c = load(o, cache, dg);
  filecache_free(cache);
  size_t targets = c ? c->site->n_targets : 0;
  int rc;
  if (!targets) {
    rc = full_build(o, c, dg, NULL);
  } else {
    content_free(c);
    rc = build_targets(o, targets, dg);
  }
  if (rc == 0 && fingerprinted) {
    char today[11];
    date_format(date_today(o->today), today);
    char *text = diag_text(dg);
    uptodate_record(o->out_dir, &fp, today, text);
    free(text);
  }
  return rc;
}

int build_run(const vk_build_opts *o, bool force, bool *up_to_date, diag *dg) {
  *up_to_date = false;
  int lock = outlock_take(o->out_dir, dg);
  if (lock < 0)
    return 2;
  int rc = build_locked(o, force, up_to_date, dg);
  safepath_release(); /* the next build opens its folders anew */
  outlock_release(lock);
  return rc;
}

/* ---- incremental rebuilds ------------------------------------------------ */

static void fingerprint_dir(sbuf *out, const char *dir, bool skip_docs) {
  DIR *d = opendir(dir);
  if (!d) {
    sbuf_printf(out, "%s -\n", dir);
    return;
  }
  vec names = {0};
  struct dirent *e;
  while ((e = readdir(d)))
    if (!is_editor_file(e->d_name))
      vec_push(&names, xstrdup(e->d_name));
  closedir(d);
  vk_sort(names.items, names.n, sizeof(char *), cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    char *path = path_join(dir, names.items[i]);
    struct stat st;
    if (stat(path, &st) != 0)
      sbuf_printf(out, "%s ?\n", path);
    else if (S_ISDIR(st.st_mode))
      fingerprint_dir(out, path, skip_docs);
    else if (!(skip_docs && str_ends_with(path, ".md")))
      sbuf_printf(out, "%s %lld %lld.%09ld %llu\n", path, (long long)st.st_size,
                  (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
                  (unsigned long long)st.st_ino);
    free(path);
    free(names.items[i]);
  }
  vec_free(&names);
}

/* The commit Git history is read from: a new one changes the history
 * shown on routine pages and in feeds. */
static void fingerprint_git(sbuf *out, const char *dir) {
  git_libgit2_init();
  git_repository *repo = NULL;
  git_oid head;
  char hex[GIT_OID_HEXSZ + 1] = "none";
  if (git_repository_open_ext(&repo, dir, 0, NULL) == 0 &&
      git_reference_name_to_id(&head, repo, "HEAD") == 0)
    git_oid_tostr(hex, sizeof hex, &head);
  git_repository_free(repo);
  git_libgit2_shutdown();
  sbuf_printf(out, "git %s\n", hex);
}

/* Names, sizes and times of every input file but the documents, which are
 * compared by what they hold, and the Git commit. */
static char *fingerprint(const vk_build_opts *o) {
  sbuf b = {0};
  fingerprint_git(&b, o->content_dir);
  fingerprint_dir(&b, o->content_dir, true);
  fingerprint_dir(&b, o->theme_dir, false);
  return sbuf_take(&b);
}

static bool same_meta(const vk_doc *a, const vk_doc *b) {
  char *x = vk_to_json(a->meta, false), *y = vk_to_json(b->meta, false);
  bool same = strcmp(x, y) == 0;
  free(x);
  free(y);
  return same;
}

enum { CHANGE_NONE, CHANGE_BODY, CHANGE_MORE };

/* The same documents apply to the same variants (so the same pages exist). */
static bool same_reach(const vk_site *site, const vk_doc *a, const vk_doc *d) {
  for (size_t o = 0; o < site->n_orgs; o++) {
    if (doc_applies(a, site, site->orgs[o], NULL) != doc_applies(d, site, site->orgs[o], NULL))
      return false;
    for (size_t r = 0; r < site->n_roles; r++)
      if (doc_applies(a, site, site->orgs[o], site->roles[r]) !=
          doc_applies(d, site, site->orgs[o], site->roles[r]))
        return false;
  }
  return true;
}

/* Classifies every document: unchanged, CHANGE_BODY (only the body of a
 * routine, case or checklist: its own pages and the search index show it)
 * or CHANGE_MORE (front matter, or the body of a definition or APT pack:
 * every page of its variants may show it). False when documents were
 * added, removed or renamed, apply elsewhere, or the date changed: a full
 * build, which also removes pages no longer made. */
static bool classify(const vk_content *old, const vk_content *c, unsigned char *change) {
  if (old->n_docs != c->n_docs || date_cmp(old->today, c->today) != 0)
    return false;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *a = old->docs[i], *d = c->docs[i];
    if (a->kind != d->kind || strcmp(a->path, d->path) != 0 || strcmp(a->id, d->id) != 0 ||
        !same_reach(c->site, a, d))
      return false;
    bool body = a->body_len != d->body_len || a->body_line != d->body_line ||
                (d->body_len && memcmp(a->body, d->body, d->body_len) != 0);
    bool pages_only = d->kind == KIND_ROUTINE || d->kind == KIND_CASE || d->kind == KIND_CHECKLIST;
    if (!same_meta(a, d) || (body && !pages_only))
      change[i] = CHANGE_MORE;
    else
      change[i] = body ? CHANGE_BODY : CHANGE_NONE;
  }
  return true;
}

/* Writes path as a new file beside it, then renames it over path: a
 * reader sees the old bytes or the new, and a hard link to the old file
 * elsewhere keeps its bytes. */
static int replace_file(const char *path, const char *data, size_t len) {
  char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
  int rc = put_file(tmp, data, len) == 0 && rename(tmp, path) == 0 ? 0 : -1;
  if (rc != 0) {
    int saved = errno;
    unlink(tmp);
    errno = saved;
  }
  free(tmp);
  return rc;
}

/* Writes the held files whose bytes differ from what is on disk, each
 * replaced whole (replace_file). */
static int publish_in_place(vec *pending, const char *out, diag *dg) {
  int rc = 0;
  for (size_t i = 0; i < pending->n; i++) {
    const pending_file *p = pending->items[i];
    char *path = path_join(out, p->rel);
    size_t len;
    char *old = read_file(path, &len);
    if ((!old || len != p->len || memcmp(old, p->data, len) != 0) &&
        replace_file(path, p->data, p->len) != 0) {
      diag_error(dg, path, 0, 0, "cannot write the file (%s) — check disk space and permissions",
                 strerror(errno));
      rc = 2;
    }
    free(old);
    free(path);
  }
  return rc;
}

static void pending_free(vec *pending) {
  for (size_t i = 0; i < pending->n; i++) {
    pending_file *p = pending->items[i];
    free(p->rel);
    free(p->data);
    free(p);
  }
  vec_free(pending);
}

typedef struct {
  vk_build *b;
  const unsigned char *change;
  const bool *body;
  pages_cache *caches;
  atomic_size_t next; /* the next org × role to take */
} update_queue;

/* One variant: whole when a document that reaches its organisation changed
 * more than its body, else the pages of changed bodies. */
static void update_variant(update_queue *q, size_t o, size_t r) {
  vk_build *b = q->b;
  const vk_content *c = b->content;
  const vk_site *site = c->site;
  if (!build_wants_org(b, site->orgs[o]) || !build_wants_role(b, site->roles[r]))
    return;
  bool whole = false;
  for (size_t i = 0; i < c->n_docs && !whole; i++)
    whole = q->change[i] == CHANGE_MORE && doc_applies(c->docs[i], site, site->orgs[o], NULL);
  pages_cache *cache = &q->caches[o * site->n_roles + r];
  if (whole)
    pages_variant(b, site->orgs[o], site->roles[r], cache);
  else
    pages_variant_update(b, site->orgs[o], site->roles[r], cache, q->body);
}

static void *update_worker(void *arg) {
  update_queue *q = arg;
  const vk_site *site = q->b->content->site;
  for (;;) {
    size_t i = atomic_fetch_add(&q->next, 1);
    if (i >= site->n_orgs * site->n_roles)
      return NULL;
    update_variant(q, i / site->n_roles, i % site->n_roles);
  }
}

/* Re-renders, for each variant, the whole variant when a document of it
 * changed more than its body, else the pages of changed bodies; on success
 * `c` replaces the session's content, else the session forgets everything
 * (the next build is full). */
static int incremental(vk_session *s, vk_content *c, const unsigned char *change, diag *dg) {
  vec pending = {0};
  vk_build b = {.opts = &s->opts,
                .content = c,
                .theme = s->theme,
                .facts = s->facts,
                .tmp = (char *)s->opts.out_dir,
                .dg = dg,
                .caches = s->caches,
                .pending = &pending};
  date_format(c->today, b.generated);
  bool *body = xcalloc(c->n_docs ? c->n_docs : 1, sizeof *body);
  for (size_t i = 0; i < c->n_docs; i++) {
    body[i] = change[i] == CHANGE_BODY;
    versions_derive(c->docs[i], s->facts[i].history, s->facts[i].n_history, c->site, c->dir, dg);
    if (change[i] == CHANGE_MORE)
      review_facts(&b, i); /* Git history stays */
  }
  update_queue q = {.b = &b, .change = change, .body = body, .caches = s->caches};
  atomic_init(&q.next, 0);
  util_run_threads(s->opts.jobs, c->site->n_orgs * c->site->n_roles, update_worker, &q);
  free(body);
  write_reports(&b);
  int rc = diag_errors(dg) ? 1 : publish_in_place(&pending, s->opts.out_dir, dg);
  pending_free(&pending);
  if (rc == 0) {
    content_free(s->content);
    s->content = c;
  } else {
    content_free(c);
    session_forget(s);
  }
  return rc;
}

/* A session holds one libgit2 reference for its lifetime: libgit2's
 * global set-up (with mbedTLS it reads the CA bundle, ~15 ms) then runs once,
 * not at every rebuild's fingerprint and history (init and shutdown count). */
vk_session *build_session_new(const vk_build_opts *o) {
  vk_session *s = xcalloc(1, sizeof *s);
  s->opts = *o;
  git_libgit2_init();
  return s;
}

void build_session_free(vk_session *s) {
  if (!s)
    return;
  session_forget(s);
  free(s);
  git_libgit2_shutdown();
}

/* Rebuilds incrementally when only documents changed since the session's
 * last good build (HTML only); -1 when it cannot, with `c` still owned by
 * the caller. */
static int try_incremental(vk_session *s, vk_content *c, const char *fp, diag *dg) {
  if (!s->content || s->opts.formats != FMT_HTML || !s->fingerprint ||
      strcmp(fp, s->fingerprint) != 0)
    return -1;
  unsigned char *changed = xcalloc(c->n_docs ? c->n_docs : 1, 1);
  int rc = -1;
  if (classify(s->content, c, changed)) {
    variant_check_variables(c, dg);
    if (diag_errors(dg)) {
      content_free(c); /* the output and what the session knows of it stay */
      rc = 1;
    } else {
      rc = incremental(s, c, changed, dg);
    }
  }
  free(changed);
  return rc;
}

/* One build of a session, under its output's lock. */
static int session_build(vk_session *s, diag *dg, bool *incr) {
  /* before loading: a change made during the build shows at the next one */
  char *fp = fingerprint(&s->opts);
  vk_content *c = load(&s->opts, NULL, dg);
  int rc = 1;
  *incr = false;
  if (!c || diag_errors(dg)) {
    content_free(c); /* the output and what the session knows of it stay */
  } else {
    rc = try_incremental(s, c, fp, dg);
    *incr = rc != -1;
  }
  if (rc == -1) {
    session_forget(s);
    rc = full_build(&s->opts, c, dg, s);
  }
  if (rc == 0) {
    free(s->fingerprint);
    s->fingerprint = fp;
  } else {
    free(fp);
  }
  return rc;
}

int build_session_run(vk_session *s, diag *dg, bool *incr) {
  md_init();
  *incr = false;
  int lock = outlock_take(s->opts.out_dir, dg);
  if (lock < 0)
    return 2;
  uptodate_forget(s->opts.out_dir); /* a preview is no build's output */
  int rc = session_build(s, dg, incr);
  safepath_release(); /* the next build opens its folders anew */
  outlock_release(lock);
  return rc;
}
