/* serve.h — `vaksam serve`: local preview with rebuild and reload on save.
 *
 * Builds the site (HTML; documents with `vaksam build`), serves the output
 * folder on 127.0.0.1 with libmicrohttpd, watches the content and theme
 * folders with inotify, rebuilds after a change (debounced) and tells open
 * pages to reload through server-sent events (/__vaksam/events). A failed
 * build keeps the last good site but every page shows the errors until
 * they are fixed. Nothing outside the output folder is ever served.
 */
#ifndef VK_SERVE_H
#define VK_SERVE_H

#include "build.h"

/* Runs until SIGINT/SIGTERM; returns the exit code (0, or 2 if it cannot start). */
int serve_run(const vk_build_opts *o, int port, diag *dg);

/* Maps a request path to a file under `root_real` (a realpath). Returns a
 * malloc'd path, or NULL for anything that would leave the folder. */
char *serve_resolve(const char *root_real, const char *url);

#endif
