/* history.h — a routine's change history from Git (libgit2).
 *
 * history_open() finds the repository that holds the content folder and
 * walks its history once from HEAD (newest first), recording for every
 * Markdown file under the content folder the commits that changed it
 * (compared with the first parent, following renames, so a routine that
 * moved keeps its older history), each with the file's text at that commit
 * (vk_change.source, for versions.h). Lookups are then a binary search.
 * Use it before worker threads start; it is not thread-safe to build.
 */
#ifndef VK_HISTORY_H
#define VK_HISTORY_H

#include "content.h"

typedef struct vk_history vk_history;

/* NULL when the content folder is not inside a Git repository (or it has no commits). */
vk_history *history_open(const char *content_dir);
/* Copies the changes of `path` (relative to the content folder), newest
 * first, into *out (owned by the caller: changes_free). Returns 0. */
int history_for(vk_history *h, const char *path, vk_change **out, size_t *n);
void history_free(vk_history *h);
void changes_free(vk_change *c, size_t n);

#endif
