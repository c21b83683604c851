/* util.c — see util.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <pthread.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void out_of_memory(void) {
  fputs("vaksam: out of memory\n", stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    out_of_memory();
  return q;
}

char *xstrdup(const char *s) {
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xasprintf(const char *fmt, ...) {
  sbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  return sbuf_take(&b);
}

void sbuf_grow(sbuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->s = xrealloc(b->s, cap);
  b->cap = cap;
}

void sbuf_putn(sbuf *b, const char *s, size_t n) {
  sbuf_grow(b, n);
  if (n)
    memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void sbuf_puts(sbuf *b, const char *s) {
  sbuf_putn(b, s, strlen(s));
}

void sbuf_put_int(sbuf *b, long long v) {
  char digits[24];
  size_t n = 0;
  unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  do
    digits[sizeof digits - ++n] = (char)('0' + u % 10);
  while ((u /= 10) != 0);
  if (v < 0)
    digits[sizeof digits - ++n] = '-';
  sbuf_putn(b, digits + sizeof digits - n, n);
}

void sbuf_putc_slow(sbuf *b, char c) {
  sbuf_grow(b, 1);
  b->s[b->len++] = c;
  b->s[b->len] = '\0';
}

/* One vsnprintf into the spare room when the text fits (most do), a
 * second after growing when it does not. */
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap) {
  sbuf_grow(b, 63);
  va_list ap2;
  va_copy(ap2, ap);
  size_t room = b->cap - b->len;
  int n = vsnprintf(b->s + b->len, room, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    b->s[b->len] = '\0';
    return;
  }
  if ((size_t)n >= room) {
    sbuf_grow(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  }
  b->len += (size_t)n;
}

void sbuf_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sbuf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *sbuf_take(sbuf *b) {
  char *s = b->s ? b->s : xstrdup("");
  b->s = NULL;
  b->len = b->cap = 0;
  return s;
}

void sbuf_free(sbuf *b) {
  free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

const char *sbuf_str(const sbuf *b) {
  return b->s ? b->s : "";
}

void vec_push(vec *v, void *item) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = xrealloc(v->items, v->cap * sizeof(void *));
  }
  v->items[v->n++] = item;
}

void vec_free(vec *v) {
  free(v->items);
  v->items = NULL;
  v->n = v->cap = 0;
}

void vec_free_items(vec *v) {
  for (size_t i = 0; i < v->n; i++)
    free(v->items[i]);
  v->n = 0;
}

char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  sbuf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    sbuf_putn(&b, chunk, n);
  int err = ferror(f);
  fclose(f);
  if (err) {
    sbuf_free(&b);
    errno = EIO;
    return NULL;
  }
  if (len)
    *len = b.len;
  return sbuf_take(&b);
}

bool str_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool list_next(const char **p, const char **word, size_t *len) {
  const char *s = *p;
  while (*s == ' ' || *s == ',')
    s++;
  const char *start = s;
  while (*s && *s != ' ' && *s != ',')
    s++;
  *p = s;
  *word = start;
  *len = (size_t)(s - start);
  return *len > 0;
}

bool is_editor_file(const char *name) {
  return name[0] == '.' || name[0] == '#' || str_ends_with(name, "~") ||
         str_ends_with(name, ".swp") || str_ends_with(name, ".swx") || strcmp(name, "4913") == 0;
}

int write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t w = fwrite(data, 1, len, f);
  int rc = fclose(f);
  return (w == len && rc == 0) ? 0 : -1;
}

/* Writes all of data to fd; 0 or -1 with errno. */
static int write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

int write_new_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST && unlink(path) == 0)
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  int rc = write_all(fd, data, len);
  int saved = errno;
  if (close(fd) != 0 && rc == 0)
    return -1;
  errno = saved;
  return rc;
}

bool file_holds(const char *path, const char *data, size_t len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st;
  bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
  char buf[16384];
  for (size_t at = 0; same && at < len;) {
    ssize_t r = read(fd, buf, len - at < sizeof buf ? len - at : sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    same = r > 0 && memcmp(buf, data + at, (size_t)r) == 0;
    at += r > 0 ? (size_t)r : 0;
  }
  close(fd);
  return same;
}

int mkdir_p(const char *path) {
  char *p = xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s == '/') {
      *s = '\0';
      if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        free(p);
        return -1;
      }
      *s = '/';
    }
  }
  int rc = mkdir(p, 0755);
  free(p);
  return (rc == 0 || errno == EEXIST) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

int rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? 0 : -1;
  return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b) {
  size_t la = strlen(a);
  if (la == 0)
    return xstrdup(b);
  return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is the entry of dir a regular file (a link followed, as stat does)? The
 * type readdir gives answers without a stat for all but links and file
 * systems that leave it out. */
static bool entry_is_file(const char *dir, const struct dirent *e) {
#ifdef DT_REG
  if (e->d_type == DT_REG)
    return true;
  if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
    return false;
#endif
  char *full = path_join(dir, e->d_name);
  bool reg = is_file(full);
  free(full);
  return reg;
}

int list_dir_sorted(const char *dir, const char *suffix, vec *out) {
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  size_t ls = suffix ? strlen(suffix) : 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    size_t ln = strlen(e->d_name);
    if (ls && (ln < ls || strcmp(e->d_name + ln - ls, suffix) != 0))
      continue;
    if (entry_is_file(dir, e))
      vec_push(out, xstrdup(e->d_name));
  }
  closedir(d);
  if (out->n)
    vk_sort(out->items, out->n, sizeof(void *), cmp_str);
  return 0;
}

bool utf8_valid(const char *str, size_t len, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    size_t n;
    unsigned int cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      goto bad;
    }
    for (size_t k = 1; k <= n; k++) {
      if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
        goto bad;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    /* Reject overlong forms, surrogates and values past U+10FFFF. */
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      goto bad;
    i += n + 1;
  }
  return true;
bad:
  if (bad_offset)
    *bad_offset = i;
  return false;
}

char *slugify(const char *title) {
  static const struct {
    const char *from, *to;
  } folds[] = {{"å", "a"}, {"ä", "a"}, {"ö", "o"}, {"Å", "a"}, {"Ä", "a"}, {"Ö", "o"},
               {"é", "e"}, {"É", "e"}, {"è", "e"}, {"ü", "u"}, {"Ü", "u"}, {"æ", "ae"},
               {"ø", "o"}, {"á", "a"}, {"à", "a"}, {"í", "i"}, {"ó", "o"}, {"ú", "u"}};
  sbuf b = {0};
  bool dash = false;
  for (const char *p = title; *p;) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && b.len)
        sbuf_putc(&b, '-');
      dash = false;
      sbuf_putc(&b, (char)c);
      p++;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      if (dash && b.len)
        sbuf_putc(&b, '-');
      dash = false;
      sbuf_putc(&b, (char)(c - 'A' + 'a'));
      p++;
      continue;
    }
    bool folded = false;
    for (size_t i = 0; c >= 0x80 && i < sizeof folds / sizeof folds[0]; i++) { /* UTF-8 only */
      size_t l = strlen(folds[i].from);
      if (strncmp(p, folds[i].from, l) == 0) {
        if (dash && b.len)
          sbuf_putc(&b, '-');
        dash = false;
        sbuf_puts(&b, folds[i].to);
        p += l;
        folded = true;
        break;
      }
    }
    if (folded)
      continue;
    dash = true;
    /* skip one UTF-8 sequence */
    p++;
    while ((*p & 0xC0) == 0x80)
      p++;
  }
  return sbuf_take(&b);
}

/* The characters html_escape replaces (a table: the plain runs between them
 * are found with one load per byte and copied at once). */
static const unsigned char html_special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1};

void html_escape(sbuf *b, const char *s, size_t len) {
  size_t start = 0;
  for (size_t i = 0;; i++) {
    while (i < len && !html_special[(unsigned char)s[i]])
      i++;
    sbuf_putn(b, s + start, i - start);
    if (i == len)
      return;
    sbuf_puts(b, s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : "&quot;");
    start = i + 1;
  }
}

/* Maps a code point to a Swedish sort weight: letters a–z, then å ä ö. */
static int sv_weight(const unsigned char **pp) {
  const unsigned char *p = *pp;
  int c = *p;
  if (c < 0x80) {
    *pp = p + 1;
    if (c >= 'A' && c <= 'Z')
      c += 'a' - 'A';
    return c;
  }
  if (c == 0xC3 && p[1]) {
    int d = p[1];
    *pp = p + 2;
    switch (d) {
    case 0xA5:
    case 0x85: return 'z' + 1; /* å Å */
    case 0xA4:
    case 0x84: return 'z' + 2; /* ä Ä */
    case 0xB6:
    case 0x96: return 'z' + 3; /* ö Ö */
    case 0xA9:
    case 0x89: return 'e'; /* é É */
    case 0xBC:
    case 0x9C: return 'y'; /* ü sorts as y in Swedish */
    default: return 0x100 + d;
    }
  }
  *pp = p + 1;
  return 0x200 + c;
}

int sv_collate(const char *a, const char *b) {
  const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
  while (*pa && *pb) {
    int wa = sv_weight(&pa), wb = sv_weight(&pb);
    if (wa != wb)
      return wa < wb ? -1 : 1;
  }
  if (*pa || *pb)
    return *pa ? 1 : -1;
  return strcmp(a, b);
}

void vk_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (base && n > 1)
    qsort(base, n, size, cmp);
}

void *vk_bsearch(const void *key, const void *base, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  return base && n ? bsearch(key, base, n, size, cmp) : NULL;
}

/* A relative reference whose first segment holds a ':' would read as a
 * scheme ("foo):" → scheme "foo)"); RFC 3986 asks for "./" in front. */
static bool colon_needs_dot(const char *url) {
  size_t seg = strcspn(url, "/?#");
  const char *colon = memchr(url, ':', seg);
  if (!colon)
    return false;
  if (colon == url || !((*url | 32) >= 'a' && (*url | 32) <= 'z'))
    return true;
  for (const char *p = url; p < colon; p++)
    if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' ||
          *p == '-' || *p == '.'))
      return true;
  return false;
}

void uri_escape(sbuf *b, const char *url) {
  static const char safe[] = "-_.!~*'();/?:@=+$,#%&";
  if (colon_needs_dot(url))
    sbuf_puts(b, "./");
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        strchr(safe, c))
      sbuf_putc(b, (char)c);
    else
      sbuf_printf(b, "%%%02X", c);
  }
}

int util_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

void util_run_threads(int jobs, size_t n_tasks, void *(*fn)(void *), void *arg) {
  int threads = jobs > 0 ? jobs : util_cpu_count();
  if ((size_t)threads > n_tasks)
    threads = n_tasks ? (int)n_tasks : 1;
  pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
  int started = 0;
  for (int i = 1; i < threads; i++)
    if (pthread_create(&tids[i], NULL, fn, arg) == 0)
      started = i;
  fn(arg);
  for (int i = 1; i <= started; i++)
    pthread_join(tids[i], NULL);
  free(tids);
}

/* RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
void sbuf_csv_field(sbuf *b, const char *s, bool last) {
  s = s ? s : "";
  if (strpbrk(s, ",\"\r\n")) {
    sbuf_putc(b, '"');
    for (; *s; s++) {
      if (*s == '"')
        sbuf_putc(b, '"');
      sbuf_putc(b, *s);
    }
    sbuf_putc(b, '"');
  } else {
    sbuf_puts(b, s);
  }
  sbuf_puts(b, last ? "\r\n" : ",");
}
