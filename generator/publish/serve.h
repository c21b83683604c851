/* serve.h — `vaksam serve`: local preview with rebuild and reload on save.
 *
 * Builds the site (HTML only unless --format names more: see serve_formats),
 * serves the output folder on 127.0.0.1 with libmicrohttpd, watches the
 * content and theme folders (recursively, new subfolders included) with
 * inotify, rebuilds once the files are quiet for 20 ms and tells open pages
 * to reload through server-sent events (/__vaksam/events, read by the
 * theme's assets/reload.js). The port is opened before the first build (a
 * port in use fails at once) and pages asked for during that build wait for
 * it. Rebuilds run one at a time on the main thread; requests are answered
 * meanwhile from the last published folder. Rebuilds are incremental when
 * only documents changed (build.h, serve sessions): the pages those
 * documents reach are rendered again and only files whose bytes changed
 * are rewritten in place; anything else is a full build that replaces the
 * folder as `vaksam build` does. Either way the folder then equals what a
 * full build publishes.
 *
 * Invariants:
 * - Nothing outside the output folder is served: `.`/`..` segments,
 *   backslashes, control characters and leftover percent escapes are
 *   refused, and the realpath of every file must lie inside the folder's
 *   realpath (symlinks pointing out give 404).
 * - Only GET and HEAD (405 otherwise); one thread per connection, at most
 *   64 connections, of which at most 32 event streams (503 beyond; a stream
 *   closed by the browser is noticed within a second); idle connections
 *   close after 60 s.
 * - After a failed build the last good site stays, but every HTML response
 *   is an error page (status 500) listing the diagnostics until a build
 *   succeeds; the same diagnostics go to stderr.
 */
#ifndef VK_SERVE_H
#define VK_SERVE_H

#include "build.h"

/* Runs until SIGINT/SIGTERM; returns the exit code: 0 after Ctrl-C, 2 if it
 * cannot start (port in use, output folder not writable, unknown --org). */
int serve_run(const vk_build_opts *o, int port, diag *dg);

/* Maps a decoded request path to a file under `root_real` (a realpath);
 * a folder maps to its index.html. Returns a malloc'd realpath, or NULL for
 * a missing file or anything that would leave the folder. */
char *serve_resolve(const char *root_real, const char *url);

/* The Content-Type for a file name (application/octet-stream if unknown). */
const char *serve_content_type(const char *path);

/* The formats a preview builds: HTML only by default (0: no --format
 * given), else the requested ones plus HTML. */
unsigned serve_formats(unsigned requested);

#endif
