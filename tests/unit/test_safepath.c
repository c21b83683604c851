/* test_safepath.c — the one path check (safepath.h): files beneath the root
 * are read, links and ../ out of it are refused, links inside it are fine. */
#include "../check.h"
#include "safepath.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

static char *tmp;

static char *at(const char *rel) {
  return path_join(tmp, rel);
}

static void put(const char *rel, const char *text) {
  char *p = at(rel);
  write_file(p, text, strlen(text));
  free(p);
}

static void link_to(const char *target, const char *rel) {
  char *p = at(rel);
  if (symlink(target, p) != 0)
    perror(p);
  free(p);
}

/* The status of reading rel (beneath root/) and, when read, its text. */
static safepath_status read_rel(const char *rel, char **text) {
  char *root = at("root"), *p = path_join(root, rel);
  safepath_status st;
  size_t len;
  *text = safepath_read(root, p, &len, &st);
  free(p);
  free(root);
  return st;
}

int main(void) {
  char tmpl[] = "/tmp/test_safepath-XXXXXX";
  tmp = mkdtemp(tmpl);
  char *dir = at("root/images");
  mkdir_p(dir);
  free(dir);
  put("outside.txt", "SECRET");
  put("root/images/a.png", "A");
  char *abs_outside = at("outside.txt"), *abs_inside = at("root/images/a.png");
  link_to(abs_outside, "root/images/out.png");
  link_to("../../outside.txt", "root/images/out-rel.png");
  link_to("a.png", "root/images/in.png");
  link_to(abs_inside, "root/images/in-abs.png");
  link_to(tmp, "root/up");
  char *text;
  CHECK(read_rel("images/a.png", &text) == SAFEPATH_OK && text && strcmp(text, "A") == 0,
        "a plain file beneath the root is read");
  free(text);
  CHECK(read_rel("images/in.png", &text) == SAFEPATH_OK && text && strcmp(text, "A") == 0,
        "a relative link that stays inside is read");
  free(text);
  CHECK(read_rel("images/in-abs.png", &text) == SAFEPATH_OK && text,
        "an absolute link that points back inside is read (the realpath fallback)");
  free(text);
  CHECK(read_rel("images/out.png", &text) == SAFEPATH_OUTSIDE && !text,
        "an absolute link to outside is refused");
  CHECK(read_rel("images/out-rel.png", &text) == SAFEPATH_OUTSIDE && !text,
        "a relative link to outside is refused");
  CHECK(read_rel("../outside.txt", &text) == SAFEPATH_OUTSIDE && !text, "../ out is refused");
  CHECK(read_rel("up/outside.txt", &text) == SAFEPATH_OUTSIDE && !text,
        "a folder link to outside is refused");
  CHECK(read_rel("images/missing.png", &text) == SAFEPATH_UNREADABLE && !text,
        "a missing file is unreadable, not outside");
  CHECK(read_rel("images", &text) == SAFEPATH_UNREADABLE && !text, "a folder is not a file");
  char *root = at("root");
  CHECK(safepath_check(root, abs_outside) == SAFEPATH_OUTSIDE,
        "a path not written beneath the root is checked by where it resolves");
  free(root);
  free(abs_outside);
  free(abs_inside);
  char *cmd = xasprintf("rm -rf '%s'", tmp);
  if (system(cmd) != 0)
    perror(cmd);
  free(cmd);
  return check_failures ? 1 : 0;
}
