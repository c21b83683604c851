/* review.h — version and review metadata of routines.
 *
 *  - Review state (vk_review_state) from approval date and
 *    interval, or review_by.
 *  - Content hash: SHA-256 of what a reader reads (title, summary, scope,
 *    body with normalised line ends), not of the version or review fields,
 *    so that a version bump alone does not change it.
 *  - content/versions.lock records id, version and hash per routine;
 *    `vaksam check` reports a routine whose text changed while its version
 *    did not, and `vaksam lock` records the new state after a deliberate bump.
 *  - A line of the lock may carry a review mark (`reviewed DATE NAME`,
 *    `vaksam review --mark`): the version was reviewed and left unchanged.
 *    It resets the review clock (review_state counts from the latest of
 *    approved, valid_from and the mark) while its version and hash are in
 *    the lock; `vaksam lock` keeps it only for an unchanged version and text.
 *  - review.json / review.csv: one row per routine and organisation, with
 *    its approved versions (d->versions, versions.h) and its review mark.
 */
#ifndef VK_REVIEW_H
#define VK_REVIEW_H

#include "content.h"
#include "diag.h"

typedef enum {
  REVIEW_NONE,    /* not a routine, or a retired one */
  REVIEW_CURRENT, /* approved and the review date is ahead */
  REVIEW_DUE_SOON,
  REVIEW_OVERDUE,
  REVIEW_MISSING /* approved date or interval/review_by missing */
} vk_review_state;

/* "none", "current", "due-soon" …; the words readers see are labels.yaml's review.<name>. */
const char *review_state_name(vk_review_state s);

vk_review_state review_state(const vk_doc *d, vk_date today, int due_soon_days, vk_date *due_out);
void review_hash(const vk_doc *d, unsigned char out[32]);

typedef struct vk_lock vk_lock;
/* A missing file is an empty lock; syntax errors are reported as file:line:col. */
vk_lock *lock_load(const char *path, diag *dg);
void lock_free(vk_lock *l);
void lock_check(const vk_lock *l, const vk_content *c, diag *dg);
/* Writes the lock for every routine (drafts included), atomically. */
int lock_write(const vk_content *c, const char *path, diag *dg);
/* Records in the lock at `path` that routine `id` was reviewed on `date`
 * by `by` and left unchanged. Refused (1, reported) when the routine's text
 * or version differs from the lock's: then it did change. 2: cannot write. */
int lock_mark(const vk_content *c, const char *path, const char *id, const char *by, vk_date date,
              diag *dg);
/* Sets d->reviewed / reviewed_by from the lock's marks of the current versions. */
void lock_apply_marks(const vk_lock *l, vk_content *c);
/* The same from <content>/versions.lock, read quietly (check reports its errors). */
void review_load_marks(vk_content *c);
/* Parses lock text already in memory (tests, fuzzing). */
vk_lock *lock_parse(const char *text, size_t len, const char *file, diag *dg);

char *review_report_json(const vk_content *c, vk_date today, int due_soon_days);
char *review_report_csv(const vk_content *c, vk_date today, int due_soon_days);

#endif
