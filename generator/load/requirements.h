/* requirements.h — the requirements documents answer (content/krav.yaml).
 *
 * The file is a YAML map with one key, `requirements:`, a list of maps
 * {id, title, text?, source?}. Ids are free text without line breaks
 * ("A4", "AFS 2023:1 13 §"), unique, compared exactly. The order of the
 * file is the order of every coverage page and CSV.
 *
 * Invariants:
 *  - reqs_load() never returns NULL: a missing file gives an empty set
 *    (present = false), a broken one the entries it could read, after
 *    reporting each problem at file:line:col.
 *  - Strings are owned by the set.
 */
#ifndef VK_REQUIREMENTS_H
#define VK_REQUIREMENTS_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

#define REQS_FILE "krav.yaml"

typedef struct {
  char *id, *title, *text, *source;
  int line;
} vk_req;

typedef struct vk_reqs {
  vk_req *items; /* in file order */
  size_t n;
  bool present; /* the file exists */
  char *path;   /* as given for messages */
} vk_reqs;

/* Reads <dir>/krav.yaml. */
vk_reqs *reqs_load(const char *dir, diag *dg);
/* The requirement with this id, or NULL. */
const vk_req *reqs_find(const vk_reqs *r, const char *id);
void reqs_free(vk_reqs *r);

#endif
