/* content.h — loading the content tree: documents, front matter, validation.
 *
 * content_load() reads site.yaml and every document under the kind folders,
 * validates front matter into typed fields, parses each body once
 * (markdown.h), checks ids, references and links, and reports every problem
 * to the diag (it never stops at the first), site.yaml's `card:` among
 * them (a routine every role of every organisation may read, checked over
 * the documents the build keeps). Documents are sorted by kind,
 * then id, so every iteration over them is deterministic.
 */
#ifndef VK_CONTENT_H
#define VK_CONTENT_H

#include "diag.h"
#include "filecache.h"
#include "site.h"
#include "util.h"
#include "value.h"

#include <cmark-gfm.h>
#include <stdbool.h>

typedef enum {
  KIND_ROUTINE,
  KIND_CASE,
  KIND_DEFINITION,
  KIND_CHECKLIST,
  KIND_PACK,
  KIND_COUNT
} vk_kind;

typedef struct {
  int y, m, d; /* all 0 when unset */
} vk_date;

typedef enum { STATUS_NONE, STATUS_DRAFT, STATUS_APPROVED, STATUS_RETIRED } vk_status;

typedef struct {
  vk_date date;
  char *version; /* may be NULL */
  char *text;
  char *author; /* NULL for front matter entries */
  char *source; /* Git: the file's text at that commit (NULL for front matter entries) */
  size_t source_len;
  char
      *file; /* a `changes:` entry's `file:`: that version's text, relative to the content folder */
} vk_change;

/* One approved version of a routine as its front matter recorded it
 * (load/versions.h): from Git, or from a `changes:` entry. */
typedef struct {
  char *version;
  vk_date date; /* when it was committed (Git) or the change entry's date */
  vk_date approved, valid_from;
  char *approved_by, *reference, *owner;
  int review_interval; /* months; 0 when not given */
  bool review_term;    /* review_interval: mandatperiod */
  char *source;        /* Git: the file's text of that version; NULL for the current one */
  size_t source_len;
} vk_version;

typedef enum {
  AGENDA_INTRO,
  AGENDA_DEFINITIONS,
  AGENDA_CASE,
  AGENDA_QUESTIONS,
  AGENDA_CHECKLIST,
  AGENDA_ROUTINES,
  AGENDA_CLOSING
} vk_agenda_kind;

typedef struct {
  vk_agenda_kind kind;
  int minutes; /* 0 when not given */
  char *title; /* optional */
  char *text;  /* intro/closing Markdown */
  vec ids;     /* char*: definitions, case, checklist, routines */
  vec items;   /* char*: questions */
  int line;
} vk_agenda_item;

typedef struct vk_doc vk_doc;
struct vk_doc {
  vk_kind kind;
  char *path;    /* relative to the content folder, e.g. routines/hot.md */
  char *srcpath; /* as given for messages, e.g. content/routines/hot.md */
  char *id, *title, *summary;
  vec orgs, roles; /* char* ids; empty = all */
  vec related;     /* char* ids */
  vec answers;     /* char* requirement ids (requirements.h), as written */
  vec tags;        /* char* tags, as written, without duplicates (by slug) */
  bool draft;      /* routine with status draft, or draft: true */
  /* routine */
  char *version;
  vk_status status;
  vk_date approved, review_by;
  char *approved_by, *reference, *owner, *replaced_by;
  int review_interval; /* months, 0 when not given */
  vk_change *changes;
  size_t n_changes;
  vk_date valid_from; /* gäller från: applies from this date (unset: from approval) */
  bool review_term;   /* review_interval: mandatperiod (once per electoral term) */
  vk_date reviewed;   /* the last review without change (versions.lock), or unset */
  char *reviewed_by;
  vk_version *versions; /* approved versions, oldest first (load/versions.h) */
  size_t n_versions;
  /* definition */
  char *term, *source;
  vec synonyms;
  /* case */
  int duration;
  /* checklist */
  char *when;
  /* pack */
  vec audience;       /* char* role ids */
  char *participants; /* role the slides and participant handout are for, or NULL */
  vk_agenda_item *agenda;
  size_t n_agenda;
  /* all kinds */
  vk_value *meta; /* the whole front matter */
  char *body;
  size_t body_len;
  int body_line;          /* file line of the first body line */
  vec includes;           /* char* content-relative paths of included files, sorted (include.h) */
  cmark_node *tree;       /* parsed once; variants clone it */
  unsigned char hash[32]; /* SHA-256 of the normalised body (review.h) */
};

struct vk_content {
  char *dir; /* the content folder */
  vk_site *site;
  vk_doc **docs;
  size_t n_docs;
  vk_doc **by_id;       /* sorted by id for bsearch */
  vk_doc **by_path;     /* sorted by path for bsearch */
  vk_date today;        /* for review states: --today or the clock */
  struct vk_reqs *reqs; /* content/krav.yaml (requirements.h), never NULL */
  /* Ids and paths of documents that could not be read (broken front
   * matter): references to them are not reported again (the culprit is). */
  vec broken_ids, broken_paths;
};

typedef struct vk_content vk_content;

typedef struct {
  bool drafts;       /* keep draft documents */
  const char *today; /* "YYYY-MM-DD" or NULL for the clock / SOURCE_DATE_EPOCH */
  /* Called once every document (drafts included) is read, indexed and its
   * references checked, before drafts are dropped: the parse stage's hook
   * (parse/document.h), so that load/ knows no Markdown. May be NULL. */
  void (*parse)(vk_content *c, int jobs, diag *dg);
  int jobs; /* threads for reading the files and for the parse hook; 0 = number of cores */
  vk_filecache *cache; /* documents already read (filecache.h), or NULL */
} vk_load_opts;

vk_content *content_load(const char *dir, const vk_load_opts *opts, diag *dg);
void content_free(vk_content *c);

vk_doc *content_find(const vk_content *c, const char *id);
/* Resolves a relative link target (e.g. "../routines/x.md#steg") written in
 * `from`. Returns the document or NULL; *anchor points into `url` (or NULL). */
vk_doc *content_resolve_link(const vk_content *c, const vk_doc *from, const char *url,
                             const char **anchor);
/* True for links that leave the content tree: URLs with a scheme, absolute
 * paths, fragments alone. */
bool content_is_external(const char *url);

/* Parses one document from memory (tests, fuzzing). Adds nothing to a content set. */
vk_doc *doc_parse(const char *text, size_t len, const char *path, const char *srcpath,
                  const vk_site *site, diag *dg);
void doc_free(vk_doc *d);

/* Was `id` or content-relative `path` a document that failed to load? */
bool content_is_broken(const vk_content *c, const char *id_or_path);
/* Does relative link `url` in `from` lead to a document that failed to load? */
bool content_link_is_broken(const vk_content *c, const vk_doc *from, const char *url);

/* Documents of one kind, in id order: *out points into c->docs. */
size_t content_of_kind(const vk_content *c, vk_kind k, vk_doc ***out);

/* Does the document apply to (org, role)? Organisation scope includes descendants. */
bool doc_applies(const vk_doc *d, const vk_site *s, const vk_org *org, const vk_role *role);

const char *kind_name(vk_kind k);   /* "routine" … */
const char *kind_folder(vk_kind k); /* "routines" … */
const char *kind_slug(vk_kind k);   /* URL folder: "rutiner" … */
const char *status_name(vk_status s);

bool date_parse(const char *s, vk_date *out);
bool date_set(vk_date d);
int date_cmp(vk_date a, vk_date b);
vk_date date_add_months(vk_date d, int months);
long date_days(vk_date d); /* days since 1970-01-01 */
void date_format(vk_date d, char out[11]);
vk_date date_today(const char *override); /* override "YYYY-MM-DD" or NULL */

#endif
