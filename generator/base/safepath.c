/* safepath.c — see safepath.h. */
#define _GNU_SOURCE /* O_PATH */
#include "safepath.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* openat2(root, rel, RESOLVE_BENEATH); -2 when the kernel cannot (or the
 * path is not written beneath root, or an absolute link needs a second
 * look): the caller falls back to realpath. */
static int open_beneath(const char *root, const char *path, safepath_status *st) {
#ifdef SYS_openat2
  const char *rel = lexically_beneath(root, path);
  if (!rel)
    return -2;
  int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    *st = SAFEPATH_UNREADABLE;
    return -1;
  }
  struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
  int fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof how);
  int e = errno;
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

int safepath_open(const char *root, const char *path, safepath_status *st) {
  *st = SAFEPATH_OK;
  int fd = open_beneath(root, path, st);
  if (fd == -2)
    fd = open_resolved(root, path, st);
  if (fd < 0)
    return -1;
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    *st = SAFEPATH_UNREADABLE;
    errno = EISDIR;
    return -1;
  }
  return fd;
}

char *safepath_read(const char *root, const char *path, size_t *len, safepath_status *st) {
  int fd = safepath_open(root, path, st);
  if (fd < 0)
    return NULL;
  sbuf b = {0};
  char chunk[65536];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0)
    sbuf_putn(&b, chunk, (size_t)n);
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
