/* uptodate.h — "nothing changed since the last build": what lets a second
 * `vaksam build` of unchanged content do nothing, as make and ninja do.
 *
 * The fingerprint is one XXH3-128 digest (libxxhash; a change detector,
 * not a seal) over everything a build's output depends on, computed before
 * anything is loaded:
 *  - every file under the content folder and under the theme folder: its
 *    path, size and the digest of its bytes (symbolic links followed, their
 *    targets named too; `.git` left out). That holds site.yaml, filters,
 *    versions.lock, krav.yaml, includes, images, archived versions
 *    (`changes:` … `file:`) and the theme's templates, labels and assets —
 *    every file a build reads from there (safepath.h keeps reads inside);
 *  - the Git state the history is walked from (history.h): the HEAD commit
 *    (a commit id names its whole past), the work tree's path, the shallow
 *    and grafts files and the effective diff.renameLimit;
 *  - the options that change output: content, theme and output folders (as
 *    given and resolved), --org, --role, --format, --drafts, --strict and
 *    the date the build takes as today (--today, else SOURCE_DATE_EPOCH,
 *    else the clock) — review states depend on it;
 *  - the environment the build reads: every VAKSAM_* variable and
 *    SOURCE_DATE_EPOCH;
 *  - the program: its version, and device, inode, size, mtime and ctime of
 *    /proc/self/exe, of every shared library loaded (dl_iterate_phdr:
 *    cmark-gfm, libxml2, Lua, libzip …) and of the word list (compound.h).
 * -j and -q change no output and are not part of it. --format pdf is never
 * skipped: LibreOffice is an input vaksam cannot fingerprint (its PDFs carry
 * their own creation time anyway).
 *
 * The record `<out>.vaksam-state` lies beside the output folder, like the
 * lock (outlock.h), never inside it: it is never published or served.
 *
 * Invariants:
 *  - A build is skipped only when the record exists, its fingerprint equals
 *    the current one, and the output tree is as that build left it: the same
 *    folders and files, each with the recorded inode, size, mtime and ctime
 *    (a file edited by hand, even with its mtime put back, changes ctime).
 *  - The record is written (a new file, then renamed over the old) only
 *    after a successful publish, under the output's lock; a build that goes
 *    on to build removes it first, so a failed or killed build, or a serve
 *    session's preview, leaves no record a later build could wrongly skip by.
 *  - A build whose date changed while it ran (midnight) writes no record.
 *  - The warnings of the build that made the output are kept in the record
 *    and shown again by a skipped build, as make shows nothing new: the
 *    same content gives the same warnings.
 *  - Filters are taken to be functions of their inputs: a filter that reads
 *    the clock (os.time, os.date) is not re-run by a skipped build (use
 *    --force).
 */
#ifndef VK_UPTODATE_H
#define VK_UPTODATE_H

#include "assembly.h"
#include "filecache.h"

#include <stdbool.h>

#define DIGEST_HEX 32 /* hex digits of a digest (XXH3-128) */

typedef struct {
  char hex[DIGEST_HEX + 1]; /* XXH3-128, lower-case hex */
  char today[11];           /* the date the build takes as today (part of hex) */
} uptodate_fp;

/* The fingerprint of a build with options `o`; false when such a build is
 * never skipped (--format pdf). The content folder's documents read on the
 * way are kept in `keep` (sealed on return; NULL: none kept), for the
 * loader to take instead of reading them again (filecache.h). */
bool uptodate_fingerprint(const vk_build_opts *o, uptodate_fp *fp, vk_filecache *keep);
/* True when `out`'s record holds fp and the output is intact (above);
 * *warnings then gets the recorded warnings (malloc'd, maybe ""). */
bool uptodate_check(const char *out, const uptodate_fp *fp, char **warnings);
/* Removes `out`'s record (before anything is published). */
void uptodate_forget(const char *out);
/* Records that `out` is now the output of fp, with that build's warnings
 * text; after a successful publish only. 0, or -1 (then there is no
 * record: the next build builds). */
int uptodate_record(const char *out, const uptodate_fp *fp, const char *today,
                    const char *warnings);

#endif
