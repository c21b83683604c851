/* outlock.h — one build at a time per output folder.
 *
 * Invariants:
 *  - A build (or a serve session's rebuild) holds an exclusive fcntl(2)
 *    record lock on `<out>.lock`, beside the output folder, from before it tidies what a
 *    killed build left until after it published: two builds never write
 *    `<out>.tmp-*` or swap `<out>` at the same time.
 *  - A second build into the same output does not wait: it exits 2 naming
 *    the lock file and the pid of the build holding it.
 *  - The lock goes with its process, so a killed build never leaves a stale
 *    lock; the file itself stays, empty (removing it would race with a build
 *    that has just opened it). The holder's pid comes from F_GETLK. The file
 *    is created only when missing: a rebuild creates no file.
 *  - The process opens the file once (a POSIX lock ends when the process
 *    closes any descriptor of the file).
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
