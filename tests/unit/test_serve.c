/* test_serve.c — the preview server's path mapping (nothing outside the
 * output folder: dot segments, encodings, backslashes, symlinks out),
 * content types and the formats a preview builds. HTTP itself is tested
 * against the real binary in tests/sh/serve.sh. */
#include "../check.h"
#include "serve.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[PATH_MAX];

/* resolve(url) relative to root, "" for refused. */
static char *resolve_rel(const char *url) {
  char *p = serve_resolve(root, url);
  if (!p)
    return xstrdup("");
  size_t n = strlen(root);
  char *rel = xstrdup(strncmp(p, root, n) == 0 ? p + n : p); /* outside: the whole path */
  free(p);
  return rel;
}

static void check_resolves(const char *url, const char *want) {
  char *got = resolve_rel(url);
  const char *shown = want[0] ? want : "refused";
  CHECK_STR(got, want, "resolve %s → %s", url, shown);
  free(got);
}

static void make_tree(const char *outside) {
  char *paths[] = {"site/index.html", "site/a/index.html", "site/a/b.css", "site/x.odt",
                   "secret-sibling.txt"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    char *p = path_join(root, paths[i]);
    char *dir = xstrdup(p);
    *strrchr(dir, '/') = 0;
    mkdir_p(dir);
    write_file(p, "x", 1);
    free(dir);
    free(p);
  }
  char *secret = path_join(outside, "secret.txt");
  write_file(secret, "s", 1);
  free(secret);
  char *out_link = path_join(root, "site/out");
  char *in_link = path_join(root, "site/in.css");
  char *file_out = path_join(root, "site/passwd");
  if (symlink(outside, out_link) != 0 || symlink("a/b.css", in_link) != 0 ||
      symlink("/etc/passwd", file_out) != 0)
    perror("symlink");
  free(out_link);
  free(in_link);
  free(file_out);
}

static void test_resolve(void) {
  check_resolves("/site/index.html", "/site/index.html");
  check_resolves("/site/", "/site/index.html");
  check_resolves("/site", "/site/index.html");
  check_resolves("/site/a/", "/site/a/index.html");
  check_resolves("/site/a/b.css", "/site/a/b.css");
  check_resolves("/site//a/b.css", "/site/a/b.css");
  check_resolves("/site/in.css", "/site/a/b.css");
  check_resolves("/site/missing.html", "");
  check_resolves("/../etc/passwd", "");
  check_resolves("/site/../../etc/passwd", "");
  check_resolves("/site/../secret-sibling.txt", "");
  check_resolves("/site/a/..", "");
  check_resolves("/site/./index.html", "");
  check_resolves("/%2e%2e/%2e%2e/etc/passwd", "");
  check_resolves("/%2E%2E/etc/passwd", "");
  check_resolves("/site%2findex.html", "");
  check_resolves("/site\\..\\..\\etc\\passwd", "");
  check_resolves("site/index.html", "");
  check_resolves("", "");
  check_resolves("/site/out/secret.txt", "");
  check_resolves("/site/out/", "");
  check_resolves("/site/passwd", "");
  char *p = serve_resolve(root, "/site/index.html\r\nX: y");
  CHECK(p == NULL, "resolve refuses control characters (header injection)");
  free(p);
  p = serve_resolve(root, NULL);
  CHECK(p == NULL, "resolve NULL is refused");
  free(p);
}

static void test_types(void) {
  const char *cases[][2] = {
      {"a/b.html", "text/html; charset=utf-8"},
      {"b.css", "text/css; charset=utf-8"},
      {"c.js", "text/javascript; charset=utf-8"},
      {"d.json", "application/json"},
      {"sitemap.xml", "application/xml"},
      {"e.svg", "image/svg+xml"},
      {"f.png", "image/png"},
      {"g.JPG", "image/jpeg"},
      {"h.odt", "application/vnd.oasis.opendocument.text"},
      {"i.odp", "application/vnd.oasis.opendocument.presentation"},
      {"j.zip", "application/zip"},
      {"review.csv", "text/csv; charset=utf-8"},
      {"k.txt", "text/plain; charset=utf-8"},
      {"no-extension", "application/octet-stream"},
      {"dir.html/file", "application/octet-stream"},
      {"x.exe", "application/octet-stream"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    CHECK_STR(serve_content_type(cases[i][0]), cases[i][1], "content type of %s", cases[i][0]);
}

static void test_formats(void) {
  CHECK(serve_formats(0) == FMT_HTML, "no --format: a preview builds HTML only");
  CHECK(serve_formats(FMT_ALL) == FMT_ALL, "--format html,odt,odp given explicitly is kept");
  CHECK(serve_formats(FMT_ODT) == (FMT_HTML | FMT_ODT), "--format odt adds HTML");
  CHECK(serve_formats(FMT_HTML | FMT_ODP) == (FMT_HTML | FMT_ODP), "--format html,odp is kept");
}

int main(void) {
  char tmpl[] = "/tmp/vaksam-serve-XXXXXX";
  char *base = mkdtemp(tmpl);
  if (!base)
    return perror("mkdtemp"), 1;
  char *dist = path_join(base, "dist"), *outside = path_join(base, "outside");
  mkdir_p(dist);
  mkdir_p(outside);
  if (!realpath(dist, root))
    return perror("realpath"), 1;
  make_tree(outside);
  test_resolve();
  test_types();
  test_formats();
  rm_rf(base);
  free(dist);
  free(outside);
  return CHECK_DONE();
}
