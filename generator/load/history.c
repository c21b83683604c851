/* history.c — see history.h. */
#include "history.h"

#include <git2.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Enough for years of edits; bounds the walk on a huge shared repository. */
#define MAX_COMMITS 20000

typedef struct {
  char *path; /* relative to the content folder */
  vk_change *changes;
  size_t n, cap;
} file_history;

struct vk_history {
  file_history *files; /* sorted by path after the walk */
  size_t n, cap;
  vec renamed_from, renamed_to; /* char*: older name → the name it has now */
};

static int cmp_file(const void *a, const void *b) {
  return strcmp(((const file_history *)a)->path, ((const file_history *)b)->path);
}

static file_history *file_for(vk_history *h, const char *path) {
  /* During the walk the list is unsorted; a linear search over the files
   * touched so far is fine for content-sized repositories. */
  for (size_t i = 0; i < h->n; i++)
    if (strcmp(h->files[i].path, path) == 0)
      return &h->files[i];
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->files = xrealloc(h->files, h->cap * sizeof *h->files);
  }
  h->files[h->n] = (file_history){xstrdup(path), NULL, 0, 0};
  return &h->files[h->n++];
}

static vk_date commit_date(const git_commit *c) {
  const git_signature *a = git_commit_author(c);
  time_t t = (time_t)(a ? a->when.time : git_commit_time(c));
  struct tm tm;
  gmtime_r(&t, &tm);
  return (vk_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* The file's text at that commit (a blob), or NULL (deleted, unreadable). */
static char *blob_text(git_repository *repo, const git_diff_delta *d, size_t *len) {
  git_blob *blob = NULL;
  *len = 0;
  if (d->status == GIT_DELTA_DELETED || git_blob_lookup(&blob, repo, &d->new_file.id) != 0)
    return NULL;
  *len = (size_t)git_blob_rawsize(blob);
  char *s = xstrndup(git_blob_rawcontent(blob), *len);
  git_blob_free(blob);
  return s;
}

static void add_change(file_history *f, const git_commit *c, char *source, size_t source_len) {
  if (f->n == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 4;
    f->changes = xrealloc(f->changes, f->cap * sizeof *f->changes);
  }
  const git_signature *a = git_commit_author(c);
  const char *summary = git_commit_summary((git_commit *)c);
  f->changes[f->n++] = (vk_change){commit_date(c),
                                   NULL,
                                   xstrdup(summary ? summary : ""),
                                   xstrdup(a && a->name ? a->name : ""),
                                   source,
                                   source_len};
}

/* The walk goes from new to old: once a rename old → new was seen, older
 * commits that touch `old` belong to the file that is now `new`. */
static const char *current_name(const vk_history *h, const char *path) {
  for (size_t hops = 0; hops < 32; hops++) {
    bool moved = false;
    for (size_t i = h->renamed_from.n; i-- > 0;)
      if (strcmp(h->renamed_from.items[i], path) == 0) {
        path = h->renamed_to.items[i];
        moved = true;
        break;
      }
    if (!moved)
      break;
  }
  return path;
}

/* Records the files under `prefix` that commit c changed against its parent. */
static void record_commit(vk_history *h, git_repository *repo, git_commit *c, const char *prefix) {
  git_tree *tree = NULL, *parent_tree = NULL;
  git_commit *parent = NULL;
  /* A merge only brings in its branch's commits, which the walk visits
   * themselves; against its first parent it would repeat all of them. */
  if (git_commit_parentcount(c) > 1)
    return;
  if (git_commit_tree(&tree, c) != 0)
    return;
  if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
    git_commit_tree(&parent_tree, parent);
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  char *spec = (char *)prefix;
  if (*prefix) {
    opts.pathspec.strings = &spec;
    opts.pathspec.count = 1;
  }
  git_diff *diff = NULL;
  if (git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &opts) == 0) {
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    git_diff_find_similar(diff, &find);
    size_t nd = git_diff_num_deltas(diff);
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < nd; i++) {
      const git_diff_delta *d = git_diff_get_delta(diff, i);
      const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
      size_t len = strlen(p);
      if (len < 3 || strcmp(p + len - 3, ".md") != 0 || strncmp(p, prefix, plen) != 0)
        continue;
      const char *now = current_name(h, p + plen);
      /* the text of each version only for routines (versions.h), which
       * live in their kind's folder */
      size_t slen = 0, kl = strlen(kind_folder(KIND_ROUTINE));
      bool routine = strncmp(now, kind_folder(KIND_ROUTINE), kl) == 0 && now[kl] == '/';
      char *src = routine ? blob_text(repo, d, &slen) : NULL;
      add_change(file_for(h, now), c, src, slen);
      if (d->status == GIT_DELTA_RENAMED && d->old_file.path &&
          strncmp(d->old_file.path, prefix, plen) == 0) {
        vec_push(&h->renamed_from, xstrdup(d->old_file.path + plen));
        vec_push(&h->renamed_to, xstrdup(now));
      }
    }
    git_diff_free(diff);
  }
  git_tree_free(parent_tree);
  git_commit_free(parent);
  git_tree_free(tree);
}

/* The content folder relative to the work tree, with a trailing slash ("" at the root). */
static char *content_prefix(git_repository *repo, const char *content_dir) {
  const char *wd = git_repository_workdir(repo);
  char real[PATH_MAX];
  if (!wd || !realpath(content_dir, real))
    return NULL;
  size_t wl = strlen(wd);
  if (strncmp(real, wd, wl) == 0)
    return xasprintf("%s/", real + wl);
  if (strlen(real) + 1 == wl && strncmp(real, wd, wl - 1) == 0)
    return xstrdup("");
  return NULL;
}

/* Is there a .git (folder, or file of a worktree) in `dir` or above it?
 * Asked first because libgit2's set-up (it reads the TLS certificates) costs
 * more than a small build when the content is not in Git at all. */
static bool in_git_tree(const char *dir) {
  char *path = realpath(dir, NULL);
  bool found = false;
  while (path && !found) {
    char *git = path_join(path, ".git");
    struct stat st;
    found = stat(git, &st) == 0;
    free(git);
    char *slash = strrchr(path, '/');
    if (!slash || slash == path)
      break;
    *slash = '\0';
  }
  if (!found && path && strcmp(path, "/") != 0) {
    struct stat st;
    found = stat("/.git", &st) == 0;
  }
  free(path);
  return found;
}

vk_history *history_open(const char *content_dir) {
  if (!in_git_tree(content_dir))
    return NULL;
  git_libgit2_init();
  git_repository *repo = NULL;
  if (git_repository_open_ext(&repo, content_dir, 0, NULL) != 0) {
    git_libgit2_shutdown();
    return NULL;
  }
  char *prefix = content_prefix(repo, content_dir);
  git_revwalk *walk = NULL;
  vk_history *h = NULL;
  if (prefix && git_revwalk_new(&walk, repo) == 0 && git_revwalk_push_head(walk) == 0) {
    git_revwalk_sorting(walk, GIT_SORT_TIME);
    h = xcalloc(1, sizeof *h);
    git_oid oid;
    for (int count = 0; count < MAX_COMMITS && git_revwalk_next(&oid, walk) == 0; count++) {
      git_commit *c = NULL;
      if (git_commit_lookup(&c, repo, &oid) == 0) {
        record_commit(h, repo, c, prefix);
        git_commit_free(c);
      }
    }
    vk_sort(h->files, h->n, sizeof *h->files, cmp_file);
  }
  git_revwalk_free(walk);
  free(prefix);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return h;
}

int history_for(vk_history *h, const char *path, vk_change **out, size_t *n) {
  *out = NULL;
  *n = 0;
  file_history key = {(char *)path, NULL, 0, 0};
  file_history *f = h ? vk_bsearch(&key, h->files, h->n, sizeof *h->files, cmp_file) : NULL;
  if (!f || !f->n)
    return 0;
  *out = xcalloc(f->n, sizeof **out);
  for (size_t i = 0; i < f->n; i++)
    (*out)[i] = (vk_change){
        f->changes[i].date,
        NULL,
        xstrdup(f->changes[i].text),
        xstrdup(f->changes[i].author),
        f->changes[i].source ? xstrndup(f->changes[i].source, f->changes[i].source_len) : NULL,
        f->changes[i].source_len};
  *n = f->n;
  return 0;
}

void changes_free(vk_change *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(c[i].version);
    free(c[i].text);
    free(c[i].author);
    free(c[i].source);
  }
  free(c);
}

void history_free(vk_history *h) {
  if (!h)
    return;
  for (size_t i = 0; i < h->n; i++) {
    free(h->files[i].path);
    changes_free(h->files[i].changes, h->files[i].n);
  }
  free(h->files);
  for (size_t i = 0; i < h->renamed_from.n; i++) {
    free(h->renamed_from.items[i]);
    free(h->renamed_to.items[i]);
  }
  vec_free(&h->renamed_from);
  vec_free(&h->renamed_to);
  free(h);
}
