/* search.h — the static full-text search index of one (organisation, role).
 *
 * Words are lower-cased (å ä ö too), Swedish stop words dropped, and
 * stemmed with Snowball's Swedish stemmer (libstemmer), so "hoten" finds
 * "hot". Titles weigh 10, glossary terms 5 (a definition's synonyms, the
 * terms a page mentions), summaries 3, body text 1 per occurrence.
 *
 * search_write() writes static files the browser fetches on demand:
 *   meta.json      {docs: n, bundle: B, shards: [KEY, …]}: the page count,
 *                  the pages per bundle and the shards that exist
 *   idx-KEY.json   {stem: [doc gap, weight, doc gap, weight, …], …} for the
 *                  stems whose first letters are KEY: letters coded a–z, 0–9,
 *                  aa = å, ae = ä, oe = ö, x = other, joined by "-" ("h-o-t").
 *                  Every first letter has its shard; one above 16 KiB is split
 *                  by the next letter, the stem that is exactly the prefix
 *                  staying in the shorter key's shard.
 *                  and facets: {k: {kind: [page, …]}, g: {tag slug: [page, …]}},
 *                  the pages of each kind and tag (search_facets), so the
 *                  browser narrows hits by kind and tag without more files
 *   d/K.json       [{u: url, t: title, k: kind, s: summary, x: text}, …]: the
 *                  bundle of pages K·B … K·B+B−1 (page N is entry N mod B of
 *                  d/⌊N/B⌋.json; the last bundle may be shorter)
 * so a query downloads meta.json, the one shard that holds each word (the
 * last word, a prefix, also the shards below its own), and the bundles that
 * hold the hits it shows, as Pagefind does. The index writes ⌈n/B⌉ page
 * files, not n (creating files is most of a fresh build's system time),
 * and a bundle stays small (B pages of about 1–2 KiB of text). B is fixed,
 * not a byte budget, so the set of files depends on the page count only: a
 * serve session's in-place rebuild after body edits (same pages, other
 * text) leaves no bundle of an earlier layout behind.
 * Output is sorted and byte-for-byte deterministic. One index per thread.
 */
#ifndef VK_SEARCH_H
#define VK_SEARCH_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct search_index search_index;

/* Pages per d/K.json bundle (B above). */
#define SEARCH_BUNDLE 8

search_index *search_index_new(void);
/* Compounds (compound.h): a word of a page's text also adds the stems of
 * its parts (at half its weight, at least 1), so "hot" finds "telefonhot"
 * and "våld" finds "våldsincident". `words` (any text) are lexicon words for
 * this index besides the word list — the glossary's terms. Add them before
 * the pages. search_compounds(ix, false), or VAKSAM_COMPOUNDS=0 in the
 * environment, turns splitting off (the bench's "before"). Queries are never
 * split. */
void search_compound_words(search_index *ix, const char *words);
void search_compounds(search_index *ix, bool on);
/* Adds one page. `terms` (may be NULL): glossary terms for this page, one
 * per line — they weigh more than body text, so a search for a defined term
 * ranks the pages that use it as a term first. */
void search_add(search_index *ix, const char *url, const char *title, const char *kind,
                const char *summary, const char *terms, const char *text);
/* The facets of the page added last: its kind ("routine"; NULL: none) and
 * its tag slugs, one per line (NULL or "": none). */
void search_facets(search_index *ix, const char *kind_id, const char *tags);
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
