/* outlock.c — see outlock.h. */
#include "outlock.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The output folder's path without trailing slashes, then ".lock". */
static char *lock_path(const char *out) {
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/')
    n--;
  return xasprintf("%.*s.lock", (int)n, out);
}

/* The pid of the process holding a lock on fd, or 0. */
static long holder_pid(int fd) {
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  return fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK ? (long)fl.l_pid : 0;
}

/* Opens the lock file, creating it (and the folders above the output) only
 * when missing: a rebuild creates no file. */
static int open_lock(char *path) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  char *slash = strrchr(path, '/');
  if (fd < 0 && errno == ENOENT && slash && slash > path) { /* -o a/new/folder */
    *slash = 0;
    int made = mkdir_p(path);
    *slash = '/';
    if (made == 0)
      fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  }
  return fd;
}

int outlock_take(const char *out, diag *dg) {
  char *path = lock_path(out);
  int fd = open_lock(path);
  if (fd < 0) {
    diag_error(dg, path, 0, 0,
               "cannot create the lock file (%s) — check that the folder around the output "
               "is writable",
               strerror(errno));
    free(path);
    return -1;
  }
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET}; /* the whole file */
  if (fcntl(fd, F_SETLK, &fl) != 0) {
    int e = errno;
    long pid = holder_pid(fd);
    if (e == EACCES || e == EAGAIN)
      diag_error(dg, path, 0, 0,
                 "another build (pid %ld) is writing into %s — wait for it to finish, or "
                 "build into another folder with -o",
                 pid, out);
    else
      diag_error(dg, path, 0, 0, "cannot lock the output (%s)", strerror(e));
    close(fd);
    free(path);
    return -1;
  }
  free(path);
  return fd;
}

void outlock_release(int fd) {
  if (fd >= 0)
    close(fd); /* the process's only descriptor of the file: releases the lock */
}
