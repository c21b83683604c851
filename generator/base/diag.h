/* diag.h — diagnostics that a user can act on.
 *
 * Every message has the form `file:line:col: error: what is wrong — what to do`.
 * Diagnostics are collected (thread-safe) rather than printed at once, so a
 * build reports all content errors, sorted by file and line, and exits 1.
 */
#ifndef VK_DIAG_H
#define VK_DIAG_H

#include <stdbool.h>

typedef enum { DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag diag;

diag *diag_new(void);
void diag_free(diag *d);

/* file may be NULL (no position); line/col 0 omit those parts. */
void diag_add(diag *d, diag_level lvl, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
#define diag_error(d, f, l, c, ...) diag_add((d), DIAG_ERROR, (f), (l), (c), __VA_ARGS__)
#define diag_warn(d, f, l, c, ...) diag_add((d), DIAG_WARNING, (f), (l), (c), __VA_ARGS__)

/* Lines that came from another file (an included Markdown file, load/
 * include.h): a diagnostic later added for `file` at a line in
 * [from, from + n) is reported at `orig`, line orig_line + (line - from),
 * the column unchanged. */
void diag_origin(diag *d, const char *file, int from, int n, const char *orig, int orig_line);

/* A new, empty collection with d's settings (strict), for one task's
 * messages; diag_move() adds them to another in their order (positions
 * already mapped, ranges of diag_origin too) and empties `from`. */
diag *diag_new_like(const diag *d);
void diag_move(diag *to, diag *from);

int diag_errors(const diag *d);
int diag_warnings(const diag *d);
/* With strict on, warnings are reported as errors and count as errors. */
void diag_set_strict(diag *d, bool strict);
/* A fault that makes going on pointless (a runaway filter): diag_halt()
 * returns true for the first caller only (atomically), which reports it;
 * later work asks diag_halted() and stops without adding more errors.
 * diag_flush() clears it. */
bool diag_halt(diag *d);
bool diag_halted(const diag *d);
/* Prints all diagnostics sorted (file, line, col, insertion order) to stderr
 * and forgets them. */
void diag_flush(diag *d);
/* The diagnostics as text (same format), for the preview server's error page. */
char *diag_text(const diag *d);

#endif
