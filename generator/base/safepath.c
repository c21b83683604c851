/* safepath.c — see safepath.h. */
#define _GNU_SOURCE /* O_PATH */
#include "safepath.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

/* `path` relative to `root` when it is written as root/…, else NULL. */
static const char *lexically_beneath(const char *root, const char *path) {
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    n--;
  if (strncmp(path, root, n) != 0 || path[n] != '/')
    return NULL;
  const char *rel = path + n;
  while (*rel == '/')
    rel++;
  return *rel ? rel : NULL;
}

/* The root folders opened so far (O_PATH), kept until safepath_release:
 * a build reads hundreds of files beneath the same root, and opening and
 * closing the root for each cost two system calls more per file. */
enum { KEPT_ROOTS = 8 };
static struct {
  char *root;
  int fd;
} kept_roots[KEPT_ROOTS];
static size_t n_kept_roots;
static pthread_mutex_t kept_roots_lock = PTHREAD_MUTEX_INITIALIZER;

/* An O_PATH descriptor of root; *kept: it is one of kept_roots (not the
 * caller's to close). */
static int root_fd(const char *root, bool *kept) {
  pthread_mutex_lock(&kept_roots_lock);
  int fd = -1;
  for (size_t i = 0; i < n_kept_roots && fd < 0; i++)
    if (strcmp(kept_roots[i].root, root) == 0)
      fd = kept_roots[i].fd;
  *kept = fd >= 0;
  if (fd < 0) {
    fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && n_kept_roots < KEPT_ROOTS) {
      kept_roots[n_kept_roots].root = xstrdup(root);
      kept_roots[n_kept_roots++].fd = fd;
      *kept = true;
    }
  }
  pthread_mutex_unlock(&kept_roots_lock);
  return fd;
}

void safepath_release(void) {
  pthread_mutex_lock(&kept_roots_lock);
  for (size_t i = 0; i < n_kept_roots; i++) {
    close(kept_roots[i].fd);
    free(kept_roots[i].root);
  }
  n_kept_roots = 0;
  pthread_mutex_unlock(&kept_roots_lock);
}

/* openat2(root, rel, RESOLVE_BENEATH); -2 when the kernel cannot (or the
 * path is not written beneath root, or an absolute link needs a second
 * look): the caller falls back to realpath. */
static int open_beneath(const char *root, const char *path, safepath_status *st) {
#ifdef SYS_openat2
  const char *rel = lexically_beneath(root, path);
  if (!rel)
    return -2;
  bool kept;
  int dir = root_fd(root, &kept);
  if (dir < 0) {
    *st = SAFEPATH_UNREADABLE;
    return -1;
  }
  struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
  int fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof how);
  int e = errno;
  if (!kept)
    close(dir);
  if (fd >= 0)
    return fd;
  if (e == ENOSYS || e == EPERM || e == EINVAL || e == EXDEV || e == EAGAIN)
    return -2;
  *st = SAFEPATH_UNREADABLE;
  errno = e;
  return -1;
#else
  (void)root, (void)path, (void)st;
  return -2;
#endif
}

/* realpath of both, then a prefix check. */
static int open_resolved(const char *root, const char *path, safepath_status *st) {
  char rroot[PATH_MAX], rpath[PATH_MAX];
  if (!realpath(root, rroot)) {
    *st = SAFEPATH_UNREADABLE;
    return -1;
  }
  if (!realpath(path, rpath)) {
    /* a dangling link or a missing file: outside when the link says so */
    *st = SAFEPATH_UNREADABLE;
    return -1;
  }
  size_t n = strlen(rroot);
  bool inside = strcmp(rroot, "/") == 0 ||
                (strncmp(rpath, rroot, n) == 0 && (rpath[n] == '/' || rpath[n] == 0));
  if (!inside) {
    *st = SAFEPATH_OUTSIDE;
    errno = EXDEV;
    return -1;
  }
  int fd = open(rpath, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    *st = SAFEPATH_UNREADABLE;
  return fd;
}

/* safepath_open, with the file's status in *sb. */
static int open_file(const char *root, const char *path, safepath_status *st, struct stat *sb) {
  *st = SAFEPATH_OK;
  int fd = open_beneath(root, path, st);
  if (fd == -2)
    fd = open_resolved(root, path, st);
  if (fd < 0)
    return -1;
  if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
    close(fd);
    *st = SAFEPATH_UNREADABLE;
    errno = EISDIR;
    return -1;
  }
  return fd;
}

int safepath_open(const char *root, const char *path, safepath_status *st) {
  struct stat sb;
  return open_file(root, path, st, &sb);
}

char *safepath_read(const char *root, const char *path, size_t *len, safepath_status *st) {
  struct stat sb;
  int fd = open_file(root, path, st, &sb);
  if (fd < 0)
    return NULL;
  /* The size fstat gave, read straight into place; no read for the end of
   * the file once that much has come (a file that grows meanwhile is
   * another version, which the next build's fingerprint sees). */
  size_t want = (size_t)sb.st_size;
  sbuf b = {0};
  sbuf_grow(&b, want + 1);
  ssize_t n = 0;
  while (b.len < want && (n = read(fd, b.s + b.len, want - b.len)) > 0)
    b.len += (size_t)n;
  b.s[b.len] = 0;
  int e = errno;
  close(fd);
  if (n < 0) {
    sbuf_free(&b);
    *st = SAFEPATH_UNREADABLE;
    errno = e;
    return NULL;
  }
  if (len)
    *len = b.len;
  return sbuf_take(&b);
}

safepath_status safepath_check(const char *root, const char *path) {
  safepath_status st;
  int fd = safepath_open(root, path, &st);
  if (fd >= 0)
    close(fd);
  return st;
}
