/* build.h — a whole build: content → variants → outputs → atomic publish.
 *
 * build_run() first asks whether the output is up to date (uptodate.h:
 * a fingerprint of every input, and the output tree as the last successful
 * build left it); if so it does nothing. Else it loads and checks the
 * content, then renders every (organisation, role) variant and every
 * (organisation, APT pack) on a pool of threads into `<out>.tmp-<pid>`
 * beside the target, and puts it in place of the target only when
 * everything succeeded; a failing build leaves the
 * previous output untouched.
 *
 * Publishing (invariants):
 *  - The new tree holds new files only where the bytes differ from the
 *    previous output's file at the same path; every other file is a hard
 *    link to the previous one (same inode, same time). A rebuild of
 *    unchanged content that does build (--force, or a lost record) writes
 *    no file contents, only folders and links; one that is up to date
 *    writes nothing at all.
 *    No file is ever written through an existing inode, so the previous
 *    output never changes while the new one is made.
 *  - The swap is renameat2(RENAME_EXCHANGE) of `<out>.tmp-<pid>` and
 *    `<out>` (Linux ≥ 3.15; ext4, xfs, btrfs, tmpfs): `<out>` is always a
 *    plain folder holding either the whole old or the whole new output,
 *    never missing; the old one, now at `<out>.tmp-<pid>`, is removed after.
 *    A first build renames the folder into place. `<out>` stays a real
 *    folder (not a symlink), so outputs of older versions, `vaksam serve`'s
 *    realpath'd root and tools that do not follow links keep working.
 *  - Where the file system cannot exchange (EINVAL, ENOSYS: NFS, some FUSE
 *    file systems, old kernels) it falls back to two renames, `<out>` →
 *    `<out>.old-<pid>` and `<out>.tmp-<pid>` → `<out>`: between them the
 *    output is missing for a moment; if the second fails the old output is
 *    put back at once.
 *  - Failure modes: a build killed before the swap leaves the previous
 *    output as it was and a partial `<out>.tmp-<pid>`; killed after the
 *    exchange, the new output and the old one at `<out>.tmp-<pid>`; killed
 *    between the fallback's renames, no `<out>` and the old output at
 *    `<out>.old-<pid>`. Every build first removes the `<out>.tmp-*` and
 *    `<out>.old-*` folders of processes that are no longer alive, moving
 *    an `.old-` folder back to `<out>` when `<out>` is missing. Folders of
 *    live processes are left alone. Hard links need the staging folder on
 *    the output's file system, which it is (it is beside it); where a link
 *    fails the file is written instead.
 *  - Every file goes through build_write(); with -j > 1 the threads that
 *    have no job left write them (assembly.h, vk_writer). A file that
 *    cannot be written is reported with its path and the build exits 2
 *    without publishing.
 *  - Test hooks (environment, for tests/sh/build_publish.sh only):
 *    VAKSAM_TEST_CRASH_AT=swap ends the process (_exit(99)) right after the
 *    first step of the swap; VAKSAM_TEST_NO_EXCHANGE=1 forces the fallback;
 *    VAKSAM_TEST_FAIL_WRITE=<path under the output> makes writing that file
 *    fail with ENOSPC.
 *
 *   <out>/site/…                       intranet site (pages.h), self-contained:
 *   <out>/site/<org>/<role>/dokument/<id>.odt          handouts
 *   <out>/site/<org>/<facilitator>/apt/<pack>/…        pack downloads (pack.h)
 *   <out>/review.json, review.csv      (no page links them)
 *   <out>/access/nginx-http.conf, nginx-server.conf, apache.conf  (access.h)
 * With `targets:` in site.yaml, each target is such a tree in
 * <out>/<target-id>/, built and published as one build of its own.
 *
 * Jobs share the loaded content read-only; each job owns its Lua state,
 * its search index and its output files, so no job writes what another
 * writes and the output does not depend on the number of threads.
 */
#ifndef VK_BUILD_H
#define VK_BUILD_H

#include "assembly.h"

#include <stdbool.h>

/* Returns the exit code: 0 ok, 1 content errors, 2 cannot write output.
 * Unless `force`, does nothing but set *up_to_date when the output is that
 * of a previous build of the same inputs and intact (uptodate.h); a build
 * that succeeds records its inputs for the next one. */
int build_run(const vk_build_opts *o, bool force, bool *up_to_date, diag *dg);

/* Loads and checks content (as build does, without writing): for `vaksam check`. */
int build_check(const vk_build_opts *o, diag *dg);

/* A serve session: rebuilds the same options again and again into
 * opts->out_dir, never skipped by the up-to-date check, and removes the
 * output's record (uptodate.h) so that a later `vaksam build` builds. The
 * first build, and any after a change to site.yaml, filters, versions.lock,
 * the theme, a document's front matter, a definition's or APT pack's body,
 * or documents added or removed, is a full build published as build_run
 * does. When only the bodies of routines,
 * cases or checklists changed (HTML-only previews), it keeps the loaded
 * content, re-renders only their pages, the APT pages that show them and
 * the search indexes of their variants, and replaces in place just the
 * files whose bytes changed (each written beside it, then renamed over it:
 * a reader gets the old file or the new one). Either way the output equals a full build's. */
typedef struct vk_session vk_session;

vk_session *build_session_new(const vk_build_opts *o);
/* Same exit codes as build_run; *incremental tells which kind it was. */
int build_session_run(vk_session *s, diag *dg, bool *incremental);
void build_session_free(vk_session *s);

#endif
