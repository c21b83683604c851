/* site.h — content/site.yaml: the site, its organisations and roles.
 *
 * Organisations form a tree through `parent`; a child inherits its parent's
 * variables (and overrides them) and its filters run after the parent's.
 * Invariants after site_load() succeeds: ids are unique, every parent
 * exists, there are no cycles, and `vars` holds the merged variables.
 *
 * What a role may see beyond its pages is data, never a role id in C: a
 * role's `can:` list grants capabilities (ROLE_CAN_*), and `packs:
 * {participants: ID}` names the role the slides and participant handouts
 * are for (a pack's front matter may override it). After site_load()
 * every capability name is known and `participants`, when set, names a
 * role without `handledning` (docs/content-format.md, "Roles").
 * `card: <routine id>` (the emergency card's routine) is a non-empty id
 * after site_load(); that it names a routine every role may read is
 * checked with the documents (content.h content_load()).
 */
#ifndef VK_SITE_H
#define VK_SITE_H

#include "diag.h"
#include "util.h"
#include "value.h"

#include <stdbool.h>

/* Built-in steps of the filter chain that site.yaml (and an organisation)
 * can switch off or replace with a Lua file under content/filters/:
 *   builtins: {variables: true, glossary: min-ordlista.lua}
 * An organisation's setting wins over its parent's, the parent's over the
 * site's; unset everywhere means on (the native step). */
typedef enum { BUILTIN_VARIABLES, BUILTIN_GLOSSARY, BUILTIN_COUNT } vk_builtin;
typedef enum { BUILTIN_UNSET, BUILTIN_ON, BUILTIN_OFF, BUILTIN_LUA } vk_builtin_mode;
typedef struct {
  vk_builtin_mode mode;
  char *file; /* BUILTIN_LUA: file name under content/filters/ */
  int line, col;
} vk_builtin_cfg;

typedef struct vk_org vk_org;
struct vk_org {
  char *id, *name;
  char *parent_id;
  vk_org *parent;
  vk_value *own_vars;                     /* map as written */
  vk_value *vars;                         /* map merged with the ancestors' (child wins) */
  vec filters;                            /* char*: file names under content/filters/ (own only) */
  vk_builtin_cfg builtins[BUILTIN_COUNT]; /* own settings (UNSET = as the parent) */
  int line;
};

/* Capabilities a role's `can:` list grants (bit flags). */
enum {
  ROLE_CAN_FACILITATE = 1u << 0, /* `handledning`: facilitator notes, guide, speaker notes */
  ROLE_CAN_REVIEW = 1u << 1,     /* `granskning`: the review dashboard and reports */
};
#define ROLE_CAPS 2

typedef struct {
  char *id, *name;
  vec filters;   /* char* */
  unsigned caps; /* ROLE_CAN_* */
  int line;
} vk_role;

/* A publish target (site.yaml `targets:`): a site of its own under
 * <out>/<id>/ holding only its roles and organisations, at its base_url.
 * `groups` gives, per role of the target, the groups of the web server's
 * single sign-on that may read that role's paths (access.h). */
typedef struct {
  char *role; /* role id */
  vec groups; /* char*: group names ([A-Za-z0-9._@-]+) */
} vk_target_groups;

typedef struct {
  char *id, *base_url; /* base_url NULL: the site's */
  vec roles, orgs;     /* char*: ids; empty = all of the site's */
  vk_target_groups *groups;
  size_t n_groups;
  int line;
} vk_target;

typedef struct {
  char *file; /* path for messages, e.g. content/site.yaml */
  char *title, *language, *base_url, *description, *contact;
  int due_soon_days;
  bool history_changes; /* review.history: changes — no Git history, the `changes:` lists */
  vec filters;          /* char* */
  vk_builtin_cfg builtins[BUILTIN_COUNT];
  vk_org **orgs;
  size_t n_orgs;
  vk_role **roles;
  size_t n_roles;
  char *participants;      /* packs.participants: role id, or NULL */
  char *card;              /* `card:` the emergency card's routine id, or NULL (no card) */
  int card_line, card_col; /* where `card:`'s value stands, for messages */
  const vk_value *labels;  /* `labels:` overriding the theme's (points into raw), or NULL */
  vk_value *raw;           /* the whole parsed file, for templates */
  vk_target **targets;     /* `targets:`; none: one implicit target holds all */
  size_t n_targets;
  const vk_target *target; /* after site_restrict(): the target built, else NULL */
  vk_org **orgs_out;       /* after site_restrict(): organisations outside the target */
  size_t n_orgs_out;       /* (still found by site_org(), as parents and scopes) */
  vk_role **roles_out;     /* after site_restrict(): roles outside the target (not found) */
  size_t n_roles_out;
  /* `accessibility:` checked, as the accessibility statement's template
   * data (site_accessibility in site.c; docs/content-format.md), or NULL
   * when site.yaml has none */
  vk_value *accessibility;
} vk_site;

/* Parses `path`. Returns NULL after reporting errors to dg. */
vk_site *site_load(const char *path, diag *dg);
/* Parses YAML text already in memory (used by the fuzzer and tests). */
vk_site *site_parse(const char *text, size_t len, const char *file, diag *dg);
void site_free(vk_site *s);

vk_org *site_org(const vk_site *s, const char *id);
vk_role *site_role(const vk_site *s, const char *id);
/* True when role r (may be NULL) has capability `cap` (ROLE_CAN_*). */
bool role_can(const vk_role *r, unsigned cap);
/* The first role of site.yaml with capability `cap`, or NULL. */
const vk_role *site_first_role_can(const vk_site *s, unsigned cap);
/* The capability name of a single flag ("handledning", "granskning"). */
const char *role_cap_name(unsigned cap);
/* "id1, id2, …": the role ids of site.yaml, for messages (malloc'd). */
char *site_role_ids(const vk_site *s);
/* Checks that `id` names a role that may be a pack's participants (exists,
 * no `handledning`); reports at file:line:col with `key` and the valid
 * ids. */
bool site_check_participants(const vk_site *s, const char *id, const char *key, const char *file,
                             int line, int col, diag *dg);
/* True when `org` is `scope` or one of its descendants. */
bool org_within(const vk_org *org, const vk_org *scope);
/* The setting of built-in `b` that applies to `org` (may be NULL: the
 * site's); never NULL, mode never BUILTIN_UNSET. */
const vk_builtin_cfg *site_builtin(const vk_site *s, const vk_org *org, vk_builtin b);
/* "variables", "glossary". */
const char *builtin_name(vk_builtin b);

/* Narrows s to target t (one of s->targets): only its roles and
 * organisations stay in s->roles and s->orgs, its base_url replaces the
 * site's. An organisation left out stays reachable through site_org()
 * (a kept child's parent, a document's scope); a role left out does not. */
void site_restrict(vk_site *s, const vk_target *t);
/* The groups allowed to read role r's paths in the target being built:
 * the target's `groups:` for r, else the role id alone. */
size_t site_role_groups(const vk_site *s, const vk_role *r, const char *const **out);

/* Merged variable `name` of org, or NULL. */
const char *org_var(const vk_org *org, const char *name);

#endif
