/* theme.c — see theme.h. */
#include "theme.h"
#include "mustache.h"
#include "safepath.h"
#include "yamlval.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  char *name;
  mu_template *tpl;
} named_template;

struct vk_labels {
  vk_value *map;        /* NULL: empty */
  char *file;           /* labels.yaml, for messages */
  const vk_value *over; /* site.yaml `labels:` (borrowed), or NULL */
  const char *over_file;
};

struct vk_theme {
  char *dir;
  vk_labels labels;
  named_template *tpls; /* sorted by name */
  size_t n;
};

static int cmp_named(const void *a, const void *b) {
  return strcmp(((const named_template *)a)->name, ((const named_template *)b)->name);
}

static const mu_template *lookup(const vk_theme *t, const char *name) {
  named_template key = {(char *)name, NULL};
  named_template *hit = vk_bsearch(&key, t->tpls, t->n, sizeof *t->tpls, cmp_named);
  return hit ? hit->tpl : NULL;
}

static const mu_template *partial_cb(void *ud, const char *name) {
  return lookup(ud, name);
}

/* A file of the theme folder `root` (safepath.h): a link out of the theme
 * is an error, not read. NULL otherwise only when unreadable (the caller
 * says so). */
static char *theme_read(const char *root, const char *path, size_t *len, diag *dg) {
  safepath_status st;
  char *text = safepath_read(root, path, len, &st);
  if (st == SAFEPATH_OUTSIDE)
    diag_error(dg, path, 0, 0,
               "this theme file is a link to a file outside the theme folder %s — copy the file "
               "into the theme instead of linking to it",
               root);
  return text;
}

static vk_value *load_labels(const char *dir, diag *dg) {
  char *path = path_join(dir, "labels.yaml");
  size_t len;
  char *text = is_file(path) ? theme_read(dir, path, &len, dg) : NULL;
  vk_value *v = text ? yaml_to_value(text, len, path, 0, dg) : NULL;
  if (v && v->type != VK_MAP) {
    diag_error(dg, path, 1, 1, "labels must be a map of key: text — see docs/documents.md");
    vk_value_free(v);
    v = NULL;
  }
  free(text);
  free(path);
  return v;
}

vk_theme *theme_load(const char *dir, diag *dg) {
  char *tdir = path_join(dir, "templates");
  vec names = {0};
  if (!is_dir(tdir) || list_dir_sorted(tdir, ".mustache", &names) != 0 || names.n == 0) {
    diag_error(
        dg, tdir, 0, 0,
        "no templates found — pass --theme with a theme folder that has templates/*.mustache");
    free(tdir);
    vec_free(&names);
    return NULL;
  }
  vk_theme *t = xcalloc(1, sizeof *t);
  t->dir = xstrdup(dir);
  t->tpls = xcalloc(names.n, sizeof *t->tpls);
  for (size_t i = 0; i < names.n; i++) {
    char *file = names.items[i];
    char *path = path_join(tdir, file);
    size_t len;
    char *src = theme_read(dir, path, &len, dg);
    mu_template *tpl = src ? mu_compile(src, len, path, dg) : NULL;
    if (!src)
      diag_error(dg, path, 0, 0, "cannot read the template");
    if (tpl) {
      file[strlen(file) - strlen(".mustache")] = 0;
      t->tpls[t->n].name = xstrdup(file);
      t->tpls[t->n++].tpl = tpl;
    }
    free(src);
    free(path);
    free(file);
  }
  vec_free(&names);
  free(tdir);
  vk_sort(t->tpls, t->n, sizeof *t->tpls, cmp_named);
  t->labels.map = load_labels(dir, dg);
  t->labels.file = path_join(dir, "labels.yaml");
  return t;
}

void theme_free(vk_theme *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->tpls[i].name);
    mu_free(t->tpls[i].tpl);
  }
  free(t->tpls);
  free(t->dir);
  vk_value_free(t->labels.map);
  free(t->labels.file);
  free(t);
}

const char *theme_dir(const vk_theme *t) {
  return t->dir;
}

bool theme_has(const vk_theme *t, const char *name) {
  return lookup(t, name) != NULL;
}

void theme_render(const vk_theme *t, const char *name, const vk_value *data, sbuf *out) {
  const mu_template *tpl = lookup(t, name);
  if (tpl)
    mu_render(tpl, data, partial_cb, (void *)t, out);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hands the files under from (rel below assets/) to put, in sorted order
 * (readdir order is not stable). */
static int put_tree(const char *root, const char *from, const char *rel, vk_put_fn put, void *arg,
                    diag *dg) {
  DIR *d = opendir(from);
  if (!d)
    return -1;
  vec names = {0};
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.')
      vec_push(&names, xstrdup(e->d_name));
  closedir(d);
  vk_sort(names.items, names.n, sizeof(char *), cmp_str);
  int rc = 0;
  for (size_t i = 0; i < names.n; i++) {
    char *src = path_join(from, names.items[i]);
    char *sub = *rel ? path_join(rel, names.items[i]) : xstrdup(names.items[i]);
    if (is_dir(src)) {
      rc |= put_tree(root, src, sub, put, arg, dg);
    } else {
      size_t len;
      safepath_status st;
      char *data = safepath_read(root, src, &len, &st);
      if (st == SAFEPATH_OUTSIDE) {
        diag_error(dg, src, 0, 0,
                   "this theme file is a link to a file outside the theme folder %s — copy the "
                   "file into the theme instead of linking to it",
                   root);
        rc = -1;
      } else if (!data) {
        diag_error(dg, src, 0, 0, "cannot read the theme file — check permissions");
        rc = -1;
      } else if (put(arg, sub, data, len) != 0) {
        rc = -1;
      }
      free(data);
    }
    free(sub);
    free(src);
    free(names.items[i]);
  }
  vec_free(&names);
  return rc;
}

int theme_put_assets(const vk_theme *t, vk_put_fn put, void *arg, diag *dg) {
  char *src = path_join(t->dir, "assets");
  int rc = is_dir(src) ? put_tree(t->dir, src, "", put, arg, dg) : 0;
  free(src);
  return rc;
}

/* ---- labels ------------------------------------------------------------ */

const vk_labels *theme_labels(const vk_theme *t) {
  return t ? &t->labels : labels_none();
}

const vk_labels *labels_none(void) {
  static const vk_labels none = {NULL};
  return &none;
}

void theme_set_label_overrides(vk_theme *t, const vk_value *over, const char *file) {
  t->labels.over = over;
  t->labels.over_file = file;
}

/* The label's value and the file it comes from (site.yaml wins). */
static const vk_value *label_value(const vk_labels *l, const char *key, const char **file) {
  const vk_value *v = l && l->over ? vk_map_get(l->over, key) : NULL;
  if (v && v->type == VK_STRING) {
    *file = l->over_file;
    return v;
  }
  v = l && l->map ? vk_map_get(l->map, key) : NULL;
  *file = l ? l->file : NULL;
  return v && v->type == VK_STRING ? v : NULL;
}

const char *labels_get(const vk_labels *l, const char *key) {
  const char *file;
  const vk_value *v = label_value(l, key, &file);
  return v ? v->u.str.s : key;
}

char *labels_render(const vk_labels *l, const char *key, const vk_value *vars) {
  const char *s = labels_get(l, key);
  diag *quiet = diag_new(); /* labels_check_vars reports; here it renders as written */
  mu_template *t = mu_compile(s, strlen(s), key, quiet);
  diag_free(quiet);
  if (!t)
    return xstrdup(s);
  sbuf out = {0};
  mu_render_text(t, vars, &out);
  mu_free(t);
  return sbuf_take(&out);
}

/* One label's needs against one organisation's variables. */
static int check_label(const char *key, const vk_value *v, const char *file, const char *who,
                       const vk_value *vars, diag *dg) {
  char *name = xasprintf("%s (label %s)", file ? file : "labels", key);
  mu_template *t = mu_compile(v->u.str.s, strlen(v->u.str.s), name, dg);
  free(name);
  if (!t)
    return 1;
  vec need = {0};
  mu_bare_names(t, &need);
  int bad = 0;
  for (size_t i = 0; i < need.n; i++) {
    const char *var = need.items[i];
    if (vk_map_get(vars, var))
      continue;
    diag_error(dg, file, v->line, v->col,
               "label '%s' needs variable '%s', which organisation '%s' does not define — "
               "define it under the organisation's `variables:` in site.yaml, change the label "
               "(site.yaml `labels:` or the theme's labels.yaml) to the variable your site "
               "uses, or write {{#%s}}…{{/%s}} around it to leave that part out where it is "
               "missing",
               key, var, who, var, var);
    bad++;
  }
  vec_free(&need);
  mu_free(t);
  return bad;
}

int labels_check_vars(const vk_labels *l, const char *who, const vk_value *vars, diag *dg) {
  int bad = 0;
  const vk_value *maps[2] = {l ? l->over : NULL, l ? l->map : NULL};
  for (int m = 0; m < 2; m++) {
    if (!maps[m] || maps[m]->type != VK_MAP)
      continue;
    for (size_t i = 0; i < maps[m]->u.map.n; i++) {
      const char *key = maps[m]->u.map.keys[i], *file;
      const vk_value *v = maps[m]->u.map.vals[i];
      /* only the value in force, once, and only a text with variables */
      if (v->type == VK_STRING && strstr(v->u.str.s, "{{") && label_value(l, key, &file) == v)
        bad += check_label(key, v, file, who, vars, dg);
    }
  }
  return bad;
}

char *labels_format(const vk_labels *l, const char *key, const char *arg) {
  const char *s = labels_get(l, key);
  sbuf out = {0};
  for (const char *hole; (hole = strstr(s, "{}")); s = hole + 2) {
    sbuf_putn(&out, s, (size_t)(hole - s));
    sbuf_puts(&out, arg ? arg : "");
  }
  sbuf_puts(&out, s);
  return sbuf_take(&out);
}

const char *labels_item(const vk_labels *l, const char *key, size_t i) {
  const vk_value *v = l && l->map ? vk_map_get(l->map, key) : NULL;
  if (!v || v->type != VK_LIST || i >= v->u.list.n || v->u.list.items[i]->type != VK_STRING)
    return NULL;
  return v->u.list.items[i]->u.str.s;
}
