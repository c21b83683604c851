/* compound.h — splitting Swedish compounds for the search index.
 *
 * "telefonhot" is "telefon" + "hot", "våldsincidenten" is "våld" + linking
 * s + "incidenten": the index (search.h) adds the parts' stems to the
 * whole word's, so a search for "hot" or "våld" finds the compounds.
 *
 * The lexicon is a word list — Debian's hunspell-sv, /usr/share/hunspell/
 * sv_SE.dic (flags after '/' dropped, proper nouns and words with digits or
 * punctuation skipped), or the file named by VAKSAM_WORDLIST ("" for none)
 * — plus words the caller adds (the glossary's terms).
 *
 * Invariants:
 *  - The word list is read once per process (thread-safe) and never
 *    changes; a missing file gives an empty list (only added words split).
 *  - A split is deterministic: the cut with the longest head that is a
 *    word (or a word without its final e or a, as "arbet(e)s-", "mut(a)-"),
 *    optionally followed by a linking s (tried first), whose tail is a
 *    word, a word with an inflection ending ("-et", "-en", "-n" …) or stems
 *    to one; failing that, whose tail is a compound itself. Head and tail
 *    are split again unless they are words as they stand (4 levels at
 *    most). Every part has at least 3 letters.
 */
#ifndef VK_COMPOUND_H
#define VK_COMPOUND_H

#include <stdbool.h>
#include <stddef.h>

struct sb_stemmer;
typedef struct compound_set compound_set;

/* The word list's file: VAKSAM_WORDLIST, else the default ("": none). */
const char *compound_wordlist_path(void);
/* The process-wide word list (never NULL). */
const compound_set *compound_wordlist(void);
/* A set of extra words for one index. */
compound_set *compound_set_new(void);
void compound_set_add(compound_set *s, const char *word, size_t len); /* lower-cased */
bool compound_set_has(const compound_set *s, const char *word, size_t len);
size_t compound_set_size(const compound_set *s);
void compound_set_free(compound_set *s);

/* The parts of lower-cased compound w (len bytes) as byte ranges
 * [parts[i][0], parts[i][1]) in order, at most `max`; 0 when w is not a
 * compound. `extra` may be NULL; the stemmer checks parts in an inflected
 * form ("hotet" → "hot"). */
size_t compound_parts(const compound_set *extra, struct sb_stemmer *stemmer, const char *w,
                      size_t len, size_t (*parts)[2], size_t max);

/* The length of w's base form when w less an inflection ending is a word
 * ("hotet" → 3, "hot"), else len. */
size_t compound_base(const compound_set *extra, const char *w, size_t len);

#endif
