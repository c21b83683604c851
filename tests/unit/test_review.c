/* test_review.c — review states at their boundaries, the content hash,
 * versions.lock (round trip, changed without a version bump, review marks),
 * reports, electoral terms (mandatperiod), valid_from, versions without Git. */
#include "../check.h"
#include "document.h"
#include "review.h"
#include "site.h"
#include "versions.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char site_yaml[] =
    "title: T\nbase_url: https://t/\norganisations:\n"
    "  - {id: kommunen, name: K}\n  - {id: social, name: S, parent: kommunen}\n"
    "roles:\n  - {id: chef, name: C, can: [handledning, granskning]}\n";

static vk_doc *routine(const vk_site *s, const char *fields, const char *body) {
  char *text = xasprintf("---\nid: r\ntitle: \"Rutin, med komma\"\nversion: \"1.0\"\n%s---\n%s",
                         fields, body);
  diag *dg = diag_new();
  vk_doc *d = document_from_text(text, strlen(text), "routines/r.md", "routines/r.md", s, dg);
  diag_free(dg);
  free(text);
  return d;
}

static vk_review_state state(const vk_site *s, const char *fields, const char *today,
                             vk_date *due) {
  vk_doc *d = routine(s, fields, "Text\n");
  vk_date t;
  date_parse(today, &t);
  vk_review_state st = d ? review_state(d, t, 60, due) : REVIEW_NONE;
  doc_free(d);
  return st;
}

int main(void) {
  diag *dg = diag_new();
  vk_site *s = site_parse(site_yaml, strlen(site_yaml), "site.yaml", dg);
  vk_date due;
  const char *a12 = "status: approved\napproved: 2025-11-24\nreview_interval: 12\n";
  CHECK(state(s, a12, "2026-11-24", &due) == REVIEW_DUE_SOON && due.y == 2026 && due.m == 11 &&
            due.d == 24,
        "due today is due soon, not overdue");
  CHECK(state(s, a12, "2026-11-25", &due) == REVIEW_OVERDUE,
        "one day after the due date is overdue");
  CHECK(state(s, a12, "2026-09-25", &due) == REVIEW_DUE_SOON, "60 days before is due soon");
  CHECK(state(s, a12, "2026-09-24", &due) == REVIEW_CURRENT, "61 days before is current");
  CHECK(state(s, "status: approved\napproved: 2025-01-01\nreview_by: 2027-01-01\n", "2026-11-24",
              &due) == REVIEW_DUE_SOON &&
            due.y == 2027,
        "review_by wins over the interval");
  CHECK(state(s, "status: approved\napproved: 2025-01-01\n", "2026-11-24", &due) == REVIEW_MISSING,
        "no interval and no review_by: missing");
  CHECK(state(s, "status: draft\n", "2026-11-24", &due) == REVIEW_NONE,
        "drafts have no review state");
  CHECK(strcmp(review_state_name(REVIEW_OVERDUE), "overdue") == 0 &&
            strcmp(review_state_name(REVIEW_DUE_SOON), "due-soon") == 0,
        "state names (the words readers see are the theme's review.<name> labels)");

  /* the hash follows the text, not the version */
  vk_doc *a = routine(s, a12, "Steg ett.\nSteg två.\n");
  vk_doc *b = routine(s, "status: approved\napproved: 2026-01-01\nreview_interval: 6\n",
                      "Steg ett.  \r\nSteg två.\r\n\r\n");
  vk_doc *c = routine(s, a12, "Steg ett.\nSteg tre.\n");
  unsigned char ha[32], hb[32], hc[32];
  review_hash(a, ha);
  review_hash(b, hb);
  review_hash(c, hc);
  CHECK(memcmp(ha, hb, 32) == 0, "same text, other review fields and line ends: same hash");
  CHECK(memcmp(ha, hc, 32) != 0, "changed text: another hash");

  /* lock round trip through a content folder */
  char dir[] = "/tmp/vaksam-review-XXXXXX";
  CHECK(mkdtemp(dir) != NULL, "temp dir");
  char *p = xasprintf("%s/site.yaml", dir);
  write_file(p, site_yaml, strlen(site_yaml));
  free(p);
  char *rd = xasprintf("%s/routines", dir);
  mkdir_p(rd);
  p = xasprintf("%s/r.md", rd);
  const char *doc1 = "---\nid: r\ntitle: R\nversion: \"1.0\"\nstatus: approved\napproved: "
                     "2026-01-01\nreview_interval: 12\norgs: [social]\n---\nText.\n";
  write_file(p, doc1, strlen(doc1));
  vk_content *ct = document_load(dir, NULL, dg);
  char *lockp = xasprintf("%s/versions.lock", dir);
  CHECK(ct && lock_write(ct, lockp, dg) == 0, "vaksam lock writes versions.lock");
  if (!ct)
    return 1;
  diag *d2 = diag_new();
  vk_lock *l = lock_load(lockp, d2);
  lock_check(l, ct, d2);
  CHECK(diag_errors(d2) == 0 && diag_warnings(d2) == 0, "a fresh lock matches its content");
  lock_free(l);
  diag_free(d2);
  content_free(ct);
  const char *doc2 = "---\nid: r\ntitle: R\nversion: \"1.0\"\nstatus: approved\napproved: "
                     "2026-01-01\nreview_interval: 12\norgs: [social]\n---\nNy text.\n";
  write_file(p, doc2, strlen(doc2));
  ct = document_load(dir, NULL, dg);
  if (!ct)
    return 1;
  d2 = diag_new();
  l = lock_load(lockp, d2);
  lock_check(l, ct, d2);
  char *msg = diag_text(d2);
  CHECK(diag_errors(d2) == 1 &&
            strstr(msg,
                   "routines/r.md:1:1: error: the text of 'r' changed but its version 1.0 did not"),
        "changed text without a version bump is an error naming the file");
  free(msg);
  lock_free(l);
  diag_free(d2);

  /* reports: one row per routine and organisation it applies to, RFC 4180 CSV */
  vk_date today = {2026, 11, 24};
  char *csv = review_report_csv(ct, today, 60);
  CHECK(strstr(csv, "id,organisation,title,") == csv, "CSV header row");
  CHECK(strstr(csv, "\r\nr,social,R,1.0,approved,2026-01-01,,,,2027-01-01,due-soon,social,,"
                    "routines/r.md,,,,\r\n") != NULL,
        "one row per organisation the routine applies to");
  CHECK(strstr(csv, "r,kommunen,") == NULL, "no row for an organisation it does not apply to");
  free(csv);
  char *json = review_report_json(ct, today, 60);
  CHECK(strstr(json, "\"state\": \"due-soon\"") || strstr(json, "\"state\":\"due-soon\""),
        "JSON report has the state");
  free(json);
  content_free(ct);

  /* a title with a comma and quotes is quoted in CSV */
  vk_content fake = {0};
  fake.site = s;
  vk_doc *q = routine(s, "status: approved\napproved: 2026-01-01\nreview_interval: 12\n", "x\n");
  free(q->title);
  q->title = xstrdup("Hot, \"våld\"");
  fake.docs = &q;
  fake.n_docs = 1;
  csv = review_report_csv(&fake, today, 60);
  CHECK(strstr(csv, ",\"Hot, \"\"våld\"\"\",") != NULL, "CSV quotes commas and doubles quotes");
  free(csv);
  doc_free(q);

  /* lock parser errors */
  d2 = diag_new();
  l = lock_parse("# c\nr 1.0 zz\n", 12, "versions.lock", d2);
  msg = diag_text(d2);
  CHECK(strstr(msg, "versions.lock:2:7: error: the hash must be 64 hexadecimal") != NULL,
        "a bad hash names line and column");
  free(msg);
  lock_free(l);
  diag_free(d2);

  /* review marks in the lock */
  static const char marked[] = "r 1.0 "
                               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                               " reviewed 2026-05-04 Eva  Ek \n";
  d2 = diag_new();
  l = lock_parse(marked, strlen(marked), "versions.lock", d2);
  vk_doc *m = routine(s, "status: approved\napproved: 2026-01-01\nreview_interval: 12\n", "x\n");
  vk_content one = {0};
  one.site = s;
  one.docs = &m;
  one.n_docs = 1;
  lock_apply_marks(l, &one);
  CHECK(diag_errors(d2) == 0 && m->reviewed.y == 2026 && m->reviewed.m == 5 && m->reviewed.d == 4 &&
            strcmp(m->reviewed_by, "Eva  Ek") == 0,
        "a lock line's review mark: date and the rest of the line as the name");
  CHECK(review_state(m, (vk_date){2027, 3, 1}, 60, &due) == REVIEW_CURRENT && due.y == 2027 &&
            due.m == 5 && due.d == 4,
        "a review mark resets the review clock");
  lock_free(l);
  diag_free(d2);
  doc_free(m);
  d2 = diag_new();
  static const char bad_mark[] =
      "r 1.0 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "
      "reviewed 2026-13-01 X\n";
  l = lock_parse(bad_mark, strlen(bad_mark), "versions.lock", d2);
  msg = diag_text(d2);
  CHECK(strstr(msg, "versions.lock:1:72: error: after the hash") != NULL,
        "a malformed review mark names line and column");
  free(msg);
  lock_free(l);
  diag_free(d2);

  /* electoral terms: 15 October of 2022, 2026, 2030 … */
  vk_date t1 = term_start((vk_date){2026, 10, 14}), t2 = term_start((vk_date){2026, 10, 15});
  CHECK(t1.y == 2022 && t1.m == 10 && t1.d == 15 && t2.y == 2026,
        "the term of 2026 starts on 15 October 2026");
  vk_date u1 = term_review_due((vk_date){2026, 10, 14}),
          u2 = term_review_due((vk_date){2026, 10, 15});
  CHECK(u1.y == 2030 && u1.m == 10 && u1.d == 14 && u2.y == 2034 && u2.m == 10 && u2.d == 14,
        "mandatperiod: due by the end of the term after the one of the review");
  CHECK(term_start((vk_date){2019, 1, 1}).y == 2018 && term_start((vk_date){2031, 1, 1}).y == 2030,
        "terms before and after the anchor year");
  CHECK(state(s, "status: approved\napproved: 2023-03-01\nreview_interval: mandatperiod\n",
              "2030-09-01", &due) == REVIEW_DUE_SOON &&
            due.y == 2030 && due.m == 10 && due.d == 14,
        "review_interval: mandatperiod in front matter");

  /* valid_from moves the review clock */
  CHECK(
      state(s,
            "status: approved\napproved: 2026-01-01\nvalid_from: 2026-07-01\nreview_interval: 12\n",
            "2027-02-01", &due) == REVIEW_CURRENT &&
          due.y == 2027 && due.m == 7 && due.d == 1,
      "review dates count from valid_from");

  /* without Git: versions from the changes entries */
  vk_doc *v = routine(s,
                      "status: approved\napproved: 2026-01-01\nreview_interval: 12\n"
                      "changes:\n  - {date: 2026-01-01, version: \"1.0\", text: Ny}\n"
                      "  - {date: 2025-01-01, version: \"0.9\", text: Gammal}\n",
                      "x\n");
  versions_derive(v, NULL, 0, s, NULL, dg);
  CHECK(v->n_versions == 2 && strcmp(v->versions[0].version, "0.9") == 0 &&
            strcmp(v->versions[1].version, "1.0") == 0 && v->versions[1].review_interval == 12,
        "versions from `changes:` oldest first, the current one with its fields");
  doc_free(v);

  rm_rf(dir);
  free(p);
  free(rd);
  free(lockp);
  doc_free(a);
  doc_free(b);
  doc_free(c);
  site_free(s);
  diag_free(dg);
  return check_failures ? 1 : 0;
}
