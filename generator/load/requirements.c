/* requirements.c — see requirements.h. */
#include "requirements.h"
#include "util.h"
#include "yamlval.h"

#include <stdlib.h>
#include <string.h>

const vk_req *reqs_find(const vk_reqs *r, const char *id) {
  for (size_t i = 0; r && i < r->n; i++)
    if (strcmp(r->items[i].id, id) == 0)
      return &r->items[i];
  return NULL;
}

static bool valid_req_id(const char *s) {
  if (!*s || strlen(s) > 80)
    return false;
  for (const char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ';' || *p == '"')
      return false;
  return s[0] != ' ' && s[strlen(s) - 1] != ' ';
}

static void read_req(vk_reqs *r, const vk_value *m, diag *dg) {
  static const char *const known[] = {"id", "title", "text", "source", NULL};
  if (m->type != VK_MAP) {
    diag_error(dg, r->path, m->line, m->col,
               "a requirement must be a map — write `- {id: A1, title: …}`");
    return;
  }
  yv_check_keys(m, known, "a requirement", r->path, dg);
  char *id = yv_string(m, "id", true, r->path, dg);
  char *title = yv_string(m, "title", true, r->path, dg);
  const vk_value *iv = vk_map_get(m, "id");
  if (id && !valid_req_id(id)) {
    diag_error(dg, r->path, iv->line, iv->col,
               "requirement id '%s' must be one line of at most 80 characters without `;` or "
               "`\"` — e.g. `id: A4` or `id: \"AFS 2023:1 13 §\"`",
               id);
  } else if (id && reqs_find(r, id)) {
    diag_error(dg, r->path, iv->line, iv->col,
               "duplicate requirement id '%s' (line %d) — give one of them another id", id,
               reqs_find(r, id)->line);
  } else if (id && title) {
    vk_req *q = &r->items[r->n++];
    q->id = id;
    q->title = title;
    q->text = yv_string(m, "text", false, r->path, dg);
    q->source = yv_string(m, "source", false, r->path, dg);
    q->line = m->line;
    return;
  }
  free(id);
  free(title);
}

static void read_reqs(vk_reqs *r, const vk_value *root, diag *dg) {
  if (root->type != VK_MAP) {
    diag_error(dg, r->path, 1, 1, "the file must be a map with `requirements:` — a list of maps");
    return;
  }
  static const char *const known[] = {"requirements", NULL};
  yv_check_keys(root, known, "the requirements file", r->path, dg);
  const vk_value *list = vk_map_get(root, "requirements");
  if (!list || list->type != VK_LIST) {
    diag_error(dg, r->path, list ? list->line : 1, list ? list->col : 1,
               "'requirements' must be a list — write `requirements:` and then "
               "`- {id: A1, title: …}` per requirement");
    return;
  }
  r->items = xcalloc(list->u.list.n ? list->u.list.n : 1, sizeof *r->items);
  for (size_t i = 0; i < list->u.list.n; i++)
    read_req(r, list->u.list.items[i], dg);
}

vk_reqs *reqs_load(const char *dir, diag *dg) {
  vk_reqs *r = xcalloc(1, sizeof *r);
  r->path = path_join(dir, REQS_FILE);
  if (!is_file(r->path))
    return r; /* no requirements: nothing to answer */
  r->present = true;
  size_t len;
  char *text = read_file(r->path, &len);
  if (!text) {
    diag_error(dg, r->path, 0, 0, "cannot read the file — check its permissions");
    return r;
  }
  vk_value *root = yaml_to_value(text, len, r->path, 0, dg);
  free(text);
  if (root)
    read_reqs(r, root, dg);
  vk_value_free(root);
  return r;
}

void reqs_free(vk_reqs *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n; i++) {
    free(r->items[i].id);
    free(r->items[i].title);
    free(r->items[i].text);
    free(r->items[i].source);
  }
  free(r->items);
  free(r->path);
  free(r);
}
