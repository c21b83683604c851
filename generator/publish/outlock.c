/* outlock.c — see outlock.h. */
#include "outlock.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The output folder's path without trailing slashes, then ".lock". */
static char *lock_path(const char *out) {
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/')
    n--;
  return xasprintf("%.*s.lock", (int)n, out);
}

/* The pid the holder wrote into the lock file, or 0. */
static long holder_pid(int fd) {
  char buf[32] = {0};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? strtol(buf, NULL, 10) : 0;
}

int outlock_take(const char *out, diag *dg) {
  char *path = lock_path(out);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  char *slash = strrchr(path, '/');
  if (fd < 0 && errno == ENOENT && slash && slash > path) { /* -o a/new/folder */
    *slash = 0;
    int made = mkdir_p(path);
    *slash = '/';
    if (made == 0)
      fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    diag_error(dg, path, 0, 0,
               "cannot create the lock file (%s) — check that the folder around the output "
               "is writable",
               strerror(errno));
    free(path);
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    long pid = holder_pid(fd);
    if (e == EWOULDBLOCK)
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
  char pid[32];
  int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
    /* the pid is only for the message of a second build */
  }
  free(path);
  return fd;
}

void outlock_release(int fd) {
  if (fd >= 0)
    close(fd); /* closing the only descriptor releases the flock */
}
