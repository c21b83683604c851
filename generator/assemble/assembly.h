/* assembly.h — what every assembler (pages, packs, feeds, reports) shares
 * during one build: the options, the loaded content and theme, the facts
 * computed once per document, and the output sink.
 *
 * Invariants:
 *  - Assemblers compose pages and files from writers' bytes; they never
 *    publish. They write only through assembly_write(), which puts a file
 *    under the build's temporary folder (or holds it for a serve session),
 *    so the publish stage alone decides what reaches the output folder.
 *  - Everything here is read-only once the jobs start, except the sink,
 *    which is safe to call from several threads.
 *  - This header depends on load/ and write/ only: publish/ (build.c)
 *    includes the assemblers, never the other way round.
 */
#ifndef VK_ASSEMBLY_H
#define VK_ASSEMBLY_H

#include "content.h"
#include "diag.h"
#include "render.h"
#include "theme.h"

#include <stdatomic.h>
#include <stdbool.h>

/* FMT_PDF (publish/pdf.h) converts the ODT and ODP files a build writes, so
 * it comes with FMT_ODT | FMT_ODP; FMT_ALL is without it (LibreOffice). */
enum { FMT_HTML = 1, FMT_ODT = 2, FMT_ODP = 4, FMT_ALL = 7, FMT_PDF = 8 };

typedef struct {
  const char *content_dir; /* default "content" */
  const char *theme_dir;   /* default: themes/default, else the installed theme */
  const char *out_dir;     /* default "dist" */
  const char *org, *role;  /* only this organisation / role (NULL = all) */
  unsigned formats;        /* FMT_* bits */
  int jobs;                /* threads, all told (as make's -j); 0 = number of cores */
  bool drafts, quiet, strict;
  const char *today; /* YYYY-MM-DD override for review states */
  bool serve;        /* preview: inject the live-reload script */
} vk_build_opts;

/* Per-document facts computed once before the jobs start. */
typedef struct {
  vk_review_state review;
  vk_date due;
  vk_change *history; /* Git history (owned) or NULL → doc->changes */
  size_t n_history;
  bool git; /* history came from Git */
} vk_doc_facts;

struct pages_cache;
typedef struct vk_writer vk_writer;

typedef struct {
  const vk_build_opts *opts;
  vk_content *content;
  vk_theme *theme;
  void *odf_theme;     /* odf_theme* (odf.h) */
  vk_doc_facts *facts; /* parallel to content->docs */
  char *tmp;           /* the temporary output folder */
  const char *prev;    /* the previous output folder, or NULL: files whose bytes equal its
                        * file at the same path are hard-linked from it, not written */
  char generated[11];
  diag *dg;
  struct pages_cache *caches; /* serve session: per org × role (pages.h), else NULL */
  vec *pending;               /* serve session: writes held until published, else NULL */
  vec *site_pages;            /* char*: every .html page written under site/ (sitemap) */
  vk_writer *writer;          /* full builds with -j > 1: files are written by the
                               * threads that have no job left (writer_serve), else NULL */
  atomic_int write_errors;    /* files that could not be written (reported): exit 2 */
} vk_build;

const vk_doc_facts *build_facts(const vk_build *b, const vk_doc *d);
/* The history to show for d: Git's, else front matter `changes`. */
void build_history(const vk_build *b, const vk_doc *d, const vk_change **out, size_t *n);
/* Puts a file under the temporary output folder (creating folders): a hard
 * link to b->prev's file at rel when that holds the same bytes, else a new
 * file (never written through an existing inode). Or holds it in
 * b->pending. Thread-safe. With b->writer it copies (rel, bytes) into the
 * writer's queue and returns 0 at once; a failure is then reported by the
 * thread that writes it (the path, b->write_errors). A site/….html page is
 * added to b->site_pages when it is handed over. */
int build_write(vk_build *b, const char *rel, const char *data, size_t len);
/* The asynchronous output of a full build.
 *  - The queue holds at most `cap` bytes of files (one larger file alone).
 *    A producer that finds it full writes the oldest queued file itself,
 *    so memory stays bounded and no thread waits while work is queued.
 *  - Each file is written once, by one thread; no two files share a path,
 *    so the order files are written in does not change the output.
 *  - writer_serve() writes queued files until writer_close() was called and
 *    the queue is empty; writer_free() after every server has returned. */
vk_writer *writer_new(size_t cap);
void writer_serve(vk_build *b);
void writer_close(vk_writer *w);
void writer_free(vk_writer *w);
/* Roles and organisations selected by --org/--role. */
bool build_wants_org(const vk_build *b, const vk_org *o);
bool build_wants_role(const vk_build *b, const vk_role *r);

/* A file held for a serve session's in-place publish (b->pending). */
typedef struct {
  char *rel, *data;
  size_t len;
} pending_file;

/* Writes path as a new file (an existing one is unlinked first, so a hard
 * link elsewhere keeps its bytes), creating its folder when it is missing. */
int put_file(const char *path, const char *data, size_t len);

#endif
