/* test_content.c — dates, front matter, scope and link resolution. */
#include "../check.h"
#include "content.h"
#include "document.h"
#include "markdown.h"
#include "site.h"

#include <stdlib.h>
#include <string.h>

static const char site_yaml[] = "title: T\nbase_url: https://x/\n"
                                "organisations:\n"
                                "  - {id: kommunen, name: K, variables: {incident_system: KIA}}\n"
                                "  - {id: social, name: S, parent: kommunen}\n"
                                "  - {id: bygg, name: B, parent: kommunen}\n"
                                "roles:\n  - {id: chef, name: Chef, can: [handledning, "
                                "granskning]}\n  - {id: medarbetare, name: M}\n";

static void test_dates(void) {
  vk_date d;
  CHECK(date_parse("2024-02-29", &d) && d.y == 2024 && d.m == 2 && d.d == 29, "leap day parses");
  CHECK(!date_parse("2023-02-29", &d), "29 Feb of a common year is rejected");
  CHECK(!date_parse("2023-13-01", &d), "month 13 is rejected");
  CHECK(!date_parse("2023-1-01", &d), "a date without zero padding is rejected");
  vk_date jan31 = {2025, 1, 31};
  vk_date r = date_add_months(jan31, 1);
  CHECK(r.y == 2025 && r.m == 2 && r.d == 28, "31 Jan + 1 month = 28 Feb");
  r = date_add_months((vk_date){2025, 11, 15}, 14);
  CHECK(r.y == 2027 && r.m == 1 && r.d == 15, "add months across years");
  CHECK(date_days((vk_date){1970, 1, 1}) == 0, "epoch is day 0");
  CHECK(date_days((vk_date){2026, 11, 24}) - date_days((vk_date){2026, 1, 24}) == 304,
        "days between dates");
  char s[11];
  date_format((vk_date){2026, 3, 4}, s);
  CHECK_STR(s, "2026-03-04", "date_format pads");
  setenv("SOURCE_DATE_EPOCH", "1763856000", 1);
  vk_date t = date_today(NULL);
  CHECK(t.y == 2025 && t.m == 11 && t.d == 23, "today follows SOURCE_DATE_EPOCH");
  t = date_today("2026-11-24");
  CHECK(t.y == 2026 && t.m == 11 && t.d == 24, "--today overrides the clock");
}

static vk_doc *parse(const char *text, const char *path, const vk_site *s, diag *dg) {
  return document_from_text(text, strlen(text), path, path, s, dg);
}

static void test_routine(const vk_site *s) {
  diag *dg = diag_new();
  vk_doc *d = parse("---\nid: r\ntitle: R\nversion: \"2.0\"\nstatus: approved\n"
                    "approved: 2026-01-01\nreview_interval: 6\norgs: [social]\nroles: [chef]\n"
                    "changes:\n  - {date: 2026-01-01, version: \"2.0\", text: Ny}\n---\n\n"
                    "# Rubrik\n\nText.\n",
                    "routines/r.md", s, dg);
  CHECK(d && diag_errors(dg) == 0, "a complete routine parses without errors");
  if (d) {
    CHECK(d->kind == KIND_ROUTINE, "kind comes from the folder");
    CHECK_STR(d->version, "2.0", "version is kept as text");
    CHECK(d->status == STATUS_APPROVED && d->review_interval == 6, "status and interval");
    CHECK(d->n_changes == 1 && d->changes[0].date.m == 1, "changes are parsed");
    CHECK(d->body_line == 13, "the body starts on file line 13 (got %d)", d->body_line);
    cmark_node *h = cmark_node_first_child(d->tree);
    CHECK(h && cmark_node_get_start_line(h) == 14, "tree line numbers are file line numbers");
    CHECK(doc_applies(d, s, site_org(s, "social"), site_role(s, "chef")), "applies to social/chef");
    CHECK(!doc_applies(d, s, site_org(s, "bygg"), site_role(s, "chef")), "not to bygg");
    CHECK(!doc_applies(d, s, site_org(s, "social"), site_role(s, "medarbetare")),
          "not to medarbetare");
  }
  doc_free(d);
  diag_free(dg);
}

static void expect_error(const vk_site *s, const char *text, const char *path, const char *want,
                         const char *name) {
  diag *dg = diag_new();
  vk_doc *d = parse(text, path, s, dg);
  char *msgs = diag_text(dg);
  for (char *nl; (nl = strchr(msgs, '\n'));) /* one line per check */
    *nl = ' ';
  CHECK(diag_errors(dg) > 0 && strstr(msgs, want), "%s (got: %s)", name, msgs);
  free(msgs);
  doc_free(d);
  diag_free(dg);
}

static void test_errors(const vk_site *s) {
  expect_error(s, "no front matter\n", "cases/a.md",
               "cases/a.md:1:1: error: the document does not start with front matter",
               "missing front matter");
  expect_error(s, "---\nid: a\ntitle: A\n", "cases/a.md", "front matter is not closed",
               "unclosed front matter");
  expect_error(s, "---\nid: A B\ntitle: A\n---\n", "cases/a.md", "cases/a.md:2:5: error: id 'A B'",
               "bad id");
  expect_error(s, "---\nid: a\ntitle: A\nroles: [rektor]\n---\n", "cases/a.md",
               "names 'rektor', which is not a role", "unknown role");
  expect_error(s, "---\nid: a\ntitle: A\nversion: \"1\"\nstatus: klar\n---\n", "routines/a.md",
               "unknown status 'klar'", "bad status");
  expect_error(s, "---\nid: a\ntitle: A\n---\n", "other/a.md", "cannot tell what kind",
               "unknown folder");
  expect_error(s, "---\nid: a\ntitle: A\ntype: case\n---\n", "routines/a.md",
               "does not match the folder", "type disagrees with folder");
  expect_error(s, "---\nid: a\ntitle: A\nagenda: []\n---\n", "apt/a.md", "needs an `agenda:` list",
               "empty agenda");
  expect_error(s, "---\nid: a\ntitle: A\n---\n\n::: {.x}\ntext\n", "cases/a.md",
               "cases/a.md:6:", "unclosed container with line");
  char *huge = malloc((5u << 20) + 1);
  memset(huge, 'a', 5u << 20);
  huge[5u << 20] = 0;
  expect_error(s, huge, "cases/h.md", "split it", "huge file refused");
  free(huge);
}

/* site.yaml text whose diagnostics (errors: no site) must contain `want`. */
static void expect_site_error(const char *yaml, const char *want, const char *name) {
  diag *dg = diag_new();
  vk_site *s = site_parse(yaml, strlen(yaml), "site.yaml", dg);
  char *msgs = diag_text(dg);
  for (char *nl; (nl = strchr(msgs, '\n'));)
    *nl = ' ';
  CHECK((diag_errors(dg) > 0 ? !s : diag_warnings(dg) > 0) && strstr(msgs, want), "%s (got: %s)",
        name, msgs);
  free(msgs);
  site_free(s);
  diag_free(dg);
}

#define SITE_HEAD "title: T\nbase_url: https://x/\norganisations:\n  - {id: o, name: O}\n"

static void test_capabilities(const vk_site *s) {
  const vk_role *boss = site_role(s, "chef"), *staff = site_role(s, "medarbetare");
  CHECK(role_can(boss, ROLE_CAN_FACILITATE) && role_can(boss, ROLE_CAN_REVIEW) &&
            !role_can(staff, ROLE_CAN_FACILITATE) && !role_can(staff, ROLE_CAN_REVIEW) &&
            !role_can(NULL, ROLE_CAN_REVIEW),
        "`can:` grants exactly the capabilities listed");
  CHECK(site_first_role_can(s, ROLE_CAN_FACILITATE) == boss, "the first facilitating role");
  expect_site_error(SITE_HEAD "roles:\n  - id: a\n    name: A\n    can: [handledning, leda]\n",
                    "site.yaml:8:24: error: unknown capability 'leda' — a role's `can:` lists "
                    "some of: handledning",
                    "an unknown capability is an error at its position, with the valid names");
  expect_site_error(SITE_HEAD "packs: {participants: alla}\nroles:\n  - {id: a, name: A}\n",
                    "site.yaml:5:23: error: 'packs.participants' names 'alla', which is not a "
                    "role in site.yaml — use one of: a",
                    "an unknown participants role is an error listing the roles");
  expect_site_error(SITE_HEAD "packs: {participants: a}\nroles:\n"
                              "  - {id: a, name: A, can: [handledning]}\n  - {id: b, name: B}\n",
                    "which has `can: [handledning]`",
                    "participants may not be a facilitating role");
  expect_site_error(SITE_HEAD "packs: {deltagare: a}\nroles:\n  - {id: a, name: A}\n",
                    "site.yaml:5:20: warning: unknown key 'deltagare' in packs",
                    "an unknown key under packs is reported");
  const char *pack = "---\nid: p\ntitle: P\naudience: [chef, medarbetare]\n"
                     "participants: %s\nagenda:\n  - intro: x\n---\n";
  char text[256];
  snprintf(text, sizeof text, pack, "medarbetare");
  diag *dg = diag_new();
  vk_doc *d = parse(text, "apt/p.md", s, dg);
  CHECK(d && diag_errors(dg) == 0 && d->participants && strcmp(d->participants, "medarbetare") == 0,
        "a pack's `participants:` is read");
  doc_free(d);
  diag_free(dg);
  snprintf(text, sizeof text, pack, "rektor");
  expect_error(s, text, "apt/p.md",
               "apt/p.md:5:15: error: 'participants' names 'rektor', which is not a role in "
               "site.yaml — use one of: chef, medarbetare",
               "a pack's unknown participants role: file:line:col and the roles");
  snprintf(text, sizeof text, pack, "chef");
  expect_error(s, text, "apt/p.md", "apt/p.md:5:15: error: 'participants' names 'chef', which has",
               "a pack's participants may not facilitate");
}

int main(void) {
  md_init();
  test_dates();
  diag *dg = diag_new();
  vk_site *s = site_parse(site_yaml, strlen(site_yaml), "site.yaml", dg);
  CHECK(s && diag_errors(dg) == 0, "test site parses");
  if (s) {
    test_routine(s);
    test_errors(s);
    test_capabilities(s);
    site_free(s);
  }
  diag_free(dg);
  return check_failures ? 1 : 0;
}
