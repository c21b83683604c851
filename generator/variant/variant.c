/* variant.c — see variant.h. */
#include "variant.h"
#include "image.h"
#include "markdown.h"
#include "safepath.h"

#include <stdlib.h>
#include <string.h>

/* An attribute value lists ids separated by spaces or commas. */
static bool list_has(const char *list, const char *id) {
  size_t n = strlen(id), len;
  const char *p = list, *word;
  while (list_next(&p, &word, &len))
    if (len == n && memcmp(word, id, n) == 0)
      return true;
  return false;
}

static bool org_listed(const vk_site *s, const char *list, const vk_org *org) {
  for (const vk_org *o = org; o; o = o->parent) /* a listed parent includes its children */
    if (list_has(list, o->id))
      return true;
  (void)s;
  return false;
}

bool variant_container_applies(const vk_site *s, const md_attrs *a, const vk_org *org,
                               const vk_role *role) {
  const char *roles = md_attrs_get(a, "roles");
  const char *orgs = md_attrs_get(a, "orgs");
  if (roles && role && !list_has(roles, role->id))
    return false;
  if (role && !role_can(role, ROLE_CAN_FACILITATE) && md_attrs_has_class(a, "handledning"))
    return false; /* facilitator notes: only for roles with `can: [handledning]` */
  if (orgs && org && !org_listed(s, orgs, org))
    return false;
  return true;
}

bool variant_format_applies(const md_attrs *a, const char *format) {
  const char *formats = md_attrs_get(a, "formats");
  return !formats || !format || list_has(formats, format);
}

static bool conditional(md_type t) {
  return t == MD_DIV || t == MD_SPAN;
}

/* Depth-first over the whole tree: containers among blocks, spans among
 * inlines (also inside links and emphasis). */
static void prune_containers(const vk_variant_ctx *v, cmark_node *parent) {
  cmark_node *child = cmark_node_first_child(parent);
  while (child) {
    cmark_node *next = cmark_node_next(child);
    const md_attrs *a = conditional(md_type_of(child)) ? md_attrs_of(child) : NULL;
    if (a && (!variant_container_applies(v->content->site, a, v->org, v->role) ||
              !variant_format_applies(a, v->format)))
      cmark_node_free(child);
    else if (cmark_node_first_child(child))
      prune_containers(v, child);
    child = next;
  }
}

/* The names of the organisation's variables, "a, b, c" (or "none"). */
static char *known_vars(const vk_org *org) {
  sbuf b = {0};
  const vk_value *v = org ? org->vars : NULL;
  for (size_t i = 0; v && v->type == VK_MAP && i < v->u.map.n; i++)
    sbuf_printf(&b, "%s%s", i ? ", " : "", v->u.map.keys[i]);
  if (!b.len)
    sbuf_puts(&b, "none");
  return sbuf_take(&b);
}

char *variant_expand(const char *text, const vk_org *org, const char *file, int line, int col,
                     diag *dg) {
  sbuf out = {0};
  const char *p = text;
  for (;;) {
    const char *open = strstr(p, "{{");
    if (!open)
      break;
    const char *close = strstr(open + 2, "}}");
    if (!close)
      break;
    sbuf_putn(&out, p, (size_t)(open - p));
    const char *s = open + 2, *e = close;
    while (s < e && *s == ' ')
      s++;
    while (e > s && e[-1] == ' ')
      e--;
    char *name = xstrndup(s, (size_t)(e - s));
    const char *val = org ? org_var(org, name) : NULL;
    if (val) {
      sbuf_puts(&out, val);
    } else if (dg) {
      char *known = known_vars(org);
      diag_error(dg, file, line, col + (int)(open - text),
                 "unknown variable '%s' for organisation '%s' (known: %s) — define it under "
                 "`variables:` in site.yaml or fix the name",
                 name, org ? org->id : "?", known);
      free(known);
      sbuf_putn(&out, open, (size_t)(close + 2 - open));
    } else {
      sbuf_putn(&out, open, (size_t)(close + 2 - open));
    }
    free(name);
    p = close + 2;
  }
  sbuf_puts(&out, p);
  return sbuf_take(&out);
}

/* Variables are checked on the parsed tree (clones have no source
 * positions), once per organisation, skipping containers for other
 * organisations. */
static void check_vars_in(const vk_site *s, const vk_doc *d, const vk_org *org, cmark_node *n,
                          diag *dg) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
    md_type t = md_type_of(c);
    if (conditional(t) && !variant_container_applies(s, md_attrs_of(c), org, NULL))
      continue;
    const char *text = t == MD_TEXT                    ? cmark_node_get_literal(c)
                       : t == MD_LINK || t == MD_IMAGE ? cmark_node_get_url(c)
                                                       : NULL;
    if (text && strstr(text, "{{")) {
      char *x = variant_expand(text, org, d->srcpath, cmark_node_get_start_line(c),
                               cmark_node_get_start_column(c), dg);
      free(x);
    }
    check_vars_in(s, d, org, c, dg);
  }
}

/* Titles and summaries are one text for every organisation (pages, feeds,
 * handouts, search): a {{name}} there is never expanded, so it is an error
 * at its front-matter line, naming the variable and the known ones. */
static void check_front_vars(const vk_site *s, const vk_doc *d, const char *key, diag *dg) {
  const vk_value *v = d->meta ? vk_map_get(d->meta, key) : NULL;
  if (!v || v->type != VK_STRING)
    return;
  for (const char *p = strstr(v->u.str.s, "{{"); p; p = strstr(p + 2, "{{")) {
    const char *e = strstr(p + 2, "}}");
    if (!e)
      return;
    char *known = known_vars(s->n_orgs ? s->orgs[0] : NULL);
    diag_error(dg, d->srcpath, v->line, v->col,
               "'%.*s' in the %s: variables are not filled in in titles and summaries (known "
               "variables: %s) — write the text itself",
               (int)(e + 2 - p), p, key, known);
    free(known);
    p = e;
  }
}

void variant_check_variables(const vk_content *c, diag *dg) {
  const vk_site *s = c->site;
  for (size_t i = 0; i < c->n_docs; i++) {
    const vk_doc *d = c->docs[i];
    check_front_vars(s, d, "title", dg);
    check_front_vars(s, d, "summary", dg);
    for (size_t o = 0; o < s->n_orgs; o++)
      if (d->tree && doc_applies(d, s, s->orgs[o], NULL) &&
          site_builtin(s, s->orgs[o], BUILTIN_VARIABLES)->mode == BUILTIN_ON)
        check_vars_in(s, d, s->orgs[o], d->tree, dg);
  }
}

static void expand_variables(const vk_variant_ctx *v, const vk_doc *d, cmark_node *root) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER)
      continue;
    cmark_node *n = cmark_iter_get_node(it);
    md_type t = md_type_of(n);
    const char *s = t == MD_TEXT                    ? cmark_node_get_literal(n)
                    : t == MD_LINK || t == MD_IMAGE ? cmark_node_get_url(n)
                                                    : NULL;
    if (!s || !strstr(s, "{{"))
      continue;
    char *x = variant_expand(s, v->org, d->srcpath, 0, 0, NULL); /* checked before */
    if (t == MD_TEXT)
      cmark_node_set_literal(n, x);
    else
      cmark_node_set_url(n, x);
    free(x);
  }
  cmark_iter_free(it);
}

/* ---- glossary links ---------------------------------------------------- */

struct vk_glossary {
  char **folded; /* lower-cased term or synonym */
  size_t *len;
  const vk_doc **doc;
  size_t n;
};

/* Lower-cases ASCII and the Latin-1 letters (å ä ö é …) in place. UTF-8
 * upper and lower case of these differ only in the second byte, so the
 * length stays the same and offsets carry over to the original text. */
static void fold_case(char *s) {
  for (unsigned char *p = (unsigned char *)s; *p; p++) {
    if (*p >= 'A' && *p <= 'Z')
      *p = (unsigned char)(*p + 32);
    else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97)
      p[1] = (unsigned char)(p[1] + 0x20), p++;
  }
}

static bool word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static void glossary_add(vk_glossary *g, const char *term, const vk_doc *d) {
  if (!term || strlen(term) < 2)
    return;
  g->folded = xrealloc(g->folded, (g->n + 1) * sizeof *g->folded);
  g->len = xrealloc(g->len, (g->n + 1) * sizeof *g->len);
  g->doc = xrealloc(g->doc, (g->n + 1) * sizeof *g->doc);
  g->folded[g->n] = xstrdup(term);
  fold_case(g->folded[g->n]);
  g->len[g->n] = strlen(term);
  g->doc[g->n++] = d;
}

vk_glossary *variant_glossary_new(const vk_content *c, const vk_org *org, const vk_role *role) {
  vk_glossary *g = xcalloc(1, sizeof *g);
  vk_doc **defs;
  size_t n = content_of_kind(c, KIND_DEFINITION, &defs);
  for (size_t i = 0; i < n; i++) {
    if (!doc_applies(defs[i], c->site, org, role))
      continue;
    glossary_add(g, defs[i]->term, defs[i]);
    for (size_t k = 0; k < defs[i]->synonyms.n; k++)
      glossary_add(g, defs[i]->synonyms.items[k], defs[i]);
  }
  return g;
}

void variant_glossary_free(vk_glossary *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->n; i++)
    free(g->folded[i]);
  free(g->folded);
  free(g->len);
  free(g->doc);
  free(g);
}

/* Earliest whole-word match of a not yet linked term; longest wins a tie. */
static bool find_term(const vk_glossary *g, const char *folded, const bool *done, size_t *at,
                      size_t *which) {
  bool found = false;
  for (size_t t = 0; t < g->n; t++) {
    if (done[t])
      continue;
    for (const char *p = strstr(folded, g->folded[t]); p; p = strstr(p + 1, g->folded[t])) {
      size_t off = (size_t)(p - folded), end = off + g->len[t];
      if ((off > 0 && word_byte((unsigned char)folded[off - 1])) ||
          word_byte((unsigned char)folded[end]))
        continue;
      if (!found || off < *at || (off == *at && g->len[t] > g->len[*which])) {
        *at = off;
        *which = t;
        found = true;
      }
      break;
    }
  }
  return found;
}

static bool inside_no_link_zone(cmark_node *n) {
  for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
    md_type t = md_type_of(p);
    if (t == MD_LINK || t == MD_IMAGE || t == MD_HEADING)
      return true;
  }
  return false;
}

/* Splits text node n at the match and puts a glossary link in between;
 * returns the node holding the rest of the text. */
static cmark_node *insert_term_link(const vk_variant_ctx *v, cmark_node *n, size_t at, size_t len,
                                    const vk_doc *def) {
  const char *lit = cmark_node_get_literal(n);
  char *before = xstrndup(lit, at), *match = xstrndup(lit + at, len),
       *after = xstrdup(lit + at + len);
  cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
  char *url = v->link_url ? v->link_url(v->link_ud, def, NULL) : NULL;
  cmark_node_set_url(link, url ? url : "");
  free(url);
  md_attrs *a = md_attrs_new();
  vec_push(&a->classes, xstrdup("glossary-term"));
  vec_push(&a->keys, xstrdup("definition"));
  vec_push(&a->vals, xstrdup(def->summary ? def->summary : def->title));
  md_set_attrs(link, a);
  cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(text, match);
  cmark_node_append_child(link, text);
  cmark_node *rest = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(rest, after);
  cmark_node_set_literal(n, before);
  cmark_node_insert_after(n, link);
  cmark_node_insert_after(link, rest);
  free(before);
  free(match);
  free(after);
  return rest;
}

static void link_glossary_terms(const vk_variant_ctx *v, const vk_doc *d, cmark_node *root) {
  const vk_glossary *g = v->glossary;
  if (!g->n)
    return;
  bool *done = xcalloc(g->n, sizeof *done);
  for (size_t t = 0; t < g->n; t++) /* a definition does not link to itself */
    done[t] = g->doc[t] == d;
  vec texts = {0};
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && md_type_of(n) == MD_TEXT && !inside_no_link_zone(n))
      vec_push(&texts, n);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < texts.n; i++) {
    cmark_node *n = texts.items[i];
    for (;;) {
      char *folded = xstrdup(cmark_node_get_literal(n));
      fold_case(folded);
      size_t at = 0, which = 0;
      bool hit = find_term(g, folded, done, &at, &which);
      free(folded);
      if (!hit)
        break;
      const vk_doc *def = g->doc[which];
      for (size_t t = 0; t < g->n; t++) /* first mention of a definition only */
        if (g->doc[t] == def)
          done[t] = true;
      n = insert_term_link(v, n, at, g->len[which], def);
    }
  }
  vec_free(&texts);
  free(done);
}

/* Replaces a link by its children (the text stays, the link goes). */
static void unwrap(cmark_node *link) {
  cmark_node *c;
  while ((c = cmark_node_first_child(link)))
    cmark_node_insert_before(link, c);
  cmark_node_free(link);
}

static void rewrite_links(const vk_variant_ctx *v, const vk_doc *d, cmark_node *root) {
  vec unlink = {0};
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || md_type_of(n) != MD_LINK)
      continue;
    const char *anchor;
    const vk_doc *target = content_resolve_link(v->content, d, cmark_node_get_url(n), &anchor);
    if (!target) {
      /* Not a document link — or one to a document this build left out
       * (a draft): the parse stage (document.h) reported missing files already. */
      const char *url = cmark_node_get_url(n);
      size_t len = strcspn(url, "#");
      if (len > 3 && strncmp(url + len - 3, ".md", 3) == 0 && !strchr(url, ':'))
        vec_push(&unlink, n);
      continue;
    }
    bool visible = doc_applies(target, v->content->site, v->org, v->role);
    char *url = visible && v->link_url ? v->link_url(v->link_ud, target, anchor) : NULL;
    if (url) {
      cmark_node_set_url(n, url);
      free(url);
    } else {
      vec_push(&unlink, n);
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < unlink.n; i++)
    unwrap(unlink.items[i]);
  vec_free(&unlink);
}

/* A built-in step: native when on, the Lua replacement's part of the chain
 * when replaced, nothing when off. */
static void run_builtin(const vk_variant_ctx *v, vk_builtin b, const vk_doc *d, cmark_node **tree,
                        diag *dg) {
  const vk_builtin_cfg *cfg = site_builtin(v->content->site, v->org, b);
  if (cfg->mode == BUILTIN_LUA) {
    filters_run_part(v->filters, (vk_filter_part)b, d, tree, dg);
  } else if (cfg->mode == BUILTIN_ON) {
    if (b == BUILTIN_VARIABLES)
      expand_variables(v, d, *tree);
    else if (v->glossary)
      link_glossary_terms(v, d, *tree);
  }
}

/* An image a filter made (or changed) must be a file of the content folder,
 * as one written in Markdown (safepath.h): the writers embed and copy what
 * the URL names. Anything else is an error, and the URL is emptied so that
 * no writer opens it. */
static void check_image(const vk_variant_ctx *v, const vk_doc *d, cmark_node *n, diag *dg) {
  const char *url = cmark_node_get_url(n);
  if (!url || !*url || image_is_remote(url))
    return;
  const char *dir = v->content->dir;
  char *rel = image_resolve("", url);
  char *full = rel ? path_join(dir, rel) : NULL;
  safepath_status st = full ? safepath_check(dir, full) : SAFEPATH_OUTSIDE;
  if (st != SAFEPATH_OK) {
    int line = cmark_node_get_start_line(n);
    diag_error(dg, d->srcpath, line > 0 ? line : d->body_line,
               line > 0 ? cmark_node_get_start_column(n) : 1,
               "a filter made an image '%s' that is %s (document %s, variant %s/%s) — filters may "
               "use only images in the content folder, e.g. 'images/NAME.png'",
               url, st == SAFEPATH_OUTSIDE ? "outside the content folder" : "not a readable file",
               d->id, v->org ? v->org->id : "-", v->role ? v->role->id : "-");
    cmark_node_set_url(n, "");
  } else if (strcmp(rel, url) != 0) {
    cmark_node_set_url(n, rel); /* the writers take content-relative paths */
  }
  free(full);
  free(rel);
}

static void check_filter_images(const vk_variant_ctx *v, const vk_doc *d, cmark_node *root,
                                diag *dg) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
    if (ev == CMARK_EVENT_ENTER && md_type_of(cmark_iter_get_node(it)) == MD_IMAGE)
      check_image(v, d, cmark_iter_get_node(it), dg);
  cmark_iter_free(it);
}

cmark_node *variant_tree(const vk_variant_ctx *v, const vk_doc *d, diag *dg) {
  cmark_node *tree = md_clone(d->tree);
  prune_containers(v, tree); /* always native and first: filters never see restricted text */
  run_builtin(v, BUILTIN_VARIABLES, d, &tree, dg);
  run_builtin(v, BUILTIN_GLOSSARY, d, &tree, dg);
  filters_run_part(v->filters, FILTERS_CHAIN, d, &tree, dg);
  if (v->filters)
    check_filter_images(v, d, tree, dg);
  rewrite_links(v, d, tree);
  return tree;
}

void variant_strip_class(cmark_node *parent, const char *cls) {
  cmark_node *child = cmark_node_first_child(parent);
  while (child) {
    cmark_node *next = cmark_node_next(child);
    if (md_type_of(child) == MD_DIV && md_attrs_has_class(md_attrs_of(child), cls))
      cmark_node_free(child);
    else if (md_is_block(child))
      variant_strip_class(child, cls);
    child = next;
  }
}
