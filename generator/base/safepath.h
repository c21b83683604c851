/* safepath.h — the one path check for every file vaksam reads from a
 * content or theme folder.
 *
 * Invariants:
 *  - A file is read only when it lies beneath its root folder (the content
 *    folder, or the theme folder for theme files) once every symbolic link
 *    on the way is resolved: a link to /etc/passwd, or a folder of the
 *    content that is a link to elsewhere, is SAFEPATH_OUTSIDE, never opened
 *    as data.
 *  - Where the kernel has openat2(2), the file is opened with
 *    RESOLVE_BENEATH relative to the root, so what is checked is what is
 *    opened. Absolute links that point back inside the root, and kernels
 *    without openat2, take the fallback: realpath(3) of both and a prefix
 *    check, then open the resolved path.
 *  - Thread-safe: the kept root folders (safepath_release) are shared
 *    under a lock.
 *  - The functions only say why; callers report at file:line (and the
 *    document and variant) what the user can do about it.
 */
#ifndef VAKSAM_SAFEPATH_H
#define VAKSAM_SAFEPATH_H

#include <stddef.h>

typedef enum {
  SAFEPATH_OK,
  SAFEPATH_OUTSIDE,    /* resolves to somewhere outside root */
  SAFEPATH_UNREADABLE, /* missing, a folder, or cannot be read (errno says) */
} safepath_status;

/* Opens `path` (as given: absolute, or relative to the working directory;
 * usually path_join(root, rel)) read-only when it is beneath `root`. A file
 * descriptor, or -1 with *st set. */
int safepath_open(const char *root, const char *path, safepath_status *st);
/* Reads the whole file (NUL-terminated, malloc'd) like read_file, or NULL
 * with *st set. */
char *safepath_read(const char *root, const char *path, size_t *len, safepath_status *st);
/* Only the check: SAFEPATH_OK when `path` is a readable file beneath root. */
safepath_status safepath_check(const char *root, const char *path);
/* Closes the root folders kept open since the last call (the first file
 * read beneath a root opens it; it stays open for the next). Called at
 * the end of every build, so that a root folder replaced between builds
 * (vaksam serve) is opened anew. */
void safepath_release(void);

#endif
