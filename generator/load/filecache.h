/* filecache.h — the documents' bytes, read once per build.
 *
 * The fingerprint (publish/uptodate.h) reads every file of the content
 * folder before anything is loaded; the loader (content.h) then needs the
 * Markdown files again. The fingerprint keeps their bytes here and the
 * loader takes them, so that each document is opened and read once.
 *
 * Invariants:
 *  - An entry is a regular file reached beneath the content folder through
 *    real folders only: neither it nor a folder on its way is a symbolic
 *    link. Those are the files safepath_read would open there without a
 *    second look; anything else is read through safepath as before.
 *  - filecache_seal sorts the entries by their path relative to the
 *    content folder; after it nothing is put, so loader threads look them
 *    up without a lock, and each entry is taken at most once (an
 *    atomic exchange), after which its bytes belong to the taker.
 *  - What a cache holds is bounded (FILECACHE_MAX_BYTES): files beyond it
 *    are simply read again.
 */
#ifndef VK_FILECACHE_H
#define VK_FILECACHE_H

#include <stdbool.h>
#include <stddef.h>

#define FILECACHE_MAX_BYTES (64u << 20)

typedef struct vk_filecache vk_filecache;

vk_filecache *filecache_new(void);
/* Would the cache keep a file of `len` bytes at `rel` (a Markdown file,
 * within the bound)? */
bool filecache_wants(const vk_filecache *fc, const char *rel, size_t len);
/* Keeps `bytes` (malloc'd, NUL-terminated, `len` long; the cache takes
 * them) for `rel`, each path once, before filecache_seal. */
void filecache_put(vk_filecache *fc, const char *rel, char *bytes, size_t len);
/* Ready for filecache_take: no more puts. */
void filecache_seal(vk_filecache *fc);
/* The bytes kept for `rel` (the caller's from now on), or NULL when none
 * are kept or they were taken. After filecache_seal; safe from several
 * threads at once. */
char *filecache_take(vk_filecache *fc, const char *rel, size_t *len);
void filecache_free(vk_filecache *fc);

#endif
