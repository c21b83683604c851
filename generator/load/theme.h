/* theme.h — a theme folder: Mustache templates, static assets, ODF references.
 *
 *   themes/<name>/templates/NAME.mustache page templates; every one is also a partial
 *   themes/<name>/assets/…               copied as-is to dist/site/assets/
 *   themes/<name>/odf/…                  reference.odt / reference.odp (odf.h)
 *   themes/<name>/labels.yaml            the words a reader sees that are not content
 *                                        (key: text), docs/documents.md; site.yaml's
 *                                        `labels:` overrides single keys
 *
 * theme_load() compiles every template once and reads the labels; rendering
 * and label look-ups are thread-safe (read-only after loading).
 */
#ifndef VK_THEME_H
#define VK_THEME_H

#include "diag.h"
#include "util.h"
#include "value.h"

#include <stdbool.h>

typedef struct vk_theme vk_theme;

vk_theme *theme_load(const char *dir, diag *dg);
void theme_free(vk_theme *t);
const char *theme_dir(const vk_theme *t);
bool theme_has(const vk_theme *t, const char *name);
/* Renders template `name` (file stem) with `data` into out. An unknown name
 * is reported once and renders nothing. */
void theme_render(const vk_theme *t, const char *name, const vk_value *data, sbuf *out);
/* Hands every file of assets/ (recursively, in sorted order) to put, with
 * its path under assets/. Returns 0 or -1 (a file that cannot be read is
 * reported; put reports its own failures). */
int theme_put_assets(const vk_theme *t, vk_put_fn put, void *arg, diag *dg);

/* ---- labels ------------------------------------------------------------ */

/* The theme's string table (labels.yaml). Values are strings, or lists of
 * strings for texts of several items. A key the table lacks gives the key
 * itself, so a theme without a label shows where it is missing. */
typedef struct vk_labels vk_labels;
const vk_labels *theme_labels(const vk_theme *t); /* never NULL */
/* An empty table (writers' tests, themes without labels.yaml). */
const vk_labels *labels_none(void);
const char *labels_get(const vk_labels *l, const char *key); /* never NULL */
/* The label with every "{}" replaced by `arg` (malloc'd). */
char *labels_format(const vk_labels *l, const char *key, const char *arg);
/* Label `key` as a Mustache template filled in with `vars` (a map, e.g.
 * an organisation's variables); not HTML-escaped (a writer escapes).
 * Malloc'd; "" when a section leaves everything out. Which labels are
 * such variable texts: every label whose text has "{{". */
char *labels_render(const vk_labels *l, const char *key, const vk_value *vars);
/* Every variable text (a label with "{{") against `vars`: a variable it
 * names outside every section that `vars` lacks is an error at the label
 * (labels.yaml or site.yaml), naming the label, the variable and `who`
 * (the organisation); inside {{#name}}…{{/name}} a missing variable leaves
 * that part out. Returns the number of problems. */
int labels_check_vars(const vk_labels *l, const char *who, const vk_value *vars, diag *dg);
/* site.yaml's `labels:` map (borrowed; may be NULL), which wins over
 * labels.yaml; `file` names it in messages. */
void theme_set_label_overrides(vk_theme *t, const vk_value *over, const char *file);

/* Item i of a list label, NULL past its end (or when it is no list). */
const char *labels_item(const vk_labels *l, const char *key, size_t i);

#endif
