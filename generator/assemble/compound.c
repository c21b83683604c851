/* compound.c — see compound.h. */
#include "compound.h"
#include "util.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WORDLIST "/usr/share/hunspell/sv_SE.dic"
#define MIN_PART 3 /* letters */

/* The words' bytes live in one buffer (for the word list: the file as read,
 * so loading 150,000 words costs no allocation per word); the table holds
 * each word's offset and length. */
typedef struct {
  uint32_t off, len; /* len 0: an empty slot */
} set_entry;

struct compound_set {
  set_entry *slots; /* open addressing, power-of-two size */
  size_t n, cap;
  char *bytes; /* owned */
  size_t used, room;
};

static size_t hash_n(const char *s, size_t len) {
  size_t h = 1469598103934665603u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

static set_entry *slot(const compound_set *s, const char *w, size_t len) {
  size_t mask = s->cap - 1;
  for (size_t i = hash_n(w, len) & mask;; i = (i + 1) & mask) {
    set_entry *e = &s->slots[i];
    if (!e->len || (e->len == len && memcmp(s->bytes + e->off, w, len) == 0))
      return e;
  }
}

static compound_set *set_with_room(size_t words) {
  compound_set *s = xcalloc(1, sizeof *s);
  s->cap = 64;
  while (s->cap < 2 * words)
    s->cap *= 2;
  s->slots = xcalloc(s->cap, sizeof *s->slots);
  return s;
}

compound_set *compound_set_new(void) {
  return set_with_room(0);
}

static void grow(compound_set *s) {
  set_entry *old = s->slots;
  size_t old_cap = s->cap;
  s->cap *= 2;
  s->slots = xcalloc(s->cap, sizeof *s->slots);
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].len)
      *slot(s, s->bytes + old[i].off, old[i].len) = old[i];
  free(old);
}

/* Adds the word at s->bytes + off (len bytes, already in the buffer). */
static void add_at(compound_set *s, size_t off, size_t len) {
  if ((s->n + 1) * 2 > s->cap)
    grow(s);
  set_entry *e = slot(s, s->bytes + off, len);
  if (!e->len) {
    *e = (set_entry){(uint32_t)off, (uint32_t)len};
    s->n++;
  }
}

void compound_set_add(compound_set *s, const char *word, size_t len) {
  if (!len || len > UINT32_MAX || compound_set_has(s, word, len))
    return;
  if (s->used + len > s->room) {
    s->room = (s->used + len) * 2;
    s->bytes = xrealloc(s->bytes, s->room);
  }
  memcpy(s->bytes + s->used, word, len);
  add_at(s, s->used, len);
  s->used += len;
}

bool compound_set_has(const compound_set *s, const char *word, size_t len) {
  return s && s->n && len && slot(s, word, len)->len != 0;
}

size_t compound_set_size(const compound_set *s) {
  return s ? s->n : 0;
}

void compound_set_free(compound_set *s) {
  if (!s)
    return;
  free(s->slots);
  free(s->bytes);
  free(s);
}

/* A dictionary entry worth keeping: lower-case letters only (proper nouns,
 * abbreviations and affixes such as "-" are left out). */
static bool plain_word(const char *w, size_t len) {
  if (len < 2 * MIN_PART - 3 || len > 64) /* 3 ASCII letters at least */
    return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)w[i];
    if (c >= 'a' && c <= 'z')
      continue;
    if (c == 0xC3 && i + 1 < len && (unsigned char)w[i + 1] >= 0xA0) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

static compound_set *wordlist;

static size_t count_lines(const char *text, size_t len) {
  size_t n = 1;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
    n++;
  return n;
}

const char *compound_wordlist_path(void) {
  const char *path = getenv("VAKSAM_WORDLIST");
  return path ? path : DEFAULT_WORDLIST;
}

static void load_wordlist(void) {
  const char *path = compound_wordlist_path();
  size_t len = 0;
  char *text = *path ? read_file(path, &len) : NULL;
  if (!text || len > UINT32_MAX) {
    free(text);
    wordlist = compound_set_new();
    return;
  }
  wordlist = set_with_room(count_lines(text, len));
  wordlist->bytes = text; /* the entries point into the file's bytes */
  wordlist->used = wordlist->room = len;
  for (char *p = text, *end = text + len; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *line_end = nl ? nl : end;
    size_t n = strcspn(p, "/\r\n\t ");
    if (p + n > line_end)
      n = (size_t)(line_end - p);
    if (plain_word(p, n))
      add_at(wordlist, (size_t)(p - text), n);
    p = nl ? nl + 1 : end;
  }
}

const compound_set *compound_wordlist(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, load_wordlist);
  return wordlist;
}

static size_t letters(const char *w, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)w[i] & 0xC0) != 0x80)
      n++;
  return n;
}

static bool is_word(const compound_set *extra, const char *w, size_t len) {
  return compound_set_has(compound_wordlist(), w, len) || compound_set_has(extra, w, len);
}

/* w plus `end` ("e" or "a") is a word: "arbet" of "arbete", "mut" of "muta". */
static bool is_word_plus(const compound_set *extra, const char *w, size_t len, char end) {
  char buf[130];
  if (len + 1 >= sizeof buf)
    return false;
  memcpy(buf, w, len);
  buf[len] = end;
  return is_word(extra, buf, len + 1);
}

/* A head: a word, or a word less its final e or a ("arbet-", "mut-"). */
static bool is_head(const compound_set *extra, const char *w, size_t len) {
  if (letters(w, len) < MIN_PART)
    return false;
  return is_word(extra, w, len) || is_word_plus(extra, w, len, 'e') ||
         is_word_plus(extra, w, len, 'a');
}

/* Endings of inflected forms: a tail less one of them may be a word
 * ("besöket" → "besök", "anmälan" → "anmäla", "samordnaren" → "samordna"). */
static const char *const endings[] = {
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "aren", "ens", "ets", "are", "ren", "en",
    "et",    "na",    "ar",    "er",   "or",   "n",    "t",    "s",   "e",   "a",   NULL};

/* A word as it stands: in the lexicon, with an inflection ending, or
 * stemming to a lexicon word. */
static bool is_plain(const compound_set *extra, struct sb_stemmer *st, const char *w, size_t len) {
  if (letters(w, len) < MIN_PART)
    return false;
  if (is_word(extra, w, len) || compound_base(extra, w, len) < len)
    return true;
  const sb_symbol *s = st ? sb_stemmer_stem(st, (const sb_symbol *)w, (int)len) : NULL;
  return s && letters((const char *)s, strlen((const char *)s)) >= MIN_PART &&
         is_word(extra, (const char *)s, strlen((const char *)s));
}

static bool split_at(const compound_set *extra, struct sb_stemmer *st, const char *w, size_t len,
                     int depth, size_t *head_len, size_t *tail_at);

/* A tail: a plain word, or (deeper) a compound itself. */
static bool is_tail(const compound_set *extra, struct sb_stemmer *st, const char *w, size_t len,
                    int depth, bool compound) {
  if (!compound)
    return is_plain(extra, st, w, len);
  size_t h, t;
  return split_at(extra, st, w, len, depth + 1, &h, &t);
}

/* The cut with the longest head whose tail is a plain word (with a linking
 * s tried first: "döds|hot" before "död|shot"); failing that, the longest
 * head whose tail is a compound itself. */
static bool split_at(const compound_set *extra, struct sb_stemmer *st, const char *w, size_t len,
                     int depth, size_t *head_len, size_t *tail_at) {
  if (depth > 2 || letters(w, len) < 2 * MIN_PART)
    return false;
  for (int compound = 0; compound < 2; compound++)
    for (size_t i = len - 1; i > 0; i--) {
      if (((unsigned char)w[i] & 0xC0) == 0x80 || !is_head(extra, w, i))
        continue; /* inside a letter, or no head */
      size_t at[2] = {i + 1, i};
      for (int k = w[i] == 's' ? 0 : 1; k < 2; k++)
        if (at[k] < len && is_tail(extra, st, w + at[k], len - at[k], depth, compound)) {
          *head_len = i;
          *tail_at = at[k];
          return true;
        }
    }
  return false;
}

static size_t decompose(const compound_set *extra, struct sb_stemmer *st, const char *w, size_t off,
                        size_t len, int depth, size_t (*parts)[2], size_t max) {
  size_t h, t;
  if (max == 0)
    return 0;
  if (max == 1 || depth > 3 || (depth > 0 && is_plain(extra, st, w + off, len)) ||
      !split_at(extra, st, w + off, len, 0, &h, &t)) {
    parts[0][0] = off;
    parts[0][1] = off + len;
    return 1;
  }
  size_t n = decompose(extra, st, w, off, h, depth + 1, parts, max - 1);
  return n + decompose(extra, st, w, off + t, len - t, depth + 1, parts + n, max - n);
}

size_t compound_base(const compound_set *extra, const char *w, size_t len) {
  if (is_word(extra, w, len))
    return len;
  for (const char *const *e = endings; *e; e++) {
    size_t n = strlen(*e);
    if (len > n && memcmp(w + len - n, *e, n) == 0 && letters(w, len - n) >= MIN_PART &&
        is_word(extra, w, len - n))
      return len - n;
  }
  return len;
}

size_t compound_parts(const compound_set *extra, struct sb_stemmer *stemmer, const char *w,
                      size_t len, size_t (*parts)[2], size_t max) {
  size_t n = decompose(extra, stemmer, w, 0, len, 0, parts, max);
  return n > 1 ? n : 0;
}
