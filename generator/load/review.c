/* review.c — see review.h. */
#include "review.h"
#include "versions.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *review_state_name(vk_review_state s) {
  static const char *const names[] = {"none", "current", "due-soon", "overdue", "missing"};
  return names[s];
}

vk_review_state review_state(const vk_doc *d, vk_date today, int due_soon_days, vk_date *due_out) {
  vk_date none = {0, 0, 0};
  *due_out = none;
  if (d->kind != KIND_ROUTINE || d->status != STATUS_APPROVED)
    return REVIEW_NONE;
  /* the clock starts at approval, or when the version applies, or at the
   * last review without change, whichever is latest */
  vk_date base = d->approved;
  if (date_cmp(d->valid_from, base) > 0)
    base = d->valid_from;
  bool marked = date_set(d->reviewed) && date_cmp(d->reviewed, base) > 0;
  if (marked)
    base = d->reviewed;
  if (date_set(d->review_by) && !(marked && (d->review_interval > 0 || d->review_term)))
    *due_out = d->review_by;
  else if (date_set(base) && d->review_term)
    *due_out = term_review_due(base);
  else if (date_set(base) && d->review_interval > 0)
    *due_out = date_add_months(base, d->review_interval);
  else
    return REVIEW_MISSING;
  long left = date_days(*due_out) - date_days(today);
  if (left < 0)
    return REVIEW_OVERDUE;
  if (left <= due_soon_days)
    return REVIEW_DUE_SOON;
  return REVIEW_CURRENT;
}

/* ---- hash -------------------------------------------------------------- */

/* The hashed text: NUL-separated field names and values, then the body. */
static void hash_field(sbuf *h, const char *name, const char *value) {
  sbuf_putn(h, name, strlen(name) + 1);
  if (value)
    sbuf_puts(h, value);
  sbuf_putc(h, '\n');
}

static void hash_list(sbuf *h, const char *name, const vec *v) {
  sbuf_putn(h, name, strlen(name) + 1);
  for (size_t i = 0; i < v->n; i++) {
    sbuf_puts(h, v->items[i]);
    sbuf_putc(h, ',');
  }
  sbuf_putc(h, '\n');
}

/* CRLF and CR become LF, trailing spaces go, trailing blank lines go: an
 * editor's re-save is not a change of content. */
static void hash_body(sbuf *h, const char *s, size_t len) {
  sbuf_putn(h, "body", 5);
  size_t start = h->len, line_start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || s[i] == '\n' || s[i] == '\r') {
      size_t end = i;
      while (end > line_start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
      sbuf_putn(h, s + line_start, end - line_start);
      sbuf_putc(h, '\n');
      if (i < len && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
        i++;
      line_start = i + 1;
    }
  }
  while (h->len > start && h->s[h->len - 1] == '\n')
    h->len--;
}

void review_hash(const vk_doc *d, unsigned char out[32]) {
  sbuf h = {0};
  hash_field(&h, "title", d->title);
  hash_field(&h, "summary", d->summary);
  hash_list(&h, "orgs", &d->orgs);
  hash_list(&h, "roles", &d->roles);
  hash_body(&h, d->body ? d->body : "", d->body_len);
  SHA256((const unsigned char *)sbuf_str(&h), h.len, out);
  sbuf_free(&h);
}

static void hex(const unsigned char h[32], char out[65]) {
  for (int i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* ---- lock file --------------------------------------------------------- */

typedef struct {
  char *id, *version;
  char hash[65];
  int line;
  vk_date reviewed; /* a review without change of this version, or unset */
  char *reviewed_by;
} lock_entry;

struct vk_lock {
  bool exists; /* false: no versions.lock yet, nothing is tracked */
  char *file;
  lock_entry *e;
  size_t n;
};

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const lock_entry *)a)->id, ((const lock_entry *)b)->id);
}

static bool is_hex64(const char *s, size_t n) {
  if (n != 64)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* The reviewer's name: the rest of the line, trimmed; NULL when empty. */
static char *mark_name(const char *rest) {
  if (!rest)
    return NULL;
  while (*rest == ' ' || *rest == '\t')
    rest++;
  size_t n = strlen(rest);
  while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t' || rest[n - 1] == '\r'))
    n--;
  return n ? xstrndup(rest, n) : NULL;
}

/* One line: `id version sha256hex`, optionally followed by a review mark
 * `reviewed YYYY-MM-DD Name of reviewer`; # starts a comment. */
vk_lock *lock_parse(const char *text, size_t len, const char *file, diag *dg) {
  vk_lock *l = xcalloc(1, sizeof *l);
  l->exists = true;
  l->file = xstrdup(file);
  size_t cap = 0;
  int line = 0;
  for (size_t pos = 0; pos < len;) {
    const char *s = text + pos;
    const char *nl = memchr(s, '\n', len - pos);
    size_t ll = nl ? (size_t)(nl - s) : len - pos;
    pos += ll + 1;
    line++;
    char *buf = xstrndup(s, ll);
    char *fields[5] = {0}, *rest = NULL;
    int nf = 0;
    size_t col[5] = {0};
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
      col[nf] = (size_t)(t - buf) + 1;
      fields[nf++] = t;
      if (nf == 5) { /* the rest of the line is the reviewer's name */
        rest = save;
        break;
      }
    }
    if (nf == 0 || fields[0][0] == '#') {
      free(buf);
      continue;
    }
    vk_date reviewed = {0, 0, 0};
    char *by = nf == 5 ? mark_name(rest) : NULL;
    bool mark_ok =
        nf == 5 && strcmp(fields[3], "reviewed") == 0 && date_parse(fields[4], &reviewed) && by;
    if (nf > 3 && !mark_ok) {
      diag_error(dg, file, line, (int)col[3],
                 "after the hash a line of versions.lock may only hold `reviewed YYYY-MM-DD "
                 "Name` — run `vaksam review --mark` again or `vaksam lock`");
      free(by);
    } else if (nf != 3 && nf != 5) {
      diag_error(
          dg, file, line, (int)col[0],
          "a line of versions.lock needs three fields: id, version, hash — run `vaksam lock` "
          "to rewrite the file");
    } else if (!is_hex64(fields[2], strlen(fields[2]))) {
      diag_error(
          dg, file, line, (int)col[2],
          "the hash must be 64 hexadecimal characters — run `vaksam lock` to rewrite the file");
    } else {
      if (l->n == cap) {
        cap = cap ? cap * 2 : 32;
        l->e = xrealloc(l->e, cap * sizeof *l->e);
      }
      lock_entry *e = &l->e[l->n++];
      e->id = xstrdup(fields[0]);
      e->version = xstrdup(fields[1]);
      memcpy(e->hash, fields[2], 65);
      e->line = line;
      e->reviewed = reviewed;
      e->reviewed_by = by;
      by = NULL;
    }
    if (mark_ok)
      free(by);
    free(buf);
  }
  vk_sort(l->e, l->n, sizeof *l->e, cmp_entry);
  for (size_t i = 1; i < l->n; i++)
    if (strcmp(l->e[i].id, l->e[i - 1].id) == 0)
      diag_error(dg, file, l->e[i].line, 1,
                 "'%s' is listed twice (also on line %d) — run `vaksam lock`", l->e[i].id,
                 l->e[i - 1].line);
  return l;
}

vk_lock *lock_load(const char *path, diag *dg) {
  size_t len = 0;
  char *text = read_file(path, &len);
  vk_lock *l = lock_parse(text ? text : "", text ? len : 0, path, dg);
  l->exists = text != NULL;
  free(text);
  return l;
}

void lock_free(vk_lock *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->e[i].id);
    free(l->e[i].version);
    free(l->e[i].reviewed_by);
  }
  free(l->e);
  free(l->file);
  free(l);
}

static const lock_entry *lock_find(const vk_lock *l, const char *id) {
  if (!l)
    return NULL;
  lock_entry key = {.id = (char *)id};
  return vk_bsearch(&key, l->e, l->n, sizeof *l->e, cmp_entry);
}

/* Compares dotted versions numerically ("1.10" > "1.9"); -1, 0, 1. */
static int version_cmp(const char *a, const char *b) {
  while (*a || *b) {
    char *ea, *eb;
    long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
    if (ea == a || eb == b) /* not numeric: plain text order */
      return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
    if (x != y)
      return x < y ? -1 : 1;
    a = *ea == '.' ? ea + 1 : ea;
    b = *eb == '.' ? eb + 1 : eb;
    if (!*ea && !*eb)
      return 0;
  }
  return 0;
}

/* " (with its included delar/a.md, delar/b.md)" for a routine with
 * includes (a change there is a change of its text), else "". */
static char *included_files(const vk_doc *d) {
  if (!d->includes.n)
    return xstrdup("");
  sbuf b = {0};
  sbuf_puts(&b, " (with its included ");
  for (size_t i = 0; i < d->includes.n; i++)
    sbuf_printf(&b, "%s%s", i ? ", " : "", (const char *)d->includes.items[i]);
  sbuf_putc(&b, ')');
  return sbuf_take(&b);
}

void lock_check(const vk_lock *l, const vk_content *c, diag *dg) {
  if (!l->exists) {
    diag_warn(
        dg, l->file, 0, 0,
        "there is no versions.lock, so changes to routines are not tracked — run `vaksam lock`");
    return;
  }
  vk_doc **docs;
  size_t n = content_of_kind(c, KIND_ROUTINE, &docs);
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = docs[i];
    const lock_entry *e = lock_find(l, d->id);
    if (!e) {
      /* a draft may wait; an approved routine must be recorded */
      if (d->status == STATUS_DRAFT)
        diag_warn(dg, d->srcpath, 1, 1,
                  "draft '%s' is not in versions.lock yet — run `vaksam lock`", d->id);
      else
        diag_error(dg, d->srcpath, 1, 1, "routine '%s' is not in versions.lock — run `vaksam lock`",
                   d->id);
      continue;
    }
    unsigned char h[32];
    char hx[65];
    review_hash(d, h);
    hex(h, hx);
    bool same_text = strcmp(hx, e->hash) == 0;
    int vc = d->version ? version_cmp(d->version, e->version) : 0;
    if (vc < 0)
      diag_error(dg, d->srcpath, 1, 1,
                 "version %s of '%s' is lower than the recorded %s — versions only go up",
                 d->version, d->id, e->version);
    else if (!same_text && vc == 0) {
      char *inc = included_files(d);
      diag_error(dg, d->srcpath, 1, 1,
                 "the text of '%s'%s changed but its version %s did not — raise `version` (and "
                 "record the change), then run `vaksam lock`",
                 d->id, inc, d->version);
      free(inc);
    } else if (vc > 0)
      diag_warn(dg, d->srcpath, 1, 1,
                "version %s of '%s' is not recorded (versions.lock has %s) — run `vaksam lock`",
                d->version ? d->version : "?", d->id, e->version);
  }
  for (size_t i = 0; i < l->n; i++) {
    const vk_doc *d = content_find(c, l->e[i].id);
    if (!d || d->kind != KIND_ROUTINE)
      diag_warn(dg, l->file, l->e[i].line, 1,
                "'%s' is in versions.lock but there is no such routine — run `vaksam lock`",
                l->e[i].id);
  }
}

static const char lock_head[] =
    "# versions.lock — written by `vaksam lock`; do not edit by hand.\n"
    "# One routine per line: id, version, SHA-256 of its text[, reviewed DATE NAME].\n";

static void lock_line(sbuf *b, const char *id, const char *version, const char *hash,
                      vk_date reviewed, const char *by) {
  sbuf_printf(b, "%s %s %s", id, version, hash);
  if (date_set(reviewed) && by) {
    char ds[11];
    date_format(reviewed, ds);
    sbuf_printf(b, " reviewed %s %s", ds, by);
  }
  sbuf_putc(b, '\n');
}

static int lock_put(const char *path, const sbuf *b, diag *dg) {
  char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
  int rc = write_file(tmp, sbuf_str(b), b->len);
  if (rc == 0 && rename(tmp, path) != 0)
    rc = -1;
  if (rc != 0) {
    diag_error(dg, path, 0, 0, "cannot write versions.lock — check the folder's permissions");
    unlink(tmp);
  }
  free(tmp);
  return rc;
}

/* The previous lock at path, read quietly (it is about to be replaced). */
static vk_lock *lock_previous(const char *path) {
  diag *scratch = diag_new();
  vk_lock *l = lock_load(path, scratch);
  diag_free(scratch);
  return l;
}

int lock_write(const vk_content *c, const char *path, diag *dg) {
  vk_lock *prev = lock_previous(path);
  sbuf b = {0};
  sbuf_puts(&b, lock_head);
  vk_doc **docs;
  size_t n = content_of_kind(c, KIND_ROUTINE, &docs);
  for (size_t i = 0; i < n; i++) {
    unsigned char h[32];
    char hx[65];
    review_hash(docs[i], h);
    hex(h, hx);
    const char *version = docs[i]->version ? docs[i]->version : "0";
    /* a review mark stays with the version it was made for */
    const lock_entry *e = lock_find(prev, docs[i]->id);
    bool keep = e && strcmp(e->version, version) == 0 && strcmp(e->hash, hx) == 0;
    vk_date none = {0, 0, 0};
    lock_line(&b, docs[i]->id, version, hx, keep ? e->reviewed : none,
              keep ? e->reviewed_by : NULL);
  }
  lock_free(prev);
  int rc = lock_put(path, &b, dg);
  sbuf_free(&b);
  return rc;
}

int lock_mark(const vk_content *c, const char *path, const char *id, const char *by, vk_date date,
              diag *dg) {
  const vk_doc *d = content_find(c, id);
  if (!d || d->kind != KIND_ROUTINE) {
    diag_error(dg, NULL, 0, 0, "there is no routine '%s' — give the id of a routine", id);
    return 1;
  }
  if (d->status != STATUS_APPROVED) {
    diag_error(dg, d->srcpath, 1, 1,
               "'%s' is not approved — only an approved routine can be reviewed without change",
               id);
    return 1;
  }
  vk_lock *l = lock_load(path, dg);
  if (diag_errors(dg)) {
    lock_free(l);
    return 1;
  }
  lock_entry *e = (lock_entry *)lock_find(l, id);
  unsigned char h[32];
  char hx[65];
  review_hash(d, h);
  hex(h, hx);
  int rc = 1;
  if (!e)
    diag_error(dg, d->srcpath, 1, 1, "'%s' is not in versions.lock — run `vaksam lock` first", id);
  else if (strcmp(e->hash, hx) != 0 || !d->version || strcmp(e->version, d->version) != 0)
    diag_error(dg, d->srcpath, 1, 1,
               "'%s' changed since versions.lock was written, so it was not left unchanged — "
               "raise its version and run `vaksam lock`, or undo the change",
               id);
  else {
    free(e->reviewed_by);
    e->reviewed_by = xstrdup(by);
    e->reviewed = date;
    sbuf b = {0};
    sbuf_puts(&b, lock_head);
    for (size_t i = 0; i < l->n; i++) /* every other line as it was: the lock still
                                       * catches their changes */
      lock_line(&b, l->e[i].id, l->e[i].version, l->e[i].hash, l->e[i].reviewed,
                l->e[i].reviewed_by);
    rc = lock_put(path, &b, dg) == 0 ? 0 : 2;
    sbuf_free(&b);
  }
  lock_free(l);
  return rc;
}

void lock_apply_marks(const vk_lock *l, vk_content *c) {
  for (size_t i = 0; i < c->n_docs; i++) {
    vk_doc *d = c->docs[i];
    const lock_entry *e = d->kind == KIND_ROUTINE ? lock_find(l, d->id) : NULL;
    if (!e || !date_set(e->reviewed) || !d->version || strcmp(e->version, d->version) != 0)
      continue;
    d->reviewed = e->reviewed;
    free(d->reviewed_by);
    d->reviewed_by = xstrdup(e->reviewed_by);
  }
}

void review_load_marks(vk_content *c) {
  char *path = path_join(c->dir, "versions.lock");
  vk_lock *l = lock_previous(path);
  lock_apply_marks(l, c);
  lock_free(l);
  free(path);
}

/* ---- reports ----------------------------------------------------------- */

typedef struct {
  const vk_doc *doc;
  const vk_org *org;
  vk_review_state state;
  vk_date due;
} report_row;

/* One row per routine and organisation it applies to, by id then org. */
static report_row *report_rows(const vk_content *c, vk_date today, int due_soon, size_t *n_out) {
  vk_doc **docs;
  size_t n = content_of_kind(c, KIND_ROUTINE, &docs);
  report_row *rows = xcalloc(n * (c->site->n_orgs + 1) + 1, sizeof *rows);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    vk_date due;
    vk_review_state st = review_state(docs[i], today, due_soon, &due);
    for (size_t o = 0; o < c->site->n_orgs; o++)
      if (doc_applies(docs[i], c->site, c->site->orgs[o], NULL))
        rows[k++] = (report_row){docs[i], c->site->orgs[o], st, due};
  }
  *n_out = k;
  return rows;
}

static vk_value *strs(const vec *v) {
  vk_value *l = vk_list();
  for (size_t i = 0; i < v->n; i++)
    vk_list_push(l, vk_str(v->items[i]));
  return l;
}

static void put_s(vk_value *m, const char *k, const char *v) {
  vk_map_set(m, k, v ? vk_str(v) : vk_null());
}

static void put_date(vk_value *m, const char *k, vk_date d) {
  char s[11];
  date_format(d, s);
  vk_map_set(m, k, s[0] ? vk_str(s) : vk_null());
}

/* The approved versions, oldest first, as auditors ask for them. */
static vk_value *versions_json(const vk_doc *d) {
  vk_value *l = vk_list();
  for (size_t i = 0; i < d->n_versions; i++) {
    const vk_version *v = &d->versions[i];
    vk_value *m = vk_map();
    put_s(m, "version", v->version);
    put_date(m, "approved", v->approved);
    put_s(m, "approved_by", v->approved_by);
    put_s(m, "reference", v->reference);
    put_date(m, "valid_from", v->valid_from);
    put_s(m, "owner", v->owner);
    put_date(m, "recorded", v->date);
    vk_list_push(l, m);
  }
  return l;
}

/* "1.0 2024-01-10 KS; 1.1 …": version, approval date and approver per version. */
static char *versions_csv(const vk_doc *d) {
  sbuf b = {0};
  for (size_t i = 0; i < d->n_versions; i++) {
    const vk_version *v = &d->versions[i];
    char ds[11];
    date_format(v->approved, ds);
    sbuf_printf(&b, "%s%s %s", i ? "; " : "", v->version ? v->version : "?", ds[0] ? ds : "-");
    if (v->approved_by)
      sbuf_printf(&b, " %s", v->approved_by);
    if (v->reference)
      sbuf_printf(&b, " (%s)", v->reference);
  }
  return sbuf_take(&b);
}

char *review_report_json(const vk_content *c, vk_date today, int due_soon_days) {
  size_t n;
  report_row *rows = report_rows(c, today, due_soon_days, &n);
  vk_value *root = vk_map();
  put_date(root, "today", today);
  vk_value *list = vk_list();
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = rows[i].doc;
    vk_value *m = vk_map();
    put_s(m, "id", d->id);
    put_s(m, "organisation", rows[i].org->id);
    put_s(m, "title", d->title);
    put_s(m, "version", d->version);
    put_s(m, "status", status_name(d->status));
    put_date(m, "approved", d->approved);
    put_s(m, "approved_by", d->approved_by);
    put_s(m, "reference", d->reference);
    put_s(m, "owner", d->owner);
    put_date(m, "review_due", rows[i].due);
    put_s(m, "state", review_state_name(rows[i].state));
    vk_map_set(m, "orgs", strs(&d->orgs));
    vk_map_set(m, "roles", strs(&d->roles));
    put_s(m, "path", d->path);
    put_date(m, "valid_from", d->valid_from);
    put_s(m, "review_interval", d->review_term ? "mandatperiod" : NULL);
    if (!d->review_term && d->review_interval)
      vk_map_set(m, "review_interval", vk_int(d->review_interval));
    put_date(m, "reviewed", d->reviewed);
    put_s(m, "reviewed_by", d->reviewed_by);
    vk_map_set(m, "versions", versions_json(d));
    vk_list_push(list, m);
  }
  vk_map_set(root, "routines", list);
  char *json = vk_to_json(root, true);
  vk_value_free(root);
  free(rows);
  return json;
}

static char *joined(const vec *v) {
  sbuf b = {0};
  for (size_t i = 0; i < v->n; i++) {
    if (i)
      sbuf_putc(&b, ' ');
    sbuf_puts(&b, v->items[i]);
  }
  return sbuf_take(&b);
}

char *review_report_csv(const vk_content *c, vk_date today, int due_soon_days) {
  size_t n;
  report_row *rows = report_rows(c, today, due_soon_days, &n);
  sbuf b = {0};
  sbuf_puts(&b, "id,organisation,title,version,status,approved,approved_by,reference,owner,"
                "review_due,state,orgs,roles,path,valid_from,reviewed,reviewed_by,versions\r\n");
  for (size_t i = 0; i < n; i++) {
    const vk_doc *d = rows[i].doc;
    char approved[11], due[11], valid[11], reviewed[11];
    date_format(d->approved, approved);
    date_format(rows[i].due, due);
    date_format(d->valid_from, valid);
    date_format(d->reviewed, reviewed);
    char *orgs = joined(&d->orgs), *roles = joined(&d->roles), *versions = versions_csv(d);
    const char *fields[] = {d->id,
                            rows[i].org->id,
                            d->title,
                            d->version,
                            status_name(d->status),
                            approved,
                            d->approved_by,
                            d->reference,
                            d->owner,
                            due,
                            review_state_name(rows[i].state),
                            orgs,
                            roles,
                            d->path,
                            valid,
                            reviewed,
                            d->reviewed_by,
                            versions};
    size_t nf = sizeof fields / sizeof *fields;
    for (size_t f = 0; f < nf; f++)
      sbuf_csv_field(&b, fields[f], f + 1 == nf);
    free(orgs);
    free(roles);
    free(versions);
  }
  free(rows);
  return sbuf_take(&b);
}
