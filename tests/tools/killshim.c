/* killshim.c — an LD_PRELOAD shim that kills the process (SIGKILL) at a
 * chosen rename of the output folder, for tests/sh/publish_kill.sh.
 *
 *   KILLSHIM_OUT=<path>   the output folder; only rename(2) and
 *                         renameat2(2) calls naming exactly this path count
 *   KILLSHIM_AT=before:N  kill just before the Nth such call (1-based)
 *   KILLSHIM_AT=after:N   kill just after it returned
 *
 * It interposes rename() and syscall() (vaksam calls renameat2 through
 * syscall(SYS_renameat2, …) for RENAME_EXCHANGE). Built as a shared object
 * without sanitizers, so it is preloaded into the release binary. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int calls;

/* Does this call name the output folder? */
static int counts(const char *a, const char *b) {
  const char *out = getenv("KILLSHIM_OUT");
  return out && ((a && strcmp(a, out) == 0) || (b && strcmp(b, out) == 0));
}

/* Kills when KILLSHIM_AT names this moment ("before" or "after") of call n. */
static void maybe_kill(const char *when, int n) {
  const char *at = getenv("KILLSHIM_AT");
  size_t wl = strlen(when);
  if (at && strncmp(at, when, wl) == 0 && at[wl] == ':' && atoi(at + wl + 1) == n)
    raise(SIGKILL);
}

int rename(const char *a, const char *b) {
  static int (*real)(const char *, const char *);
  if (!real)
    real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  if (!counts(a, b))
    return real(a, b);
  int n = ++calls;
  maybe_kill("before", n);
  int rc = real(a, b);
  maybe_kill("after", n);
  return rc;
}

long syscall(long nr, ...) {
  static long (*real)(long, ...);
  if (!real)
    real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  va_list ap;
  va_start(ap, nr);
  long args[6];
  for (int i = 0; i < 6; i++)
    args[i] = va_arg(ap, long);
  va_end(ap);
#ifdef SYS_renameat2
  if (nr == SYS_renameat2 && counts((const char *)args[1], (const char *)args[3])) {
    int n = ++calls;
    maybe_kill("before", n);
    long rc = real(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
    maybe_kill("after", n);
    return rc;
  }
#endif
  return real(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
}
