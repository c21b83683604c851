/* uptodate.c — see uptodate.h. */
#define _GNU_SOURCE /* dl_iterate_phdr (link.h) */
#include "uptodate.h"
#include "compound.h"
#include "content.h"
#include "filecache.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

extern char **environ;

/* Bumped whenever what the fingerprint covers changes: an older record
 * then never matches. */
#define FINGERPRINT_FORMAT "vaksam-fingerprint 2"
#define RECORD_HEADER "vaksam-state 2\n"

enum { MAX_DEPTH = 64 };

typedef struct {
  dev_t dev;
  ino_t ino;
} file_id;

/* One XXH3-128 over a stream of NUL-terminated fields (paths hold no NUL,
 * so no two different streams read alike), plus a second state for the
 * bytes of one file at a time. The digest tells whether anything changed,
 * not whether someone forged a change (whoever can write the content can
 * change the site anyway): a fast non-cryptographic hash does that, at a
 * small part of SHA-256's cost per byte of content read. */
typedef struct {
  XXH3_state_t *all, *one;
  file_id skip[3]; /* the output folder, its record and its lock */
  size_t n_skip;
  file_id stack[MAX_DEPTH]; /* the folders being walked, against link cycles */
  size_t depth;
  vk_filecache *keep;  /* the content walk: documents' bytes for the loader */
  size_t links_on_way; /* folders entered through a symbolic link (never kept) */
  char buf[1 << 16];
} hasher;

static void put(hasher *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(hasher *h, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    XXH3_128bits_update(h->all, small, (size_t)n + 1);
    return;
  }
  sbuf b = {0};
  va_start(ap, fmt);
  sbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  XXH3_128bits_update(h->all, sbuf_str(&b), b.len + 1);
  sbuf_free(&b);
}

static void to_hex(const unsigned char *d, unsigned n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned i = 0; i < n; i++) {
    out[2 * i] = digits[d[i] >> 4];
    out[2 * i + 1] = digits[d[i] & 15];
  }
  out[2 * n] = 0;
}

static void finish(const XXH3_state_t *state, char hex[DIGEST_HEX + 1]) {
  XXH128_canonical_t d;
  XXH128_canonicalFromHash(&d, XXH3_128bits_digest(state));
  to_hex(d.digest, sizeof d.digest, hex);
}

static XXH3_state_t *new_state(void) {
  XXH3_state_t *s = XXH3_createState();
  if (!s)
    out_of_memory();
  XXH3_128bits_reset(s);
  return s;
}

/* Identity and times of a file outside the content and theme folders
 * (the program, its libraries): "dev ino size mtime ctime". */
static void put_stat(hasher *h, const char *what, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    put(h, "%s %s ! %d", what, path, errno);
    return;
  }
  put(h, "%s %s %llu %llu %lld %lld.%09ld %lld.%09ld", what, path, (unsigned long long)st.st_dev,
      (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
      st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* The bytes of the regular file `name` in folder dfd, up to the `expected`
 * size the walk saw (no read for the end of the file: a file that changes
 * meanwhile has a new size or time the next time): "size digest".
 * `keepable` (a file, not a link): a document on a way without links goes
 * to the file cache whole, read straight into the buffer the loader takes. */
static void put_file_bytes(hasher *h, int dfd, const char *name, const char *rel, size_t expected,
                           bool keepable) {
  int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    put(h, "f %s ! %d", rel, errno);
    return;
  }
  char *kept = keepable && h->links_on_way == 0 && filecache_wants(h->keep, rel, expected)
                   ? malloc(expected + 1) /* NULL: hashed as it streams, not kept */
                   : NULL;
  XXH3_128bits_reset(h->one);
  size_t size = 0;
  ssize_t n = 0;
  while (size < expected) {
    char *to = kept ? kept + size : h->buf;
    size_t room = kept ? expected - size : sizeof h->buf;
    if ((n = read(fd, to, room)) <= 0)
      break;
    XXH3_128bits_update(h->one, to, (size_t)n);
    size += (size_t)n;
  }
  int err = n < 0 ? errno : 0;
  close(fd);
  if (err) {
    free(kept);
    put(h, "f %s ! %d", rel, err);
    return;
  }
  char hex[DIGEST_HEX + 1];
  finish(h->one, hex);
  put(h, "f %s %zu %s", rel, size, hex);
  if (kept) {
    kept[size] = 0;
    filecache_put(h->keep, rel, kept, size);
  }
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in an open folder, sorted, without "." and ".." (and
 * without ".git" when no_git: the Git state is fingerprinted on its own).
 * Closes nothing. */
static void sorted_names(DIR *d, bool no_git, vec *out) {
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
        !(no_git && strcmp(e->d_name, ".git") == 0))
      vec_push(out, xstrdup(e->d_name));
  vk_sort(out->items, out->n, sizeof(char *), cmp_str);
}

static bool in_ids(const file_id *ids, size_t n, const struct stat *st) {
  for (size_t i = 0; i < n; i++)
    if (ids[i].dev == st->st_dev && ids[i].ino == st->st_ino)
      return true;
  return false;
}

static void walk_inputs(hasher *h, int dfd, const char *prefix);

/* One entry of an input folder: its kind, path and (files) bytes; a link
 * names its target and stands for what it points to. */
static void input_entry(hasher *h, int dfd, const char *name, const char *rel) {
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    put(h, "? %s %d", rel, errno);
    return;
  }
  bool link = S_ISLNK(st.st_mode);
  if (link) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(dfd, name, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    put(h, "l %s %s", rel, target);
    if (fstatat(dfd, name, &st, 0) != 0) {
      put(h, "! %s %d", rel, errno);
      return;
    }
  }
  if (in_ids(h->skip, h->n_skip, &st))
    return;
  if (S_ISREG(st.st_mode)) {
    put_file_bytes(h, dfd, name, rel, (size_t)st.st_size, !link);
  } else if (S_ISDIR(st.st_mode)) {
    if (h->depth == MAX_DEPTH || in_ids(h->stack, h->depth, &st)) {
      put(h, "cycle %s", rel);
      return;
    }
    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sub < 0) {
      put(h, "d %s ! %d", rel, errno);
      return;
    }
    put(h, "d %s", rel);
    h->stack[h->depth++] = (file_id){st.st_dev, st.st_ino};
    h->links_on_way += link;
    char *prefix = xasprintf("%s/", rel);
    walk_inputs(h, sub, prefix);
    free(prefix);
    h->links_on_way -= link;
    h->depth--;
  } else {
    put(h, "o %s %o", rel, (unsigned)st.st_mode);
  }
}

/* Every entry of folder dfd (which it closes), sorted by name. */
static void walk_inputs(hasher *h, int dfd, const char *prefix) {
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    put(h, "d %s ! %d", prefix, errno);
    return;
  }
  vec names = {0};
  sorted_names(d, true, &names);
  for (size_t i = 0; i < names.n; i++) {
    char *rel = xasprintf("%s%s", prefix, (char *)names.items[i]);
    input_entry(h, dirfd(d), names.items[i], rel);
    free(rel);
  }
  vec_free_items(&names);
  vec_free(&names);
  closedir(d);
}

/* A folder of inputs (content or theme): as given, resolved, and whole. */
static void put_tree(hasher *h, const char *what, const char *dir) {
  char *real = realpath(dir, NULL);
  put(h, "%s %s %s", what, dir, real ? real : "?");
  free(real);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    put(h, "! %d", errno);
    return;
  }
  struct stat st;
  h->depth = 0;
  if (fstat(fd, &st) == 0)
    h->stack[h->depth++] = (file_id){st.st_dev, st.st_ino};
  walk_inputs(h, fd, "");
  put(h, "end %s", what);
}

/* ---- Git ---------------------------------------------------------------- */

/* Is there a .git in `dir` or above it (as history.c asks, before paying
 * for libgit2's set-up)? */
static bool in_git_tree(const char *dir) {
  char *path = realpath(dir, NULL);
  bool found = false;
  while (path && !found) {
    char *git = xasprintf("%s/.git", path); /* "" at the root: "/.git" */
    struct stat st;
    found = stat(git, &st) == 0;
    free(git);
    char *slash = strrchr(path, '/');
    if (!slash)
      break;
    *slash = 0;
  }
  free(path);
  return found;
}

static void put_small_file(hasher *h, const char *what, const char *dir, const char *name) {
  char *path = path_join(dir, name);
  size_t len = 0;
  char *text = read_file(path, &len);
  put(h, "%s %zu", what, text ? len : (size_t)0);
  if (text)
    XXH3_128bits_update(h->all, text, len);
  free(text);
  free(path);
}

/* What the history walk (history.c) reads: HEAD names every commit it can
 * reach (a commit id covers its parents and trees); the work tree's path
 * decides which paths are the content's; shallow and grafts files change
 * parents; diff.renameLimit bounds rename detection. */
static void put_git(hasher *h, const char *content_dir) {
  if (!in_git_tree(content_dir)) {
    put(h, "git none");
    return;
  }
  git_libgit2_init();
  git_repository *repo = NULL;
  if (git_repository_open_ext(&repo, content_dir, 0, NULL) != 0) {
    put(h, "git unreadable");
    git_libgit2_shutdown();
    return;
  }
  git_oid head;
  char hex[GIT_OID_HEXSZ + 1] = "none";
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0)
    git_oid_tostr(hex, sizeof hex, &head);
  const char *wd = git_repository_workdir(repo);
  put(h, "git %s %s", hex, wd ? wd : "-");
  const char *common = git_repository_commondir(repo);
  if (common) {
    put_small_file(h, "shallow", common, "shallow");
    put_small_file(h, "grafts", common, "info/grafts");
  }
  git_config *cfg = NULL;
  int32_t limit = -1;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    if (git_config_get_int32(&limit, cfg, "diff.renameLimit") != 0)
      limit = -1;
    git_config_free(cfg);
  }
  put(h, "renamelimit %d", (int)limit);
  git_repository_free(repo);
  git_libgit2_shutdown();
}

/* ---- the program and its environment ------------------------------------ */

static int put_library(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  if (info->dlpi_name && *info->dlpi_name)
    put_stat(arg, "lib", info->dlpi_name);
  return 0;
}

static void put_environment(hasher *h) {
  vec vars = {0};
  for (char **e = environ; e && *e; e++)
    if (strncmp(*e, "VAKSAM_", 7) == 0 || strncmp(*e, "SOURCE_DATE_EPOCH=", 18) == 0)
      vec_push(&vars, *e);
  vk_sort(vars.items, vars.n, sizeof(char *), cmp_str);
  for (size_t i = 0; i < vars.n; i++)
    put(h, "env %s", (char *)vars.items[i]);
  vec_free(&vars);
}

/* The output folder's path without trailing slashes, then `suffix`. */
static char *beside(const char *out, const char *suffix) {
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/')
    n--;
  return xasprintf("%.*s%s", (int)n, out, suffix);
}

/* The output folder as given, and resolved through the folder holding it
 * (which the lock made): the same whether the output exists yet or not. */
static void put_out(hasher *h, const char *out_dir) {
  char *out = beside(out_dir, "");
  char *slash = strrchr(out, '/');
  const char *base = slash ? slash + 1 : out;
  if (slash)
    *slash = 0;
  char *parent = realpath(slash ? (*out ? out : "/") : ".", NULL);
  put(h, "out %s %s %s", out_dir, parent ? parent : "?", base);
  free(parent);
  free(out);
}

static void put_options(hasher *h, const vk_build_opts *o, const char *today) {
  put_out(h, o->out_dir);
  put(h, "org %s", o->org ? o->org : "-");
  put(h, "role %s", o->role ? o->role : "-");
  put(h, "formats %u drafts %d strict %d serve %d", o->formats, o->drafts, o->strict, o->serve);
  put(h, "today %s", today);
}

static void add_skip(hasher *h, const char *path) {
  struct stat st;
  if (stat(path, &st) == 0)
    h->skip[h->n_skip++] = (file_id){st.st_dev, st.st_ino};
}

bool uptodate_fingerprint(const vk_build_opts *o, uptodate_fp *fp, vk_filecache *keep) {
  if (o->formats & FMT_PDF)
    return false;
  hasher *h = xcalloc(1, sizeof *h);
  h->all = new_state();
  h->one = new_state();
  date_format(date_today(o->today), fp->today);
  put(h, FINGERPRINT_FORMAT);
  put(h, "version %s", VAKSAM_VERSION);
  put_stat(h, "exe", "/proc/self/exe");
  dl_iterate_phdr(put_library, h);
  const char *words = compound_wordlist_path();
  if (*words)
    put_stat(h, "wordlist", words);
  put_environment(h);
  put_options(h, o, fp->today);
  /* an output (or its record) inside the content folder is not an input */
  add_skip(h, o->out_dir);
  char *rec = beside(o->out_dir, ".vaksam-state"), *lock = beside(o->out_dir, ".lock");
  add_skip(h, rec);
  add_skip(h, lock);
  free(rec);
  free(lock);
  put_git(h, o->content_dir);
  h->keep = keep;
  put_tree(h, "content", o->content_dir);
  h->keep = NULL;
  if (keep)
    filecache_seal(keep);
  put_tree(h, "theme", o->theme_dir);
  finish(h->all, fp->hex);
  XXH3_freeState(h->all);
  XXH3_freeState(h->one);
  free(h);
  return true;
}

/* ---- the output as a build left it -------------------------------------- */

/* Every folder and file under dfd (which it closes), sorted, with inode,
 * size, mtime and ctime; nothing is read. */
static void walk_output(hasher *h, int dfd, const char *prefix) {
  DIR *d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    put(h, "! %s %d", prefix, errno);
    return;
  }
  vec names = {0};
  sorted_names(d, false, &names);
  for (size_t i = 0; i < names.n; i++) {
    const char *name = names.items[i];
    struct stat st;
    if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      put(h, "? %s%s %d", prefix, name, errno);
      continue;
    }
    put(h, "%s%s %o %llu %llu %lld %lld.%09ld %lld.%09ld", prefix, name, (unsigned)st.st_mode,
        (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
        (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
        st.st_ctim.tv_nsec);
    if (S_ISDIR(st.st_mode)) {
      int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      char *p = xasprintf("%s%s/", prefix, name);
      if (sub >= 0)
        walk_output(h, sub, p);
      else
        put(h, "! %s %d", p, errno);
      free(p);
    }
  }
  vec_free_items(&names);
  vec_free(&names);
  closedir(d);
}

/* The digest of the output tree; false when there is no such folder. */
static bool output_digest(const char *out, char hex[DIGEST_HEX + 1]) {
  int fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    if (fd >= 0)
      close(fd);
    return false;
  }
  hasher *h = xcalloc(1, sizeof *h);
  h->all = new_state();
  put(h, "root %llu %llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
  walk_output(h, fd, "");
  finish(h->all, hex);
  XXH3_freeState(h->all);
  free(h);
  return true;
}

/* ---- the record ----------------------------------------------------------- */

/* "<key> <DIGEST_HEX hex digits>\n" at *p: copies the hex, moves *p past
 * the line. */
static bool record_line(const char **p, const char *key, char hex[DIGEST_HEX + 1]) {
  size_t k = strlen(key);
  if (strncmp(*p, key, k) != 0 || (*p)[k] != ' ')
    return false;
  const char *v = *p + k + 1;
  if (strlen(v) < DIGEST_HEX + 1 || v[DIGEST_HEX] != '\n')
    return false;
  memcpy(hex, v, DIGEST_HEX);
  hex[DIGEST_HEX] = 0;
  *p = v + DIGEST_HEX + 1;
  return true;
}

bool uptodate_check(const char *out, const uptodate_fp *fp, char **warnings) {
  char *path = beside(out, ".vaksam-state");
  size_t len = 0;
  char *text = read_file(path, &len);
  free(path);
  const char *p = text;
  char inputs[DIGEST_HEX + 1], output[DIGEST_HEX + 1], now[DIGEST_HEX + 1];
  bool ok = text && strlen(text) == len && strncmp(p, RECORD_HEADER, strlen(RECORD_HEADER)) == 0;
  if (ok) {
    p += strlen(RECORD_HEADER);
    ok = record_line(&p, "inputs", inputs) && record_line(&p, "output", output) &&
         strcmp(inputs, fp->hex) == 0 && output_digest(out, now) && strcmp(now, output) == 0;
  }
  if (ok)
    *warnings = xstrdup(p);
  free(text);
  return ok;
}

void uptodate_forget(const char *out) {
  char *path = beside(out, ".vaksam-state");
  unlink(path);
  free(path);
}

int uptodate_record(const char *out, const uptodate_fp *fp, const char *today,
                    const char *warnings) {
  char output[DIGEST_HEX + 1];
  if (strcmp(today, fp->today) != 0 || !output_digest(out, output))
    return -1;
  char *path = beside(out, ".vaksam-state"), *tmp = beside(out, ".vaksam-state.new");
  char *text = xasprintf("%sinputs %s\noutput %s\n%s", RECORD_HEADER, fp->hex, output,
                         warnings ? warnings : "");
  /* under the output's lock: no other build writes tmp meanwhile */
  int rc = write_file(tmp, text, strlen(text)) == 0 && rename(tmp, path) == 0 ? 0 : -1;
  if (rc != 0) {
    unlink(tmp);
    unlink(path);
  }
  free(text);
  free(tmp);
  free(path);
  return rc;
}
