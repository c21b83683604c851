/* build.h — a whole build: content → variants → outputs → atomic publish.
 *
 * build_run() loads and checks the content, then renders every
 * (organisation, role) variant and every (organisation, APT pack) on a pool
 * of threads into `<out>.tmp-<pid>` beside the target, and renames it over
 * the target only when everything succeeded; a failing build leaves the
 * previous output untouched.
 *
 *   <out>/site/…                       intranet site (pages.h)
 *   <out>/handouts/<org>/<role>/<id>.odt
 *   <out>/apt/<org>/<pack>/…           packs (pack.h)
 *   <out>/review.json, review.csv
 *
 * Jobs share the loaded content read-only; each job owns its Lua state,
 * its search index and its output files, so no job writes what another
 * writes and the output does not depend on the number of threads.
 */
#ifndef VK_BUILD_H
#define VK_BUILD_H

#include "content.h"
#include "diag.h"
#include "render.h"
#include "theme.h"

#include <stdbool.h>

enum { FMT_HTML = 1, FMT_ODT = 2, FMT_ODP = 4, FMT_ALL = 7 };

typedef struct {
  const char *content_dir; /* default "content" */
  const char *theme_dir;   /* default: themes/default, else the installed theme */
  const char *out_dir;     /* default "dist" */
  const char *org, *role;  /* only this organisation / role (NULL = all) */
  unsigned formats;        /* FMT_* bits */
  int jobs;                /* threads; 0 = number of cores */
  bool drafts, quiet, strict;
  const char *today; /* YYYY-MM-DD override for review states */
  bool serve;        /* preview: inject the live-reload script */
} vk_build_opts;

/* Per-document facts computed once before the jobs start. */
typedef struct {
  vk_review_state review;
  vk_date due;
  vk_change *history; /* Git history (owned) or NULL → doc->changes */
  size_t n_history;
  bool git; /* history came from Git */
} vk_doc_facts;

struct pages_cache;

typedef struct {
  const vk_build_opts *opts;
  vk_content *content;
  vk_theme *theme;
  void *odf_theme;     /* odf_theme* (odf.h) */
  vk_doc_facts *facts; /* parallel to content->docs */
  char *tmp;           /* the temporary output folder */
  char generated[11];
  diag *dg;
  struct pages_cache *caches; /* serve session: per org × role (pages.h), else NULL */
  vec *pending;               /* serve session: writes held until published, else NULL */
} vk_build;

/* Returns the exit code: 0 ok, 1 content errors, 2 cannot write output. */
int build_run(const vk_build_opts *o, diag *dg);

/* Loads and checks content (as build does, without writing): for `vaksam check`. */
int build_check(const vk_build_opts *o, diag *dg);

/* A serve session: rebuilds the same options again and again into
 * opts->out_dir. The first build, and any after a change to site.yaml,
 * filters, versions.lock, the theme, a document's front matter, a
 * definition's or APT pack's body, or documents added or removed, is a full
 * build published as build_run does. When only the bodies of routines,
 * cases or checklists changed (HTML-only previews), it keeps the loaded
 * content, re-renders only their pages, the APT pages that show them and
 * the search indexes of their variants, and writes in place just the files
 * whose bytes changed. Either way the output equals a full build's. */
typedef struct vk_session vk_session;

vk_session *build_session_new(const vk_build_opts *o);
/* Same exit codes as build_run; *incremental tells which kind it was. */
int build_session_run(vk_session *s, diag *dg, bool *incremental);
void build_session_free(vk_session *s);

const vk_doc_facts *build_facts(const vk_build *b, const vk_doc *d);
/* The history to show for d: Git's, else front matter `changes`. */
void build_history(const vk_build *b, const vk_doc *d, const vk_change **out, size_t *n);
/* Writes a file under the temporary output folder (creating folders), or
 * holds it in b->pending. */
int build_write(vk_build *b, const char *rel, const char *data, size_t len);
/* Roles and organisations selected by --org/--role. */
bool build_wants_org(const vk_build *b, const vk_org *o);
bool build_wants_role(const vk_build *b, const vk_role *r);

#endif
