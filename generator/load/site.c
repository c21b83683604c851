/* site.c — see site.h. */
#include "site.h"
#include "yamlval.h"

#include <stdlib.h>
#include <string.h>

static const char *const builtin_names[BUILTIN_COUNT] = {"variables", "glossary"};

const char *builtin_name(vk_builtin b) {
  return builtin_names[b];
}

const vk_builtin_cfg *site_builtin(const vk_site *s, const vk_org *org, vk_builtin b) {
  static const vk_builtin_cfg on = {BUILTIN_ON, NULL, 0, 0};
  for (const vk_org *o = org; o; o = o->parent)
    if (o->builtins[b].mode != BUILTIN_UNSET)
      return &o->builtins[b];
  return s && s->builtins[b].mode != BUILTIN_UNSET ? &s->builtins[b] : &on;
}

static void parse_builtin(const char *name, const vk_value *v, vk_builtin_cfg *out,
                          const char *file, diag *dg) {
  out->line = v->line;
  out->col = v->col;
  if (v->type == VK_BOOL) {
    out->mode = v->u.b ? BUILTIN_ON : BUILTIN_OFF;
  } else if (v->type == VK_STRING && v->u.str.s[0] && !strstr(v->u.str.s, "..") &&
             v->u.str.s[0] != '/') {
    out->mode = BUILTIN_LUA;
    out->file = xstrdup(v->u.str.s);
  } else {
    diag_error(dg, file, v->line, v->col,
               "built-in '%s' must be true, false or a filter file under content/filters/ — "
               "e.g. `%s: false` or `%s: min-%s.lua`",
               name, name, name, name);
  }
}

/* `builtins: {variables: false, glossary: ordlista.lua}` */
static void parse_builtins(const vk_value *map, vk_builtin_cfg *out, const char *file, diag *dg) {
  const vk_value *b = vk_map_get(map, "builtins");
  if (!b || b->type == VK_NULL)
    return;
  if (b->type != VK_MAP) {
    diag_error(dg, file, b->line, b->col,
               "'builtins' must be a map — write `builtins: {glossary: false}` or "
               "`builtins: {glossary: ordlista.lua}`");
    return;
  }
  for (size_t i = 0; i < b->u.map.n; i++) {
    int k = 0;
    while (k < BUILTIN_COUNT && strcmp(builtin_names[k], b->u.map.keys[i]) != 0)
      k++;
    const vk_value *v = b->u.map.vals[i];
    if (k == BUILTIN_COUNT)
      diag_error(dg, file, v->line, v->col,
                 "unknown built-in '%s' — the built-ins are `variables` and `glossary`",
                 b->u.map.keys[i]);
    else
      parse_builtin(builtin_names[k], v, &out[k], file, dg);
  }
}

static void free_builtins(vk_builtin_cfg *b) {
  for (int k = 0; k < BUILTIN_COUNT; k++)
    free(b[k].file);
}

static vk_org *parse_org(const vk_value *m, const char *file, diag *dg) {
  static const char *const known[] = {"id",      "name",     "parent", "variables",
                                      "filters", "builtins", NULL};
  if (m->type != VK_MAP) {
    diag_error(dg, file, m->line, m->col, "an organisation must be a map with id and name");
    return NULL;
  }
  yv_check_keys(m, known, "an organisation", file, dg);
  vk_org *o = xcalloc(1, sizeof *o);
  o->line = m->line;
  o->id = yv_string(m, "id", true, file, dg);
  o->name = yv_string(m, "name", true, file, dg);
  o->parent_id = yv_string(m, "parent", false, file, dg);
  vk_value *vars = vk_map_get(m, "variables");
  if (vars && vars->type != VK_NULL) {
    if (vars->type != VK_MAP) {
      diag_error(dg, file, vars->line, vars->col,
                 "'variables' must be a map — write `variables: {name: text}`");
    } else {
      for (size_t i = 0; i < vars->u.map.n; i++) {
        vk_value *val = vars->u.map.vals[i];
        if (val->type != VK_STRING && val->type != VK_INT)
          diag_error(dg, file, val->line, val->col,
                     "variable '%s' must be a text — quote it: `%s: \"…\"`", vars->u.map.keys[i],
                     vars->u.map.keys[i]);
      }
      o->own_vars = vk_value_copy(vars);
    }
  }
  if (!o->own_vars)
    o->own_vars = vk_map();
  yv_filters(m, &o->filters, file, dg);
  parse_builtins(m, o->builtins, file, dg);
  if (o->id && !yv_valid_id(o->id))
    diag_error(dg, file, m->line, m->col, "organisation id '%s' may only use a–z, 0–9 and '-'",
               o->id);
  return o;
}

/* ---- role capabilities ------------------------------------------------ */

static const char *const cap_names[ROLE_CAPS] = {"handledning", "granskning"};

const char *role_cap_name(unsigned cap) {
  for (int k = 0; k < ROLE_CAPS; k++)
    if (cap == 1u << k)
      return cap_names[k];
  return "?";
}

bool role_can(const vk_role *r, unsigned cap) {
  return r && (r->caps & cap) != 0;
}

const vk_role *site_first_role_can(const vk_site *s, unsigned cap) {
  for (size_t i = 0; i < s->n_roles; i++)
    if (role_can(s->roles[i], cap))
      return s->roles[i];
  return NULL;
}

static void bad_cap(const vk_value *v, const char *file, diag *dg) {
  diag_error(dg, file, v->line, v->col,
             "unknown capability '%s' — a role's `can:` lists some of: handledning (facilitator "
             "notes, facilitator guide, speaker notes), granskning (review dashboard and reports)",
             v->type == VK_STRING ? v->u.str.s : "?");
}

/* `can: [handledning, granskning]` (a single name is a one-item list). */
static unsigned parse_caps(const vk_value *m, const char *file, diag *dg) {
  const vk_value *can = vk_map_get(m, "can");
  if (!can || can->type == VK_NULL)
    return 0;
  size_t n = can->type == VK_LIST ? can->u.list.n : 1;
  unsigned caps = 0;
  for (size_t i = 0; i < n; i++) {
    const vk_value *v = can->type == VK_LIST ? can->u.list.items[i] : can;
    int k = 0;
    while (v->type == VK_STRING && k < ROLE_CAPS && strcmp(cap_names[k], v->u.str.s) != 0)
      k++;
    if (v->type != VK_STRING || k == ROLE_CAPS)
      bad_cap(v, file, dg);
    else
      caps |= 1u << k;
  }
  return caps;
}

char *site_role_ids(const vk_site *s) {
  sbuf b = {0};
  for (size_t i = 0; i < s->n_roles; i++)
    if (s->roles[i]->id) {
      if (b.len)
        sbuf_puts(&b, ", ");
      sbuf_puts(&b, s->roles[i]->id);
    }
  return sbuf_take(&b);
}

bool site_check_participants(const vk_site *s, const char *id, const char *key, const char *file,
                             int line, int col, diag *dg) {
  const vk_role *r = site_role(s, id);
  if (r && !role_can(r, ROLE_CAN_FACILITATE))
    return true;
  char *ids = site_role_ids(s);
  if (!r)
    diag_error(dg, file, line, col,
               "'%s' names '%s', which is not a role in site.yaml — use one of: %s", key, id, ids);
  else
    diag_error(dg, file, line, col,
               "'%s' names '%s', which has `can: [handledning]`: the slides and participant "
               "handouts would carry the facilitator notes — name a role without handledning "
               "(roles: %s)",
               key, id, ids);
  free(ids);
  return false;
}

/* `packs: {participants: ID}` */
static void parse_packs(vk_site *s, const vk_value *root, diag *dg) {
  static const char *const known[] = {"participants", NULL};
  const vk_value *p = vk_map_get(root, "packs");
  if (!p || p->type == VK_NULL)
    return;
  if (p->type != VK_MAP) {
    diag_error(dg, s->file, p->line, p->col,
               "'packs' must be a map — write `packs: {participants: <role id>}`");
    return;
  }
  yv_check_keys(p, known, "packs", s->file, dg);
  const vk_value *v = vk_map_get(p, "participants");
  if (!v)
    return;
  s->participants = yv_string(p, "participants", false, s->file, dg);
  if (s->participants)
    site_check_participants(s, s->participants, "packs.participants", s->file, v->line, v->col, dg);
}

/* `card: <routine id>`: a non-empty id (no id, `card:` left empty: no
 * card). Whether a routine has it is checked with the documents. */
static void parse_card(vk_site *s, const vk_value *root, diag *dg) {
  const vk_value *v = vk_map_get(root, "card");
  if (!v || v->type == VK_NULL)
    return;
  bool ok = v->type == VK_STRING && v->u.str.len > 0 && !strpbrk(v->u.str.s, " /\\\t\n");
  if (!ok) {
    diag_error(dg, s->file, v->line, v->col,
               "'card' must be one routine id — write `card: <routine id>` (the emergency "
               "card's routine, e.g. `card: hot-i-mote`)");
    return;
  }
  s->card = xstrdup(v->u.str.s);
  s->card_line = v->line;
  s->card_col = v->col;
}

/* `labels: {key: text}` — the theme's labels this site words its own way. */
static void parse_labels(vk_site *s, const vk_value *root, diag *dg) {
  const vk_value *l = vk_map_get(root, "labels");
  if (!l || l->type == VK_NULL)
    return;
  if (l->type != VK_MAP) {
    diag_error(dg, s->file, l->line, l->col,
               "'labels' must be a map of label key: text — e.g. `labels: {slides.contact: …}`");
    return;
  }
  for (size_t i = 0; i < l->u.map.n; i++) {
    const vk_value *v = l->u.map.vals[i];
    if (v->type != VK_STRING)
      diag_error(dg, s->file, v->line, v->col, "label '%s' must be a text — quote it: `\"…\"`",
                 l->u.map.keys[i]);
  }
  s->labels = l;
}

static vk_role *parse_role(const vk_value *m, const char *file, diag *dg) {
  static const char *const known[] = {"id", "name", "filters", "description", "can", NULL};
  if (m->type != VK_MAP) {
    diag_error(dg, file, m->line, m->col, "a role must be a map with id and name");
    return NULL;
  }
  yv_check_keys(m, known, "a role", file, dg);
  vk_role *r = xcalloc(1, sizeof *r);
  r->line = m->line;
  r->id = yv_string(m, "id", true, file, dg);
  r->name = yv_string(m, "name", true, file, dg);
  yv_filters(m, &r->filters, file, dg);
  r->caps = parse_caps(m, file, dg);
  if (r->id && !yv_valid_id(r->id))
    diag_error(dg, file, m->line, m->col, "role id '%s' may only use a–z, 0–9 and '-'", r->id);
  return r;
}

static void free_org(vk_org *o) {
  if (!o)
    return;
  free(o->id);
  free(o->name);
  free(o->parent_id);
  vk_value_free(o->own_vars);
  vk_value_free(o->vars);
  for (size_t i = 0; i < o->filters.n; i++)
    free(o->filters.items[i]);
  vec_free(&o->filters);
  free_builtins(o->builtins);
  free(o);
}

static void free_role(vk_role *r) {
  if (!r)
    return;
  free(r->id);
  free(r->name);
  for (size_t i = 0; i < r->filters.n; i++)
    free(r->filters.items[i]);
  vec_free(&r->filters);
  free(r);
}

static void free_targets(vk_site *s);
static void parse_targets(vk_site *s, const vk_value *root, diag *dg);

void site_free(vk_site *s) {
  if (!s)
    return;
  free(s->file);
  free(s->title);
  free(s->language);
  free(s->base_url);
  free(s->description);
  free(s->contact);
  free(s->participants);
  free(s->card);
  for (size_t i = 0; i < s->filters.n; i++)
    free(s->filters.items[i]);
  vec_free(&s->filters);
  free_builtins(s->builtins);
  for (size_t i = 0; i < s->n_orgs; i++)
    free_org(s->orgs[i]);
  free(s->orgs);
  for (size_t i = 0; i < s->n_roles; i++)
    free_role(s->roles[i]);
  free(s->roles);
  free_targets(s);
  vk_value_free(s->raw);
  vk_value_free(s->accessibility);
  free(s);
}

/* ---- the accessibility statement ---------------------------------------- */

static bool is_iso_date(const char *s) {
  static const char shape[] = "dddd-dd-dd";
  if (strlen(s) != sizeof shape - 1)
    return false;
  for (size_t i = 0; shape[i]; i++)
    if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
      return false;
  return true;
}

/* A required text of a; NULL (and an error at a's line) when missing. */
static const vk_value *a11y_text(const vk_value *a, const char *key, const char *example,
                                 const char *file, diag *dg) {
  const vk_value *v = vk_map_get(a, key);
  if (!v || v->type != VK_STRING || !v->u.str.s[0]) {
    const vk_value *at = v ? v : a;
    diag_error(dg, file, at->line, at->col,
               "accessibility.%s is missing or not a text — add e.g. `%s: %s` (what DIGG asks "
               "an accessibility statement to say)",
               key, key, example);
    return NULL;
  }
  return v;
}

/* One of the allowed words at key, as a flag `<key>_<word>` in out. */
static void a11y_choice(const vk_value *a, const char *key, const char *const *words, vk_value *out,
                        const char *file, diag *dg) {
  const vk_value *v = a11y_text(a, key, words[0], file, dg);
  if (!v)
    return;
  sbuf all = {0};
  for (size_t i = 0; words[i]; i++) {
    if (strcmp(v->u.str.s, words[i]) == 0) {
      char *flag = xasprintf("%s_%s", key, words[i]);
      vk_map_set(out, flag, vk_bool(true));
      free(flag);
      sbuf_free(&all);
      return;
    }
    sbuf_printf(&all, "%s%s", i ? ", " : "", words[i]);
  }
  diag_error(dg, file, v->line, v->col, "accessibility.%s is '%s' — write one of: %s", key,
             v->u.str.s, sbuf_str(&all));
  sbuf_free(&all);
}

static void a11y_date(const vk_value *a, const char *key, vk_value *out, const char *file,
                      diag *dg) {
  const vk_value *v = a11y_text(a, key, "2026-11-20", file, dg);
  if (v && !is_iso_date(v->u.str.s))
    diag_error(dg, file, v->line, v->col,
               "accessibility.%s is '%s' — write a date as YYYY-MM-DD, e.g. 2026-11-20", key,
               v->u.str.s);
  else if (v)
    vk_map_put(out, key, v->u.str.s);
}

/* The known gaps: a list of texts, required (and may be empty) unless the
 * site is fully compliant. */
static void a11y_gaps(const vk_value *a, vk_value *out, const char *file, diag *dg) {
  const vk_value *g = vk_map_get(a, "not_accessible");
  bool full = vk_map_get(out, "compliance_full") != NULL;
  if (!g && full)
    return;
  if (!g || g->type != VK_LIST) {
    const vk_value *at = g ? g : a;
    diag_error(dg, file, at->line, at->col,
               "accessibility.not_accessible must list what is not accessible and why — e.g. "
               "`not_accessible: [\"Bildspelen (ODP) …\"]`");
    return;
  }
  vk_value *list = vk_list();
  for (size_t i = 0; i < g->u.list.n; i++) {
    const vk_value *t = g->u.list.items[i];
    if (t->type != VK_STRING || !t->u.str.s[0]) {
      diag_error(dg, file, t->line, t->col,
                 "accessibility.not_accessible: each entry must be a text — what and why");
      continue;
    }
    vk_value *item = vk_map();
    vk_map_put(item, "text", t->u.str.s);
    vk_list_push(list, item);
  }
  vk_map_set(out, "has_gaps", vk_bool(list->u.list.n > 0));
  vk_map_set(out, "not_accessible", list);
}

/* `accessibility:` — what DIGG asks an accessibility statement to say:
 * compliance (full, partial, none), how (self or third_party, with an
 * assessor) and when it was assessed, what is not accessible and why, a
 * contact (default: the site's `contact`), the statement's date. */
static vk_value *site_accessibility(const vk_value *root, const char *contact, const char *file,
                                    diag *dg) {
  const vk_value *a = vk_map_get(root, "accessibility");
  if (!a || a->type == VK_NULL)
    return NULL;
  if (a->type != VK_MAP) {
    diag_error(dg, file, a->line, a->col,
               "accessibility must be a map — see docs/content-format.md (site.yaml)");
    return NULL;
  }
  static const char *const known[] = {"compliance", "method",  "assessor",       "assessed",
                                      "date",       "contact", "not_accessible", NULL};
  yv_check_keys(a, known, "accessibility", file, dg);
  static const char *const compliance[] = {"partial", "full", "none", NULL};
  static const char *const method[] = {"self", "third_party", NULL};
  vk_value *out = vk_map();
  a11y_choice(a, "compliance", compliance, out, file, dg);
  a11y_choice(a, "method", method, out, file, dg);
  const vk_value *who = vk_map_get(a, "assessor");
  if (who && who->type == VK_STRING)
    vk_map_put(out, "assessor", who->u.str.s);
  else if (vk_map_get(out, "method_third_party"))
    a11y_text(a, "assessor", "\"Granskningsbolaget AB\"", file, dg);
  a11y_date(a, "assessed", out, file, dg);
  a11y_date(a, "date", out, file, dg);
  const vk_value *c = vk_map_get(a, "contact");
  if (c && c->type == VK_STRING && c->u.str.s[0])
    vk_map_put(out, "contact", c->u.str.s);
  else if (contact)
    vk_map_put(out, "contact", contact);
  else
    a11y_text(a, "contact", "\"webbredaktionen, webb@kommun.se\"", file, dg);
  a11y_gaps(a, out, file, dg);
  return out;
}

vk_org *site_org(const vk_site *s, const char *id) {
  for (size_t i = 0; i < s->n_orgs; i++)
    if (s->orgs[i]->id && strcmp(s->orgs[i]->id, id) == 0)
      return s->orgs[i];
  for (size_t i = 0; i < s->n_orgs_out; i++)
    if (s->orgs_out[i]->id && strcmp(s->orgs_out[i]->id, id) == 0)
      return s->orgs_out[i];
  return NULL;
}

vk_role *site_role(const vk_site *s, const char *id) {
  for (size_t i = 0; i < s->n_roles; i++)
    if (s->roles[i]->id && strcmp(s->roles[i]->id, id) == 0)
      return s->roles[i];
  return NULL;
}

bool org_within(const vk_org *org, const vk_org *scope) {
  for (const vk_org *o = org; o; o = o->parent)
    if (o == scope)
      return true;
  return false;
}

const char *org_var(const vk_org *org, const char *name) {
  const vk_value *v = vk_map_get(org->vars, name);
  return v && v->type == VK_STRING ? v->u.str.s : NULL;
}

static void stringify_vars(vk_value *map) {
  for (size_t i = 0; i < map->u.map.n; i++) {
    vk_value *v = map->u.map.vals[i];
    if (v->type == VK_INT) {
      char *s = xasprintf("%lld", v->u.i);
      map->u.map.vals[i] = vk_str(s);
      free(s);
      vk_value_free(v);
    }
  }
}

/* An organisation with its ancestors (variables, filters, containers). */
#define ORG_MAX_DEPTH 64

/* Links parents, rejects cycles, merges variables top-down. */
static void resolve_orgs(vk_site *s, diag *dg) {
  for (size_t i = 0; i < s->n_orgs; i++) {
    vk_org *o = s->orgs[i];
    if (!o->parent_id)
      continue;
    o->parent = site_org(s, o->parent_id);
    if (!o->parent)
      diag_error(dg, s->file, o->line, 1,
                 "organisation '%s' names parent '%s', which does not exist — use one of the "
                 "organisation ids in this file",
                 o->id ? o->id : "?", o->parent_id);
  }
  for (size_t i = 0; i < s->n_orgs; i++) {
    size_t steps = 0;
    for (vk_org *p = s->orgs[i]->parent; p; p = p->parent) {
      if (++steps > s->n_orgs) {
        diag_error(dg, s->file, s->orgs[i]->line, 1,
                   "organisation '%s' is its own ancestor — break the parent cycle",
                   s->orgs[i]->id);
        s->orgs[i]->parent = NULL;
        break;
      }
    }
    if (steps >= ORG_MAX_DEPTH && s->orgs[i]->parent) /* variables and filters stop at 64 */
      diag_error(dg, s->file, s->orgs[i]->line, 1,
                 "organisation '%s' is %zu levels below its top organisation; at most %d are "
                 "allowed — attach it higher up",
                 s->orgs[i]->id, steps, ORG_MAX_DEPTH - 1);
  }
  for (size_t i = 0; i < s->n_orgs; i++) {
    vk_org *o = s->orgs[i];
    vk_org *chain[ORG_MAX_DEPTH];
    size_t n = 0;
    for (vk_org *p = o; p && n < ORG_MAX_DEPTH; p = p->parent)
      chain[n++] = p;
    o->vars = vk_map();
    while (n--)
      for (size_t k = 0; k < chain[n]->own_vars->u.map.n; k++)
        vk_map_set(o->vars, chain[n]->own_vars->u.map.keys[k],
                   vk_value_copy(chain[n]->own_vars->u.map.vals[k]));
    stringify_vars(o->vars);
  }
}

static void parse_lists(vk_site *s, const vk_value *root, diag *dg) {
  vk_value *orgs = vk_map_get(root, "organisations");
  if (!orgs || orgs->type != VK_LIST || orgs->u.list.n == 0) {
    diag_error(dg, s->file, orgs ? orgs->line : 1, orgs ? orgs->col : 1,
               "site.yaml needs a list 'organisations' with at least one entry (id, name)");
  } else {
    s->orgs = xcalloc(orgs->u.list.n, sizeof *s->orgs);
    for (size_t i = 0; i < orgs->u.list.n; i++) {
      vk_org *o = parse_org(orgs->u.list.items[i], s->file, dg);
      if (!o)
        continue;
      if (o->id && site_org(s, o->id)) {
        diag_error(dg, s->file, o->line, 1,
                   "organisation id '%s' is used twice — ids must be unique", o->id);
        free_org(o);
        continue;
      }
      s->orgs[s->n_orgs++] = o;
    }
  }
  vk_value *roles = vk_map_get(root, "roles");
  if (!roles || roles->type != VK_LIST || roles->u.list.n == 0) {
    diag_error(dg, s->file, roles ? roles->line : 1, roles ? roles->col : 1,
               "site.yaml needs a list 'roles' with at least one entry (id, name)");
  } else {
    s->roles = xcalloc(roles->u.list.n, sizeof *s->roles);
    for (size_t i = 0; i < roles->u.list.n; i++) {
      vk_role *r = parse_role(roles->u.list.items[i], s->file, dg);
      if (!r)
        continue;
      if (r->id && site_role(s, r->id)) {
        diag_error(dg, s->file, r->line, 1, "role id '%s' is used twice — ids must be unique",
                   r->id);
        free_role(r);
        continue;
      }
      s->roles[s->n_roles++] = r;
    }
  }
}

/* review.history: where a routine's history comes from — git (default) or
 * changes (the front matter lists, even when the content is in Git). */
static void parse_history_source(vk_site *s, const vk_value *review, const char *file, diag *dg) {
  vk_value *h = vk_map_get(review, "history");
  if (!h)
    return;
  if (h->type == VK_STRING && strcmp(h->u.str.s, "changes") == 0)
    s->history_changes = true;
  else if (!(h->type == VK_STRING && strcmp(h->u.str.s, "git") == 0))
    diag_error(dg, file, h->line, h->col,
               "review.history must be git or changes — git reads the history from the "
               "repository, changes from each routine's `changes:` list");
}

vk_site *site_parse(const char *text, size_t len, const char *file, diag *dg) {
  static const char *const known[] = {
      "title",         "language", "base_url", "description",   "contact",  "review", "filters",
      "organisations", "roles",    "theme",    "accessibility", "builtins", "packs",  "labels",
      "targets",       "card",     NULL};
  int before = diag_errors(dg);
  size_t bad;
  if (!utf8_valid(text, len, &bad)) {
    diag_error(dg, file, 0, 0, "invalid UTF-8 at byte %zu — save the file as UTF-8", bad);
    return NULL;
  }
  vk_value *root = yaml_to_value(text, len, file, 0, dg);
  if (!root)
    return NULL;
  if (root->type != VK_MAP) {
    diag_error(dg, file, root->line, root->col, "site.yaml must be a map of settings");
    vk_value_free(root);
    return NULL;
  }
  vk_site *s = xcalloc(1, sizeof *s);
  s->file = xstrdup(file);
  s->raw = root;
  yv_check_keys(root, known, "site.yaml", file, dg);
  s->title = yv_string(root, "title", true, file, dg);
  s->language = yv_string(root, "language", false, file, dg);
  if (!s->language)
    s->language = xstrdup("sv");
  s->base_url = yv_string(root, "base_url", true, file, dg);
  if (s->base_url && strncmp(s->base_url, "http://", 7) != 0 &&
      strncmp(s->base_url, "https://", 8) != 0) {
    vk_value *v = vk_map_get(root, "base_url");
    diag_error(dg, file, v->line, v->col,
               "base_url must be an absolute http(s) address — e.g. https://intranat.example.se/");
  }
  if (s->base_url && s->base_url[0] && s->base_url[strlen(s->base_url) - 1] != '/') {
    char *fixed = xasprintf("%s/", s->base_url);
    free(s->base_url);
    s->base_url = fixed;
  }
  s->description = yv_string(root, "description", false, file, dg);
  s->contact = yv_string(root, "contact", false, file, dg);
  s->accessibility = site_accessibility(root, s->contact, file, dg);
  s->due_soon_days = 60;
  vk_value *review = vk_map_get(root, "review");
  if (review && review->type == VK_MAP) {
    vk_value *d = vk_map_get(review, "due_soon_days");
    if (d && d->type == VK_INT && d->u.i >= 0 && d->u.i < 3650)
      s->due_soon_days = (int)d->u.i;
    else if (d)
      diag_error(dg, file, d->line, d->col,
                 "review.due_soon_days must be a number of days (0–3650) — e.g. 60");
    parse_history_source(s, review, file, dg);
  }
  yv_filters(root, &s->filters, file, dg);
  parse_builtins(root, s->builtins, file, dg);
  parse_lists(s, root, dg);
  parse_packs(s, root, dg);
  parse_card(s, root, dg);
  parse_labels(s, root, dg);
  resolve_orgs(s, dg);
  parse_targets(s, root, dg);
  if (diag_errors(dg) > before) {
    site_free(s);
    return NULL;
  }
  return s;
}

/* A replacement named in site.yaml must exist in content/filters/. */
static bool check_builtin_file(const vk_builtin_cfg *b, vk_builtin k, const char *path, diag *dg) {
  if (b->mode != BUILTIN_LUA)
    return true;
  const char *slash = strrchr(path, '/');
  char *f = slash ? xasprintf("%.*s/filters/%s", (int)(slash - path), path, b->file)
                  : xasprintf("filters/%s", b->file);
  bool found = is_file(f);
  free(f);
  if (found)
    return true;
  diag_error(dg, path, b->line, b->col,
             "built-in '%s' is replaced by filters/%s, which cannot be read — create it "
             "under content/filters/ or fix the name",
             builtin_name(k), b->file);
  return false;
}

static bool check_builtin_files(const vk_site *s, const char *path, diag *dg) {
  bool ok = true;
  for (int k = 0; k < BUILTIN_COUNT; k++) {
    ok = check_builtin_file(&s->builtins[k], (vk_builtin)k, path, dg) && ok;
    for (size_t i = 0; i < s->n_orgs; i++)
      ok = check_builtin_file(&s->orgs[i]->builtins[k], (vk_builtin)k, path, dg) && ok;
  }
  return ok;
}

vk_site *site_load(const char *path, diag *dg) {
  size_t len;
  char *text = read_file(path, &len);
  if (!text) {
    diag_error(dg, path, 0, 0,
               "cannot read the site configuration — create it (see docs/content-format.md)");
    return NULL;
  }
  vk_site *s = site_parse(text, len, path, dg);
  free(text);
  if (s && !check_builtin_files(s, path, dg)) {
    site_free(s);
    return NULL;
  }
  return s;
}

/* ---- publish targets -------------------------------------------------- */

static bool ids_have(const vec *v, const char *id) {
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->items[i], id) == 0)
      return true;
  return false;
}

static bool valid_group(const char *g) {
  if (!*g)
    return false;
  for (const char *p = g; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          strchr("._@-", *p)))
      return false;
  return true;
}

/* `key: [id, …]`: ids that `exists` accepts, each error at its item. */
static void parse_id_list(const vk_value *m, const char *key, vec *out, const vk_site *s,
                          bool roles, diag *dg) {
  const vk_value *l = vk_map_get(m, key);
  if (!l)
    return;
  if (l->type != VK_LIST) {
    diag_error(dg, s->file, l->line, l->col,
               "a target's '%s' must be a list of ids — e.g. `%s: [%s]`", key, key,
               roles ? (s->n_roles ? s->roles[0]->id : "role-id")
                     : (s->n_orgs ? s->orgs[0]->id : "org-id"));
    return;
  }
  for (size_t i = 0; i < l->u.list.n; i++) {
    const vk_value *v = l->u.list.items[i];
    const char *id = v->type == VK_STRING ? v->u.str.s : NULL;
    if (!id || !(roles ? (void *)site_role(s, id) : (void *)site_org(s, id)))
      diag_error(dg, s->file, v->line, v->col,
                 "target %s '%s' is not in site.yaml — use an id from `%s:`",
                 roles ? "role" : "organisation", id ? id : "?", roles ? "roles" : "organisations");
    else if (ids_have(out, id))
      diag_error(dg, s->file, v->line, v->col, "'%s' is listed twice in the target", id);
    else
      vec_push(out, xstrdup(id));
  }
}

static bool target_has_role(const vk_target *t, const char *id) {
  return !t->roles.n || ids_have(&t->roles, id);
}

/* `groups: {role: [group, …]}` */
static void parse_groups(const vk_value *m, vk_target *t, const vk_site *s, diag *dg) {
  const vk_value *g = vk_map_get(m, "groups");
  if (!g)
    return;
  if (g->type != VK_MAP) {
    diag_error(dg, s->file, g->line, g->col,
               "a target's 'groups' must map role ids to lists of groups — e.g. "
               "`groups: {%s: [sso-group]}`",
               s->n_roles ? s->roles[0]->id : "role-id");
    return;
  }
  t->groups = xcalloc(g->u.map.n ? g->u.map.n : 1, sizeof *t->groups);
  for (size_t i = 0; i < g->u.map.n; i++) {
    const char *role = g->u.map.keys[i];
    const vk_value *l = g->u.map.vals[i];
    if (!site_role(s, role) || !target_has_role(t, role)) {
      diag_error(dg, s->file, l->line, l->col,
                 "groups for role '%s', which is not a role of target '%s' — use a role of its "
                 "`roles:`",
                 role, t->id ? t->id : "?");
      continue;
    }
    vk_target_groups *tg = &t->groups[t->n_groups++];
    tg->role = xstrdup(role);
    bool list = l->type == VK_LIST;
    for (size_t k = 0; list && k < l->u.list.n; k++) {
      const vk_value *v = l->u.list.items[k];
      if (v->type == VK_STRING && valid_group(v->u.str.s))
        vec_push(&tg->groups, xstrdup(v->u.str.s));
      else
        diag_error(dg, s->file, v->line, v->col,
                   "a group name is letters, digits and . _ @ - — e.g. `chefer`");
    }
    if (!list)
      diag_error(dg, s->file, l->line, l->col,
                 "the groups of role '%s' must be a list — e.g. `%s: [grupp-a, grupp-b]`", role,
                 role);
  }
}

static vk_target *parse_target(const vk_site *s, const vk_value *m, diag *dg) {
  static const char *const known[] = {"id", "base_url", "roles", "organisations", "groups", NULL};
  if (m->type != VK_MAP) {
    diag_error(dg, s->file, m->line, m->col,
               "a target must be a map (id, base_url, roles, organisations, groups)");
    return NULL;
  }
  yv_check_keys(m, known, "a target", s->file, dg);
  vk_target *t = xcalloc(1, sizeof *t);
  t->line = m->line;
  t->id = yv_string(m, "id", true, s->file, dg);
  if (t->id &&
      (!yv_valid_id(t->id) || strcmp(t->id, "site") == 0 || strcmp(t->id, "access") == 0)) {
    const vk_value *v = vk_map_get(m, "id");
    diag_error(dg, s->file, v->line, v->col,
               "target id '%s' must be lowercase letters, digits, - or _ and not `site` or "
               "`access` — e.g. `intranat`",
               t->id);
  }
  t->base_url = yv_string(m, "base_url", false, s->file, dg);
  if (t->base_url && strncmp(t->base_url, "http://", 7) != 0 &&
      strncmp(t->base_url, "https://", 8) != 0) {
    const vk_value *v = vk_map_get(m, "base_url");
    diag_error(dg, s->file, v->line, v->col,
               "a target's base_url must be an absolute http(s) address — e.g. "
               "https://politiker.example.se/vaksam/");
  } else if (t->base_url && t->base_url[strlen(t->base_url) - 1] != '/') {
    char *fixed = xasprintf("%s/", t->base_url);
    free(t->base_url);
    t->base_url = fixed;
  }
  parse_id_list(m, "roles", &t->roles, s, true, dg);
  parse_id_list(m, "organisations", &t->orgs, s, false, dg);
  parse_groups(m, t, s, dg);
  return t;
}

static void free_target(vk_target *t) {
  free(t->id);
  free(t->base_url);
  for (size_t i = 0; i < t->roles.n; i++)
    free(t->roles.items[i]);
  vec_free(&t->roles);
  for (size_t i = 0; i < t->orgs.n; i++)
    free(t->orgs.items[i]);
  vec_free(&t->orgs);
  for (size_t i = 0; i < t->n_groups; i++) {
    free(t->groups[i].role);
    for (size_t k = 0; k < t->groups[i].groups.n; k++)
      free(t->groups[i].groups.items[k]);
    vec_free(&t->groups[i].groups);
  }
  free(t->groups);
  free(t);
}

static void parse_targets(vk_site *s, const vk_value *root, diag *dg) {
  const vk_value *l = vk_map_get(root, "targets");
  if (!l || l->type == VK_NULL)
    return;
  if (l->type != VK_LIST || !l->u.list.n) {
    diag_error(dg, s->file, l->line, l->col,
               "'targets' must be a list of targets (id, base_url, roles, organisations, groups) "
               "— see docs/deploy.md");
    return;
  }
  s->targets = xcalloc(l->u.list.n, sizeof *s->targets);
  for (size_t i = 0; i < l->u.list.n; i++) {
    vk_target *t = parse_target(s, l->u.list.items[i], dg);
    if (!t)
      continue;
    for (size_t k = 0; t->id && k < s->n_targets; k++)
      if (s->targets[k]->id && strcmp(s->targets[k]->id, t->id) == 0)
        diag_error(dg, s->file, t->line, 1, "target id '%s' is used twice — ids must be unique",
                   t->id);
    s->targets[s->n_targets++] = t;
  }
}

static void free_targets(vk_site *s) {
  for (size_t i = 0; i < s->n_targets; i++)
    free_target(s->targets[i]);
  free(s->targets);
  for (size_t i = 0; i < s->n_orgs_out; i++)
    free_org(s->orgs_out[i]);
  free(s->orgs_out);
  for (size_t i = 0; i < s->n_roles_out; i++)
    free_role(s->roles_out[i]);
  free(s->roles_out);
}

void site_restrict(vk_site *s, const vk_target *t) {
  s->target = t;
  if (t->base_url) {
    free(s->base_url);
    s->base_url = xstrdup(t->base_url);
  }
  size_t n = 0;
  s->orgs_out = xcalloc(s->n_orgs ? s->n_orgs : 1, sizeof *s->orgs_out);
  for (size_t i = 0; i < s->n_orgs; i++)
    if (!t->orgs.n || ids_have(&t->orgs, s->orgs[i]->id))
      s->orgs[n++] = s->orgs[i];
    else
      s->orgs_out[s->n_orgs_out++] = s->orgs[i];
  s->n_orgs = n;
  n = 0;
  s->roles_out = xcalloc(s->n_roles ? s->n_roles : 1, sizeof *s->roles_out);
  for (size_t i = 0; i < s->n_roles; i++)
    if (target_has_role(t, s->roles[i]->id))
      s->roles[n++] = s->roles[i];
    else
      s->roles_out[s->n_roles_out++] = s->roles[i];
  s->n_roles = n;
}

size_t site_role_groups(const vk_site *s, const vk_role *r, const char *const **out) {
  for (size_t i = 0; s->target && i < s->target->n_groups; i++)
    if (strcmp(s->target->groups[i].role, r->id) == 0 && s->target->groups[i].groups.n) {
      *out = (const char *const *)s->target->groups[i].groups.items;
      return s->target->groups[i].groups.n;
    }
  *out = (const char *const *)&r->id;
  return 1;
}
