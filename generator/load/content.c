/* content.c — see content.h.
 *
 * Reading order: kind tables and dates, front matter splitting, per-kind
 * field validation (doc_parse), then the whole-tree checks of content_load
 * (duplicate ids, references, links).
 */
#include "content.h"
#include "versions.h"
#include "image.h"
#include "include.h"
#include "requirements.h"
#include "safepath.h"
#include "yamlval.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Larger documents are refused: nobody writes a 4 MB routine by hand, and a
 * cap keeps a stray generated file from stalling the build. */
#define MAX_DOC_BYTES (4u << 20)

/* ---- kinds ------------------------------------------------------------ */

static const struct {
  const char *name, *folder, *slug;
} kinds[KIND_COUNT] = {
    [KIND_ROUTINE] = {"routine", "routines", "rutiner"},
    [KIND_CASE] = {"case", "cases", "fall"},
    [KIND_DEFINITION] = {"definition", "definitions", "begrepp"},
    [KIND_CHECKLIST] = {"checklist", "checklists", "checklistor"},
    [KIND_PACK] = {"pack", "apt", "apt"},
};

const char *kind_name(vk_kind k) {
  return kinds[k].name;
}
const char *kind_folder(vk_kind k) {
  return kinds[k].folder;
}
const char *kind_slug(vk_kind k) {
  return kinds[k].slug;
}

const char *status_name(vk_status s) {
  switch (s) {
  case STATUS_DRAFT: return "draft";
  case STATUS_APPROVED: return "approved";
  case STATUS_RETIRED: return "retired";
  default: return "";
  }
}

/* ---- dates ------------------------------------------------------------ */

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dm[m - 1];
}

bool date_parse(const char *s, vk_date *out) {
  int y, m, d;
  char tail;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return false;
  out->y = y;
  out->m = m;
  out->d = d;
  return true;
}

bool date_set(vk_date d) {
  return d.y != 0;
}

int date_cmp(vk_date a, vk_date b) {
  if (a.y != b.y)
    return a.y < b.y ? -1 : 1;
  if (a.m != b.m)
    return a.m < b.m ? -1 : 1;
  return a.d < b.d ? -1 : a.d > b.d;
}

vk_date date_add_months(vk_date d, int months) {
  int total = d.y * 12 + (d.m - 1) + months;
  vk_date r = {total / 12, total % 12 + 1, d.d};
  int dim = days_in_month(r.y, r.m);
  if (r.d > dim) /* 31 Jan + 1 month = 28/29 Feb, as people count */
    r.d = dim;
  return r;
}

/* Days from civil date (Howard Hinnant's algorithm): exact for the proleptic
 * Gregorian calendar, no time zones involved. */
long date_days(vk_date d) {
  int y = d.y - (d.m <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_format(vk_date d, char out[11]) {
  if (!date_set(d)) {
    out[0] = 0;
    return;
  }
  /* "%04u-%02u-%02u", written out: pages print dates by the thousand */
  unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, day = (unsigned)d.d % 100u;
  const unsigned parts[] = {y / 100, y % 100, m, day};
  char *o = out;
  for (int i = 0; i < 4; i++) {
    if (i > 1)
      *o++ = '-';
    *o++ = (char)('0' + parts[i] / 10);
    *o++ = (char)('0' + parts[i] % 10);
  }
  *o = 0;
}

vk_date date_today(const char *override) {
  vk_date d = {0, 0, 0};
  if (override && date_parse(override, &d))
    return d;
  time_t t = time(NULL);
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  if (epoch && *epoch)
    t = (time_t)strtoll(epoch, NULL, 10);
  struct tm tm;
  gmtime_r(&t, &tm);
  d.y = tm.tm_year + 1900;
  d.m = tm.tm_mon + 1;
  d.d = tm.tm_mday;
  return d;
}

/* ---- front matter ----------------------------------------------------- */

/* Line and column (1-based, columns in bytes) of an offset. */
static void offset_position(const char *text, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  *line = l;
  *col = c;
}

static bool is_fence_line(const char *p, const char *end, const char *fence) {
  size_t n = strlen(fence);
  if ((size_t)(end - p) < n || memcmp(p, fence, n) != 0)
    return false;
  p += n;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p == end || *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

static const char *next_line(const char *p, const char *end) {
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  return nl ? nl + 1 : end;
}

/* Splits `---\n yaml \n---\n body`. Sets yaml/body ranges and the body's
 * first line. Returns false (after reporting) when there is no front matter. */
static bool split_front_matter(const char *text, size_t len, const char *file, diag *dg,
                               const char **yaml, size_t *yaml_len, const char **body,
                               int *body_line) {
  const char *end = text + len;
  if (!is_fence_line(text, end, "---")) {
    diag_error(dg, file, 1, 1,
               "the document does not start with front matter — begin it with a line `---`, "
               "the YAML fields (id, title, …) and another `---`");
    return false;
  }
  const char *p = next_line(text, end);
  *yaml = p;
  int line = 2;
  while (p < end) {
    if (is_fence_line(p, end, "---") || is_fence_line(p, end, "...")) {
      *yaml_len = (size_t)(p - *yaml);
      *body = next_line(p, end);
      *body_line = line + 1;
      return true;
    }
    p = next_line(p, end);
    line++;
  }
  diag_error(dg, file, 1, 1,
             "the front matter is not closed — add a line `---` after the last field");
  return false;
}

/* ---- field readers ---------------------------------------------------- */

typedef struct {
  const vk_value *meta;
  const char *file;
  diag *dg;
} fields;

static vk_value *field(const fields *f, const char *key) {
  vk_value *v = vk_map_get(f->meta, key);
  return v && v->type != VK_NULL ? v : NULL;
}

static char *field_string(const fields *f, const char *key, bool required) {
  return yv_string(f->meta, key, required, f->file, f->dg);
}

/* Reads a list of ids; a single string is accepted as a one-item list. */
static void field_ids(const fields *f, const char *key, vec *out) {
  vk_value *v = field(f, key);
  if (!v)
    return;
  if (v->type == VK_STRING) {
    vec_push(out, xstrdup(v->u.str.s));
    return;
  }
  if (v->type != VK_LIST) {
    diag_error(f->dg, f->file, v->line, v->col,
               "'%s' must be a list of ids — write `%s: [id1, id2]`", key, key);
    return;
  }
  for (size_t i = 0; i < v->u.list.n; i++) {
    vk_value *it = v->u.list.items[i];
    if (it->type != VK_STRING || !yv_valid_id(it->u.str.s)) {
      diag_error(f->dg, f->file, it->line, it->col,
                 "'%s' holds something that is not an id — ids use a–z, 0–9 and '-'", key);
      continue;
    }
    vec_push(out, xstrdup(it->u.str.s));
  }
}

/* Reads a list of short texts (requirement ids, tags); a single text is
 * accepted as a one-item list. `example` shows the right form. */
static void field_texts(const fields *f, const char *key, vec *out, const char *example) {
  vk_value *v = field(f, key);
  if (!v)
    return;
  if (v->type == VK_STRING || v->type == VK_INT) {
    vec_push(out,
             v->type == VK_STRING ? xstrdup(v->u.str.s) : xasprintf("%lld", (long long)v->u.i));
    return;
  }
  if (v->type != VK_LIST) {
    diag_error(f->dg, f->file, v->line, v->col, "'%s' must be a list — write `%s`", key, example);
    return;
  }
  for (size_t i = 0; i < v->u.list.n; i++) {
    vk_value *it = v->u.list.items[i];
    if (it->type != VK_STRING || !it->u.str.s[0] || strchr(it->u.str.s, '\n')) {
      diag_error(f->dg, f->file, it->line, it->col,
                 "'%s' holds something that is not a short text — write `%s`", key, example);
      continue;
    }
    vec_push(out, xstrdup(it->u.str.s));
  }
}

/* Two tags that read the same in a URL ("Hembesök", "hembesok") are one. */
static void dedupe_tags(vec *tags) {
  size_t kept = 0;
  for (size_t i = 0; i < tags->n; i++) {
    char *si = slugify(tags->items[i]);
    bool dup = !*si;
    for (size_t k = 0; k < kept && !dup; k++) {
      char *sk = slugify(tags->items[k]);
      dup = strcmp(si, sk) == 0;
      free(sk);
    }
    free(si);
    if (dup)
      free(tags->items[i]);
    else
      tags->items[kept++] = tags->items[i];
  }
  tags->n = kept;
}

static vk_date field_date(const fields *f, const char *key, bool required) {
  vk_date d = {0, 0, 0};
  vk_value *v = field(f, key);
  if (!v) {
    if (required)
      diag_error(f->dg, f->file, f->meta->line, f->meta->col,
                 "missing required key '%s' — add `%s: YYYY-MM-DD`", key, key);
    return d;
  }
  if (v->type != VK_STRING || !date_parse(v->u.str.s, &d))
    diag_error(f->dg, f->file, v->line, v->col,
               "'%s' is not a valid date — write it as YYYY-MM-DD, e.g. 2025-03-14", key);
  return d;
}

static int field_int(const fields *f, const char *key, int min, int max) {
  vk_value *v = field(f, key);
  if (!v)
    return 0;
  if (v->type != VK_INT || v->u.i < min || v->u.i > max) {
    diag_error(f->dg, f->file, v->line, v->col,
               "'%s' must be a whole number from %d to %d — e.g. `%s: %d`", key, min, max, key,
               min > 12 ? min : 12);
    return 0;
  }
  return (int)v->u.i;
}

static bool field_bool(const fields *f, const char *key) {
  vk_value *v = field(f, key);
  if (!v)
    return false;
  if (v->type != VK_BOOL) {
    diag_error(f->dg, f->file, v->line, v->col, "'%s' must be true or false", key);
    return false;
  }
  return v->u.b;
}

/* ---- per kind --------------------------------------------------------- */

static const char *const common_keys[] = {"id",   "title", "summary", "orgs",    "roles", "related",
                                          "type", "draft", "tags",    "answers", NULL};

static void check_kind_keys(const fields *f, const char *const *own, vk_kind k) {
  /* The known keys are common + own; build one NULL-terminated list. */
  const char *known[48];
  size_t n = 0;
  for (const char *const *p = common_keys; *p; p++)
    known[n++] = *p;
  for (const char *const *p = own; p && *p && n < 47; p++)
    known[n++] = *p;
  known[n] = NULL;
  char *what = xasprintf("the front matter of a %s", kind_name(k));
  yv_check_keys(f->meta, known, what, f->file, f->dg);
  free(what);
}

static void parse_changes(const fields *f, vk_doc *d) {
  vk_value *v = field(f, "changes");
  if (!v)
    return;
  if (v->type != VK_LIST) {
    diag_error(
        f->dg, f->file, v->line, v->col,
        "'changes' must be a list — write `- {date: 2025-01-31, version: \"1.1\", text: …}`");
    return;
  }
  d->changes = xcalloc(v->u.list.n ? v->u.list.n : 1, sizeof *d->changes);
  for (size_t i = 0; i < v->u.list.n; i++) {
    vk_value *it = v->u.list.items[i];
    if (it->type != VK_MAP) {
      diag_error(f->dg, f->file, it->line, it->col,
                 "a change must be a map with date, version and text");
      continue;
    }
    static const char *const known[] = {"date", "version", "text", "by", "file", NULL};
    yv_check_keys(it, known, "a change", f->file, f->dg);
    fields cf = {it, f->file, f->dg};
    vk_change *c = &d->changes[d->n_changes++];
    c->date = field_date(&cf, "date", true);
    c->version = field_string(&cf, "version", false);
    c->text = field_string(&cf, "text", true);
    c->author = field_string(&cf, "by", false);
    c->file = field_string(&cf, "file", false);
  }
}

static void parse_routine(const fields *f, vk_doc *d) {
  static const char *const own[] = {"version",     "status",  "approved",        "approved_by",
                                    "reference",   "owner",   "review_interval", "review_by",
                                    "replaced_by", "changes", "valid_from",      NULL};
  check_kind_keys(f, own, KIND_ROUTINE);
  d->version = field_string(f, "version", true);
  char *status = field_string(f, "status", true);
  if (status) {
    if (strcmp(status, "draft") == 0)
      d->status = STATUS_DRAFT;
    else if (strcmp(status, "approved") == 0)
      d->status = STATUS_APPROVED;
    else if (strcmp(status, "retired") == 0)
      d->status = STATUS_RETIRED;
    else {
      vk_value *v = field(f, "status");
      diag_error(f->dg, f->file, v->line, v->col,
                 "unknown status '%s' — use draft, approved or retired", status);
    }
    free(status);
  }
  d->draft = d->status == STATUS_DRAFT;
  d->approved = field_date(f, "approved", d->status == STATUS_APPROVED);
  d->approved_by = field_string(f, "approved_by", false);
  d->reference = field_string(f, "reference", false);
  d->owner = field_string(f, "owner", false);
  vk_value *iv = field(f, "review_interval");
  if (iv && iv->type == VK_STRING && strcmp(iv->u.str.s, "mandatperiod") == 0)
    d->review_term = true;
  else
    d->review_interval = field_int(f, "review_interval", 1, 120);
  d->valid_from = field_date(f, "valid_from", false);
  if (date_set(d->valid_from) && date_set(d->approved) && date_cmp(d->valid_from, d->approved) < 0)
    diag_error(f->dg, f->file, vk_map_get(f->meta, "valid_from")->line,
               vk_map_get(f->meta, "valid_from")->col,
               "'valid_from' is before 'approved' — a version applies from its approval or later");
  d->review_by = field_date(f, "review_by", false);
  d->replaced_by = field_string(f, "replaced_by", false);
  if (d->status == STATUS_RETIRED && !d->replaced_by)
    diag_warn(f->dg, f->file, f->meta->line, f->meta->col,
              "retired routine without 'replaced_by' — name the routine that replaces it, "
              "so readers are sent there");
  parse_changes(f, d);
}

static void parse_definition(const fields *f, vk_doc *d) {
  static const char *const own[] = {"term", "synonyms", "source", NULL};
  check_kind_keys(f, own, KIND_DEFINITION);
  d->term = field_string(f, "term", false);
  if (!d->term && d->title)
    d->term = xstrdup(d->title);
  d->source = field_string(f, "source", false);
  vk_value *v = field(f, "synonyms");
  if (v && v->type != VK_LIST) {
    diag_error(f->dg, f->file, v->line, v->col,
               "'synonyms' must be a list — write `synonyms: [ord, annat ord]`");
  } else if (v) {
    for (size_t i = 0; i < v->u.list.n; i++) {
      vk_value *it = v->u.list.items[i];
      if (it->type == VK_STRING)
        vec_push(&d->synonyms, xstrdup(it->u.str.s));
      else
        diag_error(f->dg, f->file, it->line, it->col, "a synonym must be a text");
    }
  }
}

static const char *const agenda_names[] = {
    [AGENDA_INTRO] = "intro",         [AGENDA_DEFINITIONS] = "definitions",
    [AGENDA_CASE] = "case",           [AGENDA_QUESTIONS] = "questions",
    [AGENDA_CHECKLIST] = "checklist", [AGENDA_ROUTINES] = "routines",
    [AGENDA_CLOSING] = "closing"};

static bool agenda_kind_of(const char *key, vk_agenda_kind *out) {
  for (int i = 0; i <= AGENDA_CLOSING; i++)
    if (strcmp(key, agenda_names[i]) == 0) {
      *out = (vk_agenda_kind)i;
      return true;
    }
  return false;
}

static void agenda_questions(const fields *f, const vk_value *v, vk_agenda_item *it) {
  const vk_value *items = v;
  if (v->type == VK_MAP) {
    const char *title = vk_map_str(v, "title");
    if (title)
      it->title = xstrdup(title);
    items = vk_map_get(v, "items");
  }
  if (!items || items->type != VK_LIST) {
    diag_error(
        f->dg, f->file, v->line, v->col,
        "'questions' needs a list of questions — write `questions: {title: …, items: [\"…\"]}`");
    return;
  }
  for (size_t i = 0; i < items->u.list.n; i++)
    if (items->u.list.items[i]->type == VK_STRING)
      vec_push(&it->items, xstrdup(items->u.list.items[i]->u.str.s));
}

static void agenda_item(const fields *f, const vk_value *m, vk_agenda_item *it) {
  it->line = m->line;
  bool found = false;
  for (size_t k = 0; k < m->u.map.n; k++) {
    const char *key = m->u.map.keys[k];
    const vk_value *v = m->u.map.vals[k];
    vk_agenda_kind kind;
    if (strcmp(key, "minutes") == 0) {
      if (v->type == VK_INT && v->u.i > 0 && v->u.i < 600)
        it->minutes = (int)v->u.i;
      else
        diag_error(f->dg, f->file, v->line, v->col, "'minutes' must be a whole number of minutes");
    } else if (strcmp(key, "title") == 0 && v->type == VK_STRING) {
      free(it->title);
      it->title = xstrdup(v->u.str.s);
    } else if (agenda_kind_of(key, &kind)) {
      if (found) {
        diag_error(f->dg, f->file, v->line, v->col,
                   "one agenda item has two parts — start a new item with `- %s: …`", key);
        continue;
      }
      found = true;
      it->kind = kind;
      if (kind == AGENDA_INTRO || kind == AGENDA_CLOSING) {
        if (v->type == VK_STRING)
          it->text = xstrdup(v->u.str.s);
        else
          diag_error(f->dg, f->file, v->line, v->col, "'%s' must be a text", key);
      } else if (kind == AGENDA_QUESTIONS) {
        agenda_questions(f, v, it);
      } else {
        fields sub = {m, f->file, f->dg};
        field_ids(&sub, key, &it->ids);
      }
    } else {
      diag_warn(f->dg, f->file, v->line, v->col,
                "unknown agenda key '%s' — use intro, definitions, case, questions, checklist, "
                "routines, closing or minutes",
                key);
    }
  }
  if (!found)
    diag_error(f->dg, f->file, m->line, m->col,
               "an agenda item says nothing to cover — add e.g. `case: <id>` or `intro: …`");
}

static void parse_pack(const fields *f, vk_doc *d) {
  static const char *const own[] = {"audience", "participants", "duration",
                                    "version",  "agenda",       NULL};
  check_kind_keys(f, own, KIND_PACK);
  field_ids(f, "audience", &d->audience);
  d->participants = field_string(f, "participants", false);
  d->duration = field_int(f, "duration", 5, 480);
  d->version = field_string(f, "version", false);
  d->draft = field_bool(f, "draft");
  vk_value *v = field(f, "agenda");
  if (!v || v->type != VK_LIST || v->u.list.n == 0) {
    diag_error(f->dg, f->file, v ? v->line : f->meta->line, v ? v->col : f->meta->col,
               "an APT pack needs an `agenda:` list — e.g. `- case: <id>`");
    return;
  }
  d->agenda = xcalloc(v->u.list.n, sizeof *d->agenda);
  for (size_t i = 0; i < v->u.list.n; i++) {
    vk_value *m = v->u.list.items[i];
    if (m->type != VK_MAP) {
      diag_error(f->dg, f->file, m->line, m->col,
                 "an agenda item must be a map — e.g. `- definitions: [id1, id2]`");
      continue;
    }
    agenda_item(f, m, &d->agenda[d->n_agenda++]);
  }
}

/* The `type:` key must agree with the folder when both are given. */
static bool kind_from_type(const fields *f, vk_kind *kind) {
  vk_value *v = field(f, "type");
  if (!v)
    return true;
  for (int k = 0; k < KIND_COUNT; k++)
    if (v->type == VK_STRING && strcmp(v->u.str.s, kinds[k].name) == 0) {
      if (*kind != KIND_COUNT && *kind != (vk_kind)k) {
        diag_error(f->dg, f->file, v->line, v->col,
                   "type '%s' does not match the folder (%s) — move the file or fix `type:`",
                   v->u.str.s, kinds[*kind].folder);
        return false;
      }
      *kind = (vk_kind)k;
      return true;
    }
  diag_error(f->dg, f->file, v->line, v->col,
             "unknown type — use routine, case, definition, checklist or pack");
  return false;
}

static vk_kind kind_from_path(const char *path) {
  for (int k = 0; k < KIND_COUNT; k++) {
    size_t n = strlen(kinds[k].folder);
    if (strncmp(path, kinds[k].folder, n) == 0 && path[n] == '/')
      return (vk_kind)k;
  }
  return KIND_COUNT;
}

static bool vec_has(const vec *v, const char *s);

static void check_scope_ids(const fields *f, const vk_doc *d, const vk_site *site) {
  if (!site)
    return;
  if (d->participants) {
    vk_value *v = field(f, "participants");
    if (site_check_participants(site, d->participants, "participants", f->file, v->line, v->col,
                                f->dg) &&
        d->audience.n && !vec_has(&d->audience, d->participants))
      diag_error(f->dg, f->file, v->line, v->col,
                 "'participants' names '%s', which is not in the pack's `audience:` — add it "
                 "there or name one of the audience's roles",
                 d->participants);
  }
  const vec *lists[] = {&d->orgs, &d->roles, &d->audience};
  const char *keys[] = {"orgs", "roles", "audience"};
  for (int l = 0; l < 3; l++) {
    for (size_t i = 0; i < lists[l]->n; i++) {
      const char *id = lists[l]->items[i];
      bool ok = l == 0 ? site_org(site, id) != NULL : site_role(site, id) != NULL;
      if (!ok) {
        vk_value *v = field(f, keys[l]);
        diag_error(f->dg, f->file, v ? v->line : 1, v ? v->col : 1,
                   "'%s' names '%s', which is not %s in site.yaml — fix the id or add it there",
                   keys[l], id, l == 0 ? "an organisation" : "a role");
      }
    }
  }
}

static bool check_utf8(const char *text, size_t len, const char *file, diag *dg) {
  size_t bad;
  if (utf8_valid(text, len, &bad))
    return true;
  int line, col;
  offset_position(text, bad, &line, &col);
  diag_error(dg, file, line, col,
             "invalid UTF-8 byte — save the file as UTF-8 (in most editors: Save with encoding)");
  return false;
}

/* Ids become file names (<id>.html, <id>.odt) and URLs: NAME_MAX is 255. */
#define DOC_ID_MAX 100

static void parse_common(const fields *f, vk_doc *d) {
  d->id = field_string(f, "id", true);
  if (d->id && !yv_valid_id(d->id)) {
    vk_value *v = field(f, "id");
    diag_error(f->dg, f->file, v->line, v->col,
               "id '%s' may only use a–z, 0–9 and '-' — e.g. `id: hot-i-mote`", d->id);
  } else if (d->id && strlen(d->id) > DOC_ID_MAX) {
    vk_value *v = field(f, "id");
    diag_error(f->dg, f->file, v->line, v->col,
               "the id is %zu characters long; ids name files and addresses, so at most %d — "
               "shorten it",
               strlen(d->id), DOC_ID_MAX);
  }
  d->title = field_string(f, "title", true);
  d->summary = field_string(f, "summary", false);
  field_ids(f, "orgs", &d->orgs);
  field_ids(f, "roles", &d->roles);
  field_ids(f, "related", &d->related);
  field_texts(f, "answers", &d->answers, "answers: [A4, \"AFS 2023:1 13 §\"]");
  field_texts(f, "tags", &d->tags, "tags: [telefon, hembesök]");
  dedupe_tags(&d->tags);
}

vk_doc *doc_parse(const char *text, size_t len, const char *path, const char *srcpath,
                  const vk_site *site, diag *dg) {
  if (len > MAX_DOC_BYTES) {
    diag_error(dg, srcpath, 1, 1, "the file is %zu bytes, more than the %u allowed — split it", len,
               MAX_DOC_BYTES);
    return NULL;
  }
  if (!check_utf8(text, len, srcpath, dg))
    return NULL;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a BOM some editors add */
    text += 3;
    len -= 3;
  }
  const char *yaml, *body;
  size_t yaml_len;
  int body_line;
  if (!split_front_matter(text, len, srcpath, dg, &yaml, &yaml_len, &body, &body_line))
    return NULL;
  vk_value *meta = yaml_to_value(yaml, yaml_len, srcpath, 1, dg);
  if (!meta)
    return NULL;
  if (meta->type != VK_MAP) {
    diag_error(dg, srcpath, 2, 1, "the front matter must be YAML fields (`key: value`)");
    vk_value_free(meta);
    return NULL;
  }
  vk_doc *d = xcalloc(1, sizeof *d);
  d->path = xstrdup(path);
  d->srcpath = xstrdup(srcpath);
  d->meta = meta;
  fields f = {meta, srcpath, dg};
  vk_kind kind = kind_from_path(path);
  if (!kind_from_type(&f, &kind) || kind == KIND_COUNT) {
    if (kind == KIND_COUNT)
      diag_error(dg, srcpath, 1, 1,
                 "cannot tell what kind of document this is — put it in routines/, cases/, "
                 "definitions/, checklists/ or apt/, or add `type:`");
    doc_free(d);
    return NULL;
  }
  d->kind = kind;
  parse_common(&f, d);
  switch (kind) {
  case KIND_ROUTINE: parse_routine(&f, d); break;
  case KIND_DEFINITION:
    parse_definition(&f, d);
    d->draft = field_bool(&f, "draft");
    break;
  case KIND_CASE:
    check_kind_keys(&f, (const char *const[]){"duration", NULL}, kind);
    d->duration = field_int(&f, "duration", 1, 480);
    d->draft = field_bool(&f, "draft");
    break;
  case KIND_CHECKLIST:
    check_kind_keys(&f, (const char *const[]){"when", NULL}, kind);
    d->when = field_string(&f, "when", false);
    d->draft = field_bool(&f, "draft");
    break;
  case KIND_PACK: parse_pack(&f, d); break;
  default: break;
  }
  check_scope_ids(&f, d, site);
  d->body_len = len - (size_t)(body - text);
  d->body = xstrndup(body, d->body_len);
  d->body_line = body_line;
  return d;
}

static void free_strings(vec *v) {
  vec_free_items(v);
  vec_free(v);
}

void doc_free(vk_doc *d) {
  if (!d)
    return;
  free(d->path);
  free(d->srcpath);
  free(d->id);
  free(d->title);
  free(d->summary);
  free_strings(&d->orgs);
  free_strings(&d->roles);
  free_strings(&d->related);
  free_strings(&d->answers);
  free_strings(&d->tags);
  free(d->version);
  free(d->approved_by);
  free(d->reference);
  free(d->owner);
  free(d->replaced_by);
  for (size_t i = 0; i < d->n_changes; i++) {
    free(d->changes[i].version);
    free(d->changes[i].text);
    free(d->changes[i].author);
    free(d->changes[i].source);
    free(d->changes[i].file);
  }
  free(d->changes);
  free(d->reviewed_by);
  versions_free(d->versions, d->n_versions);
  free(d->term);
  free(d->source);
  free_strings(&d->synonyms);
  free(d->when);
  free_strings(&d->audience);
  free(d->participants);
  for (size_t i = 0; i < d->n_agenda; i++) {
    free(d->agenda[i].title);
    free(d->agenda[i].text);
    free_strings(&d->agenda[i].ids);
    free_strings(&d->agenda[i].items);
  }
  free(d->agenda);
  vk_value_free(d->meta);
  free(d->body);
  free_strings(&d->includes);
  if (d->tree)
    cmark_node_free(d->tree);
  free(d);
}

/* ---- scope ------------------------------------------------------------ */

static bool vec_has(const vec *v, const char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->items[i], s) == 0)
      return true;
  return false;
}

bool doc_applies(const vk_doc *d, const vk_site *s, const vk_org *org, const vk_role *role) {
  if (role) {
    const vec *roles = d->roles.n ? &d->roles : &d->audience;
    if (roles->n && !vec_has(roles, role->id))
      return false;
  }
  if (org && d->orgs.n) {
    for (size_t i = 0; i < d->orgs.n; i++) {
      const vk_org *scope = site_org(s, d->orgs.items[i]);
      if (scope && org_within(org, scope))
        return true;
    }
    return false;
  }
  return true;
}

/* ---- the content set -------------------------------------------------- */

static int cmp_doc_kind_id(const void *a, const void *b) {
  const vk_doc *x = *(vk_doc *const *)a, *y = *(vk_doc *const *)b;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp(x->id, y->id);
}

static int cmp_doc_id(const void *a, const void *b) {
  return strcmp((*(vk_doc *const *)a)->id, (*(vk_doc *const *)b)->id);
}

static int cmp_doc_path(const void *a, const void *b) {
  return strcmp((*(vk_doc *const *)a)->path, (*(vk_doc *const *)b)->path);
}

vk_doc *content_find(const vk_content *c, const char *id) {
  vk_doc key = {.id = (char *)id}, *kp = &key;
  vk_doc **hit = vk_bsearch(&kp, c->by_id, c->n_docs, sizeof *c->by_id, cmp_doc_id);
  return hit ? *hit : NULL;
}

static vk_doc *find_by_path(const vk_content *c, const char *path) {
  vk_doc key = {.path = (char *)path}, *kp = &key;
  vk_doc **hit = vk_bsearch(&kp, c->by_path, c->n_docs, sizeof *c->by_path, cmp_doc_path);
  return hit ? *hit : NULL;
}

size_t content_of_kind(const vk_content *c, vk_kind k, vk_doc ***out) {
  size_t i = 0;
  while (i < c->n_docs && c->docs[i]->kind < k)
    i++;
  size_t start = i;
  while (i < c->n_docs && c->docs[i]->kind == k)
    i++;
  *out = c->docs + start;
  return i - start;
}

/* True for links that leave the content tree: URLs with a scheme, absolute
 * paths, and same-page anchors. */
bool content_is_external(const char *url) {
  if (!*url || *url == '#' || *url == '/')
    return true;
  for (const char *p = url; *p && *p != '/' && *p != '#' && *p != '?'; p++)
    if (*p == ':')
      return true;
  return false;
}

/* Joins `dir` (of the linking file) and a relative `rel`, resolving . and ..;
 * returns NULL when the path climbs out of the content folder. */
static char *normalise_path(const char *from_path, const char *rel, size_t rel_len) {
  char *joined;
  const char *slash = strrchr(from_path, '/');
  if (slash)
    joined = xasprintf("%.*s/%.*s", (int)(slash - from_path), from_path, (int)rel_len, rel);
  else
    joined = xstrndup(rel, rel_len);
  vec parts = {0};
  bool escaped = false;
  for (char *save = NULL, *seg = strtok_r(joined, "/", &save); seg;
       seg = strtok_r(NULL, "/", &save)) {
    if (strcmp(seg, ".") == 0)
      continue;
    if (strcmp(seg, "..") == 0) {
      if (parts.n == 0)
        escaped = true;
      else
        parts.n--;
      continue;
    }
    vec_push(&parts, seg);
  }
  char *out = NULL;
  if (!escaped) {
    sbuf b = {0};
    for (size_t i = 0; i < parts.n; i++) {
      if (i)
        sbuf_putc(&b, '/');
      sbuf_puts(&b, parts.items[i]);
    }
    out = sbuf_take(&b);
  }
  vec_free(&parts);
  free(joined);
  return out;
}

vk_doc *content_resolve_link(const vk_content *c, const vk_doc *from, const char *url,
                             const char **anchor) {
  *anchor = NULL;
  if (content_is_external(url))
    return NULL;
  const char *hash = strchr(url, '#');
  size_t len = hash ? (size_t)(hash - url) : strlen(url);
  if (len < 3 || strncmp(url + len - 3, ".md", 3) != 0)
    return NULL;
  char *path = normalise_path(from->path, url, len);
  vk_doc *d = path ? find_by_path(c, path) : NULL;
  free(path);
  if (d && hash)
    *anchor = hash + 1;
  return d;
}

bool content_link_is_broken(const vk_content *c, const vk_doc *from, const char *url) {
  if (content_is_external(url))
    return false;
  size_t len = strcspn(url, "#");
  char *path = normalise_path(from->path, url, len);
  bool broken = path && vec_has(&c->broken_paths, path);
  free(path);
  return broken;
}

static void check_ref(const vk_content *c, const vk_doc *d, const char *key, const char *id,
                      int want_kind, diag *dg) {
  const vk_doc *t = content_find(c, id);
  vk_value *v = vk_map_get(d->meta, key);
  int line = v ? v->line : 1, col = v ? v->col : 1;
  if (!t && content_is_broken(c, id))
    return; /* the broken document was reported where it is broken */
  if (!t)
    diag_error(dg, d->srcpath, line, col,
               "'%s' names '%s', but no document has that id — fix the id or add the document", key,
               id);
  else if (want_kind >= 0 && t->kind != (vk_kind)want_kind)
    diag_error(dg, d->srcpath, line, col, "'%s' names '%s', which is a %s, not a %s", key, id,
               kind_name(t->kind), kind_name((vk_kind)want_kind));
}

/* Every `answers:` entry names a requirement of content/krav.yaml. */
static void check_answers(const vk_content *c, const vk_doc *d, diag *dg) {
  const vk_value *v = vk_map_get(d->meta, "answers");
  if (!v || !d->answers.n)
    return;
  for (size_t i = 0; i < d->answers.n; i++) {
    const char *id = d->answers.items[i];
    if (reqs_find(c->reqs, id))
      continue;
    const vk_value *at = v;
    for (size_t k = 0; v->type == VK_LIST && k < v->u.list.n; k++)
      if (v->u.list.items[k]->type == VK_STRING && strcmp(v->u.list.items[k]->u.str.s, id) == 0)
        at = v->u.list.items[k];
    if (c->reqs->present)
      diag_error(dg, d->srcpath, at->line, at->col,
                 "'answers' names '%s', which is not a requirement in %s — fix the id or add "
                 "the requirement there",
                 id, c->reqs->path);
    else
      diag_error(dg, d->srcpath, at->line, at->col,
                 "'answers' names '%s', but there is no %s — add the file with the "
                 "requirements (`requirements: [{id: …, title: …}]`) or remove `answers:`",
                 id, c->reqs->path);
  }
}

static void check_references(const vk_content *c, const vk_doc *d, diag *dg) {
  check_answers(c, d, dg);
  for (size_t i = 0; i < d->related.n; i++)
    check_ref(c, d, "related", d->related.items[i], -1, dg);
  if (d->replaced_by)
    check_ref(c, d, "replaced_by", d->replaced_by, KIND_ROUTINE, dg);
  for (size_t i = 0; i < d->n_agenda; i++) {
    const vk_agenda_item *it = &d->agenda[i];
    int want = it->kind == AGENDA_DEFINITIONS ? KIND_DEFINITION
               : it->kind == AGENDA_CASE      ? KIND_CASE
               : it->kind == AGENDA_CHECKLIST ? KIND_CHECKLIST
               : it->kind == AGENDA_ROUTINES  ? KIND_ROUTINE
                                              : -1;
    for (size_t k = 0; k < it->ids.n; k++)
      check_ref(c, d, "agenda", it->ids.items[k], want, dg);
  }
}

bool content_is_broken(const vk_content *c, const char *id_or_path) {
  return vec_has(&c->broken_ids, id_or_path) || vec_has(&c->broken_paths, id_or_path);
}

/* The id a broken document meant to have: the value of its first line
 * `id: …` (an id only), or NULL. */
static char *salvage_id(const char *text, size_t len) {
  const char *end = text + len;
  for (const char *p = text; p < end; p = next_line(p, end)) {
    if ((size_t)(end - p) < 4 || strncmp(p, "id:", 3) != 0)
      continue;
    const char *s = p + 3;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\''))
      s++;
    const char *e = s;
    while (e < end &&
           ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '-' || *e == '_'))
      e++;
    return e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
  }
  return NULL;
}

/* Remembers a document that did not load, so that others naming it (by id
 * or by link) are not reported as well. */
static void note_broken(vk_content *c, const char *path, const char *text, size_t len) {
  vec_push(&c->broken_paths, xstrdup(path));
  char *id = text ? salvage_id(text, len) : NULL;
  if (id)
    vec_push(&c->broken_ids, id);
  /* without a readable id, the file name is the id it most likely has */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 3 && strcmp(base + n - 3, ".md") == 0)
    vec_push(&c->broken_ids, xstrndup(base, n - 3));
}

/* One Markdown file to load: read and its front matter parsed by a worker
 * thread, with its messages kept apart until they are added in file order. */
typedef struct {
  char *path, *full; /* relative to the content folder; as given for messages */
  char *text;
  size_t len;
  safepath_status st;
  vk_doc *d;
  diag *dg;
  bool broken;
} load_task;

typedef struct {
  const vk_content *c;
  vk_filecache *cache;
  load_task *tasks;
  size_t n;
  atomic_size_t next;
} load_queue;

static void load_one(const vk_content *c, vk_filecache *cache, load_task *t) {
  t->st = SAFEPATH_OK;
  t->text = filecache_take(cache, t->path, &t->len);
  if (!t->text)
    t->text = safepath_read(c->dir, t->full, &t->len, &t->st);
  if (!t->text || t->st == SAFEPATH_OUTSIDE)
    return;
  t->d = doc_parse(t->text, t->len, t->path, t->full, c->site, t->dg);
  if (t->d)
    include_expand(c->dir, t->d, t->dg);
  t->broken = !t->d || !t->d->id || diag_errors(t->dg) > 0;
}

static void *load_worker(void *arg) {
  load_queue *q = arg;
  for (size_t i; (i = atomic_fetch_add(&q->next, 1)) < q->n;)
    load_one(q->c, q->cache, &q->tasks[i]);
  return NULL;
}

/* Adds a loaded file's document and messages, in file order. */
static void load_finish(vk_content *c, load_task *t, vec *docs, diag *dg) {
  if (t->st == SAFEPATH_OUTSIDE) {
    diag_error(dg, t->full, 0, 0,
               "this Markdown file is a link to a file outside the content folder %s — it is "
               "not published; copy the file into the content folder instead of linking to it",
               c->dir);
  } else if (!t->text) {
    diag_error(dg, t->full, 0, 0, "cannot read the file — check its permissions");
  } else {
    diag_move(dg, t->dg);
    if (t->d && t->d->id)
      vec_push(docs, t->d);
    else
      doc_free(t->d);
    if (t->broken)
      note_broken(c, t->path, t->text, t->len);
  }
  diag_free(t->dg);
  free(t->text);
  free(t->full);
  free(t->path);
}

/* Every kind's files, in kind and then name order, loaded on `jobs`
 * threads (0: the number of cores). */
static void load_files(vk_content *c, int jobs, vk_filecache *cache, vec *docs, diag *dg) {
  load_task *tasks = NULL;
  size_t n = 0, cap = 0;
  for (int k = 0; k < KIND_COUNT; k++) {
    char *dir = path_join(c->dir, kinds[k].folder);
    vec names = {0};
    if (is_dir(dir))
      list_dir_sorted(dir, ".md", &names);
    for (size_t i = 0; i < names.n; i++) {
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        tasks = xrealloc(tasks, cap * sizeof *tasks);
      }
      const char *name = names.items[i];
      tasks[n++] = (load_task){.path = xasprintf("%s/%s", kinds[k].folder, name),
                               .full = path_join(dir, name),
                               .dg = diag_new_like(dg)};
    }
    free_strings(&names);
    free(dir);
  }
  load_queue q = {c, cache, tasks, n};
  atomic_init(&q.next, 0);
  if (n)
    util_run_threads(jobs, n, load_worker, &q);
  for (size_t i = 0; i < n; i++)
    load_finish(c, &tasks[i], docs, dg);
  free(tasks);
}

/* Sorted by id, neighbours with the same id are duplicates: report both. */
static void check_duplicates(vk_content *c, diag *dg) {
  for (size_t i = 1; i < c->n_docs; i++) {
    vk_doc *a = c->by_id[i - 1], *b = c->by_id[i];
    if (strcmp(a->id, b->id) == 0)
      diag_error(dg, b->srcpath, 1, 1,
                 "duplicate id '%s' — %s has the same id; give one of them another id", b->id,
                 a->srcpath);
  }
}

static void drop_drafts(vec *docs) {
  size_t kept = 0;
  for (size_t i = 0; i < docs->n; i++) {
    vk_doc *d = docs->items[i];
    if (d->draft)
      doc_free(d);
    else
      docs->items[kept++] = d;
  }
  docs->n = kept;
}

/* The first organisation × role of the site that may not read d, or false
 * when every role of every organisation may. */
static bool card_hidden_from(const vk_doc *d, const vk_site *s, const vk_org **org,
                             const vk_role **role) {
  for (size_t o = 0; o < s->n_orgs; o++)
    for (size_t r = 0; r < s->n_roles; r++)
      if (!doc_applies(d, s, s->orgs[o], s->roles[r])) {
        *org = s->orgs[o];
        *role = s->roles[r];
        return true;
      }
  return false;
}

/* The ids of the routines the card may name (every role reads them),
 * comma-separated, at most 20 and "…" after (malloc'd). */
static char *card_candidates(const vk_content *c) {
  sbuf b = {0};
  size_t shown = 0;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->by_id[i];
    const vk_org *org;
    const vk_role *role;
    if (d->kind != KIND_ROUTINE || card_hidden_from(d, c->site, &org, &role))
      continue;
    if (shown++ == 20) {
      sbuf_puts(&b, ", …");
      break;
    }
    if (b.len)
      sbuf_puts(&b, ", ");
    sbuf_puts(&b, d->id);
  }
  return b.len ? sbuf_take(&b) : xstrdup("(none: every routine is limited to some roles)");
}

/* site.yaml's `card:` names a routine every role of every organisation may
 * read: the card lies outside the role folders (assemble/card.h). */
static void check_card(const vk_content *c, diag *dg) {
  const vk_site *s = c->site;
  if (!s->card)
    return;
  const vk_doc *d = content_find(c, s->card);
  const vk_org *org = NULL;
  const vk_role *role = NULL;
  if (d && d->kind == KIND_ROUTINE && !card_hidden_from(d, s, &org, &role))
    return;
  char *known = card_candidates(c);
  if (!d || d->kind != KIND_ROUTINE)
    diag_error(dg, s->file, s->card_line, s->card_col,
               "'card' names '%s', which is no routine — name the id of a routine every role "
               "may read: %s",
               s->card, known);
  else
    diag_error(dg, s->file, s->card_line, s->card_col,
               "'card' names routine '%s', which role '%s' of organisation '%s' may not read — "
               "the card is public to every role: name a routine for everyone (%s)",
               d->id, role->id, org->id, known);
  free(known);
}

vk_content *content_load(const char *dir, const vk_load_opts *opts, diag *dg) {
  char *site_path = path_join(dir, "site.yaml");
  vk_site *site = site_load(site_path, dg);
  free(site_path);
  if (!site)
    return NULL;
  vk_content *c = xcalloc(1, sizeof *c);
  c->dir = xstrdup(dir);
  c->site = site;
  c->today = date_today(opts ? opts->today : NULL);
  c->reqs = reqs_load(dir, dg);
  vec docs = {0};
  load_files(c, opts ? opts->jobs : 1, opts ? opts->cache : NULL, &docs, dg);
  /* Duplicates and references are checked over all documents, drafts
   * included, so a draft cannot hide an id clash that appears later. */
  c->n_docs = docs.n;
  c->docs = (vk_doc **)docs.items;
  c->by_id = xmalloc((docs.n + 1) * sizeof *c->by_id);
  if (docs.n)
    memcpy(c->by_id, docs.items, docs.n * sizeof *c->by_id);
  vk_sort(c->by_id, c->n_docs, sizeof *c->by_id, cmp_doc_id);
  check_duplicates(c, dg);
  c->by_path = xmalloc((docs.n + 1) * sizeof *c->by_path);
  if (docs.n)
    memcpy(c->by_path, docs.items, docs.n * sizeof *c->by_path);
  vk_sort(c->by_path, c->n_docs, sizeof *c->by_path, cmp_doc_path);
  for (size_t i = 0; i < c->n_docs; i++)
    check_references(c, c->docs[i], dg);
  if (opts && opts->parse)
    opts->parse(c, opts->jobs, dg);
  if (!(opts && opts->drafts)) {
    drop_drafts(&docs);
    c->docs = (vk_doc **)docs.items;
    c->n_docs = docs.n;
    if (docs.n) {
      memcpy(c->by_id, docs.items, docs.n * sizeof *c->by_id);
      memcpy(c->by_path, docs.items, docs.n * sizeof *c->by_path);
    }
    vk_sort(c->by_id, c->n_docs, sizeof *c->by_id, cmp_doc_id);
    vk_sort(c->by_path, c->n_docs, sizeof *c->by_path, cmp_doc_path);
  }
  check_card(c, dg);
  vk_sort(c->docs, c->n_docs, sizeof *c->docs, cmp_doc_kind_id);
  return c;
}

void content_free(vk_content *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n_docs; i++)
    doc_free(c->docs[i]);
  free(c->docs);
  free(c->by_id);
  free(c->by_path);
  site_free(c->site);
  reqs_free(c->reqs);
  free_strings(&c->broken_ids);
  free_strings(&c->broken_paths);
  free(c->dir);
  free(c);
}
