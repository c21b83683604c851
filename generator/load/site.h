/* site.h — content/site.yaml: the site, its organisations and roles.
 *
 * Organisations form a tree through `parent`; a child inherits its parent's
 * variables (and overrides them) and its filters run after the parent's.
 * Invariants after site_load() succeeds: ids are unique, every parent
 * exists, there are no cycles, and `vars` holds the merged variables.
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

typedef struct {
  char *id, *name;
  vec filters; /* char* */
  int line;
} vk_role;

typedef struct {
  char *file; /* path for messages, e.g. content/site.yaml */
  char *title, *language, *base_url, *description, *contact;
  int due_soon_days;
  vec filters; /* char* */
  vk_builtin_cfg builtins[BUILTIN_COUNT];
  vk_org **orgs;
  size_t n_orgs;
  vk_role **roles;
  size_t n_roles;
  vk_value *raw; /* the whole parsed file, for templates */
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
/* True when `org` is `scope` or one of its descendants. */
bool org_within(const vk_org *org, const vk_org *scope);
/* The setting of built-in `b` that applies to `org` (may be NULL: the
 * site's); never NULL, mode never BUILTIN_UNSET. */
const vk_builtin_cfg *site_builtin(const vk_site *s, const vk_org *org, vk_builtin b);
/* "variables", "glossary". */
const char *builtin_name(vk_builtin b);

/* Merged variable `name` of org, or NULL. */
const char *org_var(const vk_org *org, const char *name);

#endif
