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

#include "assembly.h"

#include <stdbool.h>

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

#endif
