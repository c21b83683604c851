/* outlock.h — one build at a time per output folder.
 *
 * Invariants:
 *  - A build (or a serve session's rebuild) holds an exclusive flock(2) on
 *    `<out>.lock`, beside the output folder, from before it tidies what a
 *    killed build left until after it published: two builds never write
 *    `<out>.tmp-*` or swap `<out>` at the same time.
 *  - A second build into the same output does not wait: it exits 2 naming
 *    the lock file and the pid of the build holding it.
 *  - The lock goes with its process (flock), so a killed build never leaves
 *    a stale lock; the file itself stays (removing it would race with a
 *    build that has just opened it) and holds the pid of the last holder.
 */
#ifndef VAKSAM_OUTLOCK_H
#define VAKSAM_OUTLOCK_H

#include "diag.h"

/* Takes the lock for output folder `out`: a descriptor >= 0, or -1 after
 * reporting to dg (another build holds it, or the file cannot be made). */
int outlock_take(const char *out, diag *dg);
/* Releases a lock outlock_take gave (a no-op for -1). */
void outlock_release(int fd);

#endif
