/* mustache.h — Mustache templates (https://mustache.github.io/mustache.5.html).
 *
 * Implements the whole specification except the optional lambdas:
 * interpolation (HTML-escaped by default; {{{x}}} and {{& x}} raw), dotted
 * names and the implicit iterator, sections and inverted sections, comments,
 * partials (with standalone indentation), set delimiters, and the rules for
 * standalone tags. tests/unit/test_mustache.c runs the official spec suite.
 *
 * A template is compiled once into a flat node array (sections store the
 * index past their end), then rendered any number of times. Rendering reads
 * the template and data only, so it is thread-safe; the one shared mutable
 * thing, the cache of re-indented partials, has its own lock.
 *
 * Data is a vk_value tree. Falsey for sections: null, false, "", and the
 * empty list. Integers render in decimal; true renders "true".
 */
#ifndef VK_MUSTACHE_H
#define VK_MUSTACHE_H

#include "diag.h"
#include "util.h"
#include "value.h"

typedef struct mu_template mu_template;

/* Returns the partial called `name`, or NULL (renders as nothing). */
typedef const mu_template *(*mu_partial_fn)(void *ud, const char *name);

/* Compiles `src`; errors (unclosed tag or section, mismatched closing tag,
 * bad delimiters) go to dg as `name:line:col` and NULL is returned. */
mu_template *mu_compile(const char *src, size_t len, const char *name, diag *dg);
void mu_free(mu_template *t);

/* Renders into out. Partials nest at most MU_MAX_DEPTH deep, so a partial
 * that includes itself ends instead of looping forever, and a render stops
 * after a fixed number of steps and 64 MB of output, so partials that
 * include each other several times cannot explode. */
#define MU_MAX_DEPTH 32
void mu_render(const mu_template *t, const vk_value *data, mu_partial_fn partials, void *ud,
               sbuf *out);

/* Renders without HTML escaping and without partials: for plain texts
 * (labels filled in with variables) that a writer escapes itself. */
void mu_render_text(const mu_template *t, const vk_value *data, sbuf *out);
/* Pushes (borrowed) the names that interpolation tags outside every
 * section name — the names a render needs; a name inside a section is
 * needed only where the section's name is set. */
void mu_bare_names(const mu_template *t, vec *out);

#endif
