/* util.h — allocation, growable strings, files and paths, UTF-8.
 *
 * Allocation failures abort (there is nothing sensible to do without
 * memory); every other failure is returned to the caller.
 */
#ifndef VK_UTIL_H
#define VK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Says so on stderr and aborts: what every x-allocator does when memory runs out. */
_Noreturn void out_of_memory(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sbuf: a growable NUL-terminated byte buffer. Zero-initialise to start
 * ({0}); `s` is always NUL-terminated once anything was written. */
typedef struct {
  char *s;
  size_t len, cap;
} sbuf;

void sbuf_grow(sbuf *b, size_t extra);
void sbuf_putn(sbuf *b, const char *s, size_t n);
void sbuf_puts(sbuf *b, const char *s);
/* v in decimal, as "%lld" prints it (without printf's cost on hot paths). */
void sbuf_put_int(sbuf *b, long long v);
void sbuf_putc_slow(sbuf *b, char c);
/* Inline: writers put many single characters. */
static inline void sbuf_putc(sbuf *b, char c) {
  if (b->len + 2 <= b->cap) {
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
  } else {
    sbuf_putc_slow(b, c);
  }
}
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
/* Hands the string to the caller (never NULL) and resets the buffer. */
char *sbuf_take(sbuf *b);
void sbuf_free(sbuf *b);
const char *sbuf_str(const sbuf *b); /* "" when empty */

/* Pointer vector. Does not own its items unless the caller says so. */
typedef struct {
  void **items;
  size_t n, cap;
} vec;

void vec_push(vec *v, void *item);
void vec_free(vec *v);
/* Frees every item (each malloc'd) and empties v; the vector itself stays. */
void vec_free_items(vec *v);

/* Does s end with suffix? */
bool str_ends_with(const char *s, const char *suffix);
/* The next word of a list separated by commas or spaces (a container's
 * roles="a, b"): sets *word and *len, moves *p past it; false at the end. */
bool list_next(const char **p, const char **word, size_t *len);
/* Editor droppings that are not content: swap and backup files, vim's
 * write test "4913", emacs locks, hidden files. Builds and the watcher of
 * `vaksam serve` both pass them over. */
bool is_editor_file(const char *name);

/* Files. read_file returns malloc'd contents (NUL-terminated) or NULL with errno. */
char *read_file(const char *path, size_t *len);
int write_file(const char *path, const char *data, size_t len);
/* Writes a file as a new inode: an existing file at path is unlinked, never
 * written through (it may be a hard link into another tree). 0 or -1 with errno. */
int write_new_file(const char *path, const char *data, size_t len);
/* Is path a regular file holding exactly these bytes? (size first, then bytes) */
bool file_holds(const char *path, const char *data, size_t len);
int mkdir_p(const char *path);
int rm_rf(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);
char *path_join(const char *a, const char *b);
/* Lists regular file names (not paths) in dir ending with `suffix`, sorted. */
int list_dir_sorted(const char *dir, const char *suffix, vec *out);

/* qsort/bsearch that accept an empty (possibly NULL) array: the C library
 * versions have undefined behaviour for a NULL base even when n is 0. */
void vk_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *vk_bsearch(const void *key, const void *base, size_t n, size_t size,
                 int (*cmp)(const void *, const void *));

/* UTF-8: returns true when valid; else sets *bad_offset. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Percent-encodes bytes that may not appear in a URI (spaces, non-ASCII,
 * brackets …); keeps reserved characters and existing %XX escapes. */
void uri_escape(sbuf *b, const char *url);
/* Swedish-aware slug: "Hot via telefon – åtgärder" → "hot-via-telefon-atgarder". */
char *slugify(const char *title);
/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line
 * break), then "," or, for the last field of a row, "\r\n". NULL is "". */
void sbuf_csv_field(sbuf *b, const char *s, bool last);
/* HTML-escapes into b. */
void html_escape(sbuf *b, const char *s, size_t len);
/* Case-insensitive ASCII/Swedish comparison for sorting titles (å ä ö after z). */
int sv_collate(const char *a, const char *b);

/* Where a loader hands a file it does not write itself: `rel` is relative
 * to a folder the caller chose. 0 or -1. */
typedef int (*vk_put_fn)(void *arg, const char *rel, const char *data, size_t len);

/* Online cores (1–64). */
int util_cpu_count(void);
/* Runs fn(arg) on min(jobs or the cores, n_tasks) threads, this one
 * included, and waits for them; fn takes tasks from a queue in arg. */
void util_run_threads(int jobs, size_t n_tasks, void *(*fn)(void *), void *arg);

#endif
