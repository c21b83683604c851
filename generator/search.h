/* search.h — the static full-text search index of one (organisation, role).
 *
 * Words are lower-cased (å ä ö too), Swedish stop words dropped, and
 * stemmed with Snowball's Swedish stemmer (libstemmer), so "hoten" finds
 * "hot". Titles weigh 10, summaries 3, body text 1 per occurrence.
 *
 * search_write() writes static files the browser fetches on demand:
 *   docs.json      [{u: url, t: title, k: kind, s: summary or excerpt}, …]
 *   idx-KEY.json   {stem: [[doc, weight], …], …} for stems starting with KEY
 *                  (a–z, 0–9, aa = å, ae = ä, oe = ö, x = other)
 * so a query downloads docs.json and one shard per word, as Pagefind does.
 * Output is sorted and byte-for-byte deterministic. One index per thread.
 */
#ifndef VK_SEARCH_H
#define VK_SEARCH_H

#include "diag.h"

#include <stddef.h>

typedef struct search_index search_index;

search_index *search_index_new(void);
void search_add(search_index *ix, const char *url, const char *title, const char *kind,
                const char *summary, const char *text);
int search_write(search_index *ix, const char *dir, diag *dg);
/* The same files handed to `put` (file name, bytes) instead of written. */
typedef int (*search_put_fn)(void *ud, const char *name, const char *data, size_t len);
int search_emit(search_index *ix, search_put_fn put, void *ud);
void search_index_free(search_index *ix);

/* The stems of a query, space-separated (tests; the browser does the same in JS). */
char *search_stem_query(const char *q);
/* The shard key of a stem ("a", "ae", …). */
const char *search_shard_key(const char *stem);

#endif
