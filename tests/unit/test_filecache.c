/* test_filecache.c — the documents' bytes read once (filecache.h): the
 * fingerprint keeps the Markdown files it reads through real folders, the
 * loader takes each once; links and what lies behind them are not kept. */
#include "../check.h"
#include "filecache.h"
#include "uptodate.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp;

static void put(const char *rel, const char *text) {
  char *p = path_join(tmp, rel);
  write_file(p, text, strlen(text));
  free(p);
}

static void folder(const char *rel) {
  char *p = path_join(tmp, rel);
  mkdir(p, 0755);
  free(p);
}

static void link_to(const char *target, const char *rel) {
  char *p = path_join(tmp, rel);
  if (symlink(target, p) != 0)
    perror(p);
  free(p);
}

/* Takes rel and compares with want (NULL: nothing kept). */
static void check_taken(vk_filecache *fc, const char *rel, const char *want) {
  size_t len = 0;
  char *got = filecache_take(fc, rel, &len);
  if (!want)
    CHECK(got == NULL, "%s is not kept", rel);
  else
    CHECK(got && len == strlen(want) && strcmp(got, want) == 0, "%s is kept with its bytes", rel);
  free(got);
}

static void cache_rules(void) {
  vk_filecache *fc = filecache_new();
  CHECK(filecache_wants(fc, "routines/a.md", 10), "a Markdown file is wanted");
  CHECK(!filecache_wants(fc, "images/a.png", 10), "an image is not wanted");
  CHECK(!filecache_wants(fc, "routines/big.md", FILECACHE_MAX_BYTES + 1u),
        "a file beyond the bound is not wanted");
  filecache_put(fc, "z.md", xstrdup("zz"), 2);
  filecache_put(fc, "a-b/y.md", xstrdup("yy"), 2);
  filecache_put(fc, "a/x.md", xstrdup("xx"), 2);
  size_t len;
  CHECK(filecache_take(fc, "a/x.md", &len) == NULL, "nothing is taken before the seal");
  filecache_seal(fc);
  CHECK(!filecache_wants(fc, "b.md", 1), "nothing more is wanted once sealed");
  check_taken(fc, "a/x.md", "xx");
  check_taken(fc, "a-b/y.md", "yy");
  check_taken(fc, "z.md", "zz");
  CHECK(filecache_take(fc, "a/x.md", &len) == NULL, "an entry is taken at most once");
  CHECK(filecache_take(fc, "missing.md", &len) == NULL, "a path never put is not found");
  CHECK(filecache_take(NULL, "a/x.md", &len) == NULL, "no cache: nothing");
  filecache_free(fc); /* frees what was never taken */
}

static void kept_by_fingerprint(void) {
  folder("content");
  folder("content/routines");
  folder("content/elsewhere");
  folder("theme");
  put("content/site.yaml", "title: T\n");
  put("content/routines/plain.md", "---\nid: plain\n---\nText\n");
  put("content/elsewhere/real.md", "---\nid: real\n---\nBehind a link\n");
  link_to("../elsewhere/real.md", "content/routines/linked.md");
  link_to("elsewhere", "content/via");
  put("theme/page.md", "not content\n");
  char *content = path_join(tmp, "content"), *theme = path_join(tmp, "theme"),
       *out = path_join(tmp, "out");
  vk_build_opts o = {
      .content_dir = content, .theme_dir = theme, .out_dir = out, .formats = FMT_HTML};
  vk_filecache *fc = filecache_new();
  uptodate_fp fp, again;
  CHECK(uptodate_fingerprint(&o, &fp, fc), "the fingerprint is taken");
  check_taken(fc, "routines/plain.md", "---\nid: plain\n---\nText\n");
  check_taken(fc, "elsewhere/real.md", "---\nid: real\n---\nBehind a link\n");
  check_taken(fc, "routines/linked.md", NULL);
  check_taken(fc, "via/real.md", NULL);
  check_taken(fc, "site.yaml", NULL);
  check_taken(fc, "page.md", NULL);
  filecache_free(fc);
  CHECK(uptodate_fingerprint(&o, &again, NULL) && strcmp(fp.hex, again.hex) == 0,
        "keeping the bytes does not change the fingerprint");
  put("content/routines/plain.md", "---\nid: plain\n---\nTexT\n");
  CHECK(uptodate_fingerprint(&o, &again, NULL) && strcmp(fp.hex, again.hex) != 0,
        "a kept document's bytes are in the fingerprint");
  free(content);
  free(theme);
  free(out);
}

int main(void) {
  char tmpl[] = "/tmp/vaksam-filecache-XXXXXX";
  tmp = mkdtemp(tmpl);
  cache_rules();
  kept_by_fingerprint();
  rm_rf(tmp);
  return check_failures ? 1 : 0;
}
