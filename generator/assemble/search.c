/* search.c — see search.h. */
#include "search.h"
#include "compound.h"
#include "util.h"
#include "value.h"

#include <libstemmer.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  unsigned doc, weight;
} posting;

typedef struct {
  char *stem;
  posting *p;
  size_t n, cap;
} term;

typedef struct {
  char *url, *title, *kind, *summary, *text;
  char *kind_id; /* facet: the kind's name ("routine"), or NULL */
  vec tags;      /* facet: tag slugs (char*) */
} doc_entry;

/* What a word adds to the index, worked out once per distinct word. */
typedef struct {
  char *word;
  long stem;        /* its stem's term, or -1: a stop word, or the stemmer gave nothing */
  bool split;       /* parts worked out (compound.h) */
  unsigned n_parts; /* the terms of its compound parts' stems other than its own */
  unsigned *parts;
} stem_memo;

struct search_index {
  struct sb_stemmer *stemmer;
  doc_entry *docs;
  size_t n_docs, cap_docs;
  term *terms; /* dense; a word's memo refers to its terms by index */
  size_t n_terms, cap_terms;
  unsigned *slots; /* term index + 1 (0: empty), open addressing, power-of-two size */
  size_t cap_slots;
  stem_memo *memo; /* word → stem, each word stemmed once (open addressing) */
  size_t n_memo, cap_memo;
  compound_set *extra; /* words that split compounds besides the word list */
  bool no_compounds;   /* search_compounds(ix, false) */
};

static const char *const stop_words[] = {
    "och",   "att",   "det",  "som",   "en",    "i",     "på",    "är",   "för", "med",
    "till",  "av",    "den",  "om",    "har",   "de",    "inte",  "ett",  "vid", "kan",
    "ska",   "eller", "du",   "vi",    "man",   "så",    "sig",   "men",  "var", "om",
    "från",  "eller", "när",  "hur",   "vad",   "där",   "han",   "hon",  "hen", "dem",
    "sin",   "sina",  "sitt", "denna", "detta", "dessa", "också", "bara", "mot", "efter",
    "under", "över",  "utan", "samt",  "alla",  "allt",  "mer",   NULL};

static bool is_stop(const char *w) {
  size_t n = strlen(w);
  if (n > 6) /* the longest, "också", has 6 bytes */
    return false;
  for (const char *const *s = stop_words; *s; s++)
    if ((*s)[0] == w[0] && strcmp(*s, w) == 0)
      return true;
  return false;
}

search_index *search_index_new(void) {
  search_index *ix = xcalloc(1, sizeof *ix);
  ix->stemmer = sb_stemmer_new("swedish", "UTF_8");
  ix->cap_slots = 1024;
  ix->slots = xcalloc(ix->cap_slots, sizeof *ix->slots);
  ix->extra = compound_set_new();
  const char *env = getenv("VAKSAM_COMPOUNDS"); /* "0": off (the bench's "before") */
  ix->no_compounds = env && strcmp(env, "0") == 0;
  return ix;
}

void search_compound_words(search_index *ix, const char *words) {
  char *copy = xstrdup(words ? words : "");
  /* lower-case the way each_word does, one word at a time */
  for (char *save = NULL, *w = strtok_r(copy, " \n\t,;()", &save); w;
       w = strtok_r(NULL, " \n\t,;()", &save)) {
    sbuf low = {0};
    for (const unsigned char *p = (const unsigned char *)w; *p; p++) {
      if (*p >= 'A' && *p <= 'Z')
        sbuf_putc(&low, (char)(*p + 32));
      else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E) {
        sbuf_putc(&low, (char)0xC3);
        sbuf_putc(&low, (char)(p[1] + 0x20));
        p++;
      } else
        sbuf_putc(&low, (char)*p);
    }
    if (low.len >= 3)
      compound_set_add(ix->extra, sbuf_str(&low), low.len);
    sbuf_free(&low);
  }
  free(copy);
}

void search_compounds(search_index *ix, bool on) {
  ix->no_compounds = !on;
}

static size_t hash(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static unsigned *slot_for(search_index *ix, const char *stem) {
  size_t mask = ix->cap_slots - 1;
  for (size_t i = hash(stem) & mask;; i = (i + 1) & mask) {
    if (!ix->slots[i] || strcmp(ix->terms[ix->slots[i] - 1].stem, stem) == 0)
      return &ix->slots[i];
  }
}

static void grow(search_index *ix) {
  free(ix->slots);
  ix->cap_slots *= 2;
  ix->slots = xcalloc(ix->cap_slots, sizeof *ix->slots);
  for (size_t i = 0; i < ix->n_terms; i++)
    *slot_for(ix, ix->terms[i].stem) = (unsigned)i + 1;
}

/* The index of stem's term, made if new. */
static unsigned term_of(search_index *ix, const char *stem) {
  if ((ix->n_terms + 1) * 2 > ix->cap_slots)
    grow(ix);
  unsigned *e = slot_for(ix, stem);
  if (!*e) {
    if (ix->n_terms == ix->cap_terms) {
      ix->cap_terms = ix->cap_terms ? ix->cap_terms * 2 : 512;
      ix->terms = xrealloc(ix->terms, ix->cap_terms * sizeof *ix->terms);
    }
    ix->terms[ix->n_terms] = (term){xstrdup(stem), NULL, 0, 0};
    *e = (unsigned)++ix->n_terms;
  }
  return *e - 1;
}

static void add_posting(search_index *ix, unsigned id, unsigned doc, unsigned weight) {
  term *t = &ix->terms[id];
  if (t->n && t->p[t->n - 1].doc == doc) { /* documents are added one at a time */
    t->p[t->n - 1].weight += weight;
    return;
  }
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 4;
    t->p = xrealloc(t->p, t->cap * sizeof *t->p);
  }
  t->p[t->n++] = (posting){doc, weight};
}

/* Lower-cases ASCII and two-byte Latin letters (Å→å …) into out. */
static bool word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Calls fn for each lower-cased word of text. */
static void each_word(const char *text, void (*fn)(void *, const char *, size_t), void *ud) {
  char word[128];
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)text;
  for (;; p++) {
    bool letter = false;
    if (*p && word_byte(*p)) {
      if (n < sizeof word - 1)
        word[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
      letter = true;
    } else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF && p[1] != 0x97 && p[1] != 0xB7) {
      unsigned char c2 = p[1] <= 0x9E ? (unsigned char)(p[1] + 0x20) : p[1];
      if (n < sizeof word - 2) {
        word[n++] = (char)0xC3;
        word[n++] = (char)c2;
      }
      p++;
      letter = true;
    }
    if (!letter) {
      if (n) {
        word[n] = 0;
        fn(ud, word, n);
        n = 0;
      }
      if (!*p)
        break;
    }
  }
}

typedef struct {
  search_index *ix;
  unsigned doc, weight;
  sbuf *query; /* search_stem_query collects here instead */
} add_ctx;

static stem_memo *memo_slot(stem_memo *m, size_t cap, const char *w) {
  for (size_t i = hash(w) & (cap - 1);; i = (i + 1) & (cap - 1))
    if (!m[i].word || strcmp(m[i].word, w) == 0)
      return &m[i];
}

/* The memo of w (len ≥ 2, lower-cased): its stem's term, or -1 for a stop
 * word; the stemmer runs once per distinct word. */
static stem_memo *memo_of(search_index *ix, const char *w, size_t len) {
  if ((ix->n_memo + 1) * 2 > ix->cap_memo) {
    size_t cap = ix->cap_memo ? ix->cap_memo * 2 : 1024;
    stem_memo *m = xcalloc(cap, sizeof *m);
    for (size_t i = 0; i < ix->cap_memo; i++)
      if (ix->memo[i].word)
        *memo_slot(m, cap, ix->memo[i].word) = ix->memo[i];
    free(ix->memo);
    ix->memo = m;
    ix->cap_memo = cap;
  }
  stem_memo *e = memo_slot(ix->memo, ix->cap_memo, w);
  if (!e->word) {
    const sb_symbol *s =
        is_stop(w) ? NULL : sb_stemmer_stem(ix->stemmer, (const sb_symbol *)w, (int)len);
    e->word = xstrndup(w, len);
    e->stem = s ? (long)term_of(ix, (const char *)s) : -1;
    ix->n_memo++;
  }
  return e;
}

/* Adds the term of the stem of w[0, len) to e's parts unless a stop word,
 * or the word's own stem (a stem twice weighs twice, as it is twice a part). */
static void add_part(search_index *ix, stem_memo *e, const char *w, size_t len) {
  char *part = xstrndup(w, len);
  const sb_symbol *st =
      is_stop(part) ? NULL : sb_stemmer_stem(ix->stemmer, (const sb_symbol *)part, (int)len);
  free(part);
  if (!st)
    return;
  unsigned id = term_of(ix, (const char *)st);
  if ((long)id == e->stem)
    return;
  e->parts = xrealloc(e->parts, (e->n_parts + 1) * sizeof *e->parts);
  e->parts[e->n_parts++] = id;
}

/* Works out the terms of w's compound parts, once per word (the stemmer
 * and term_of calls do not touch the memo, so e stays valid). */
static void split_memo(search_index *ix, stem_memo *e, const char *w, size_t len) {
  e->split = true;
  size_t parts[8][2];
  size_t n = ix->no_compounds ? 0 : compound_parts(ix->extra, ix->stemmer, w, len, parts, 8);
  for (size_t i = 0; i < n; i++) {
    size_t plen = parts[i][1] - parts[i][0];
    size_t base = compound_base(ix->extra, w + parts[i][0], plen);
    add_part(ix, e, w + parts[i][0], plen);
    if (base < plen) /* "hotet": also "hot", which the stemmer does not reach */
      add_part(ix, e, w + parts[i][0], base);
  }
}

static void index_word(void *ud, const char *w, size_t len) {
  add_ctx *a = ud;
  if (len < 2)
    return;
  stem_memo *e = memo_of(a->ix, w, len);
  if (e->stem < 0)
    return;
  if (a->query) {
    if (a->query->len)
      sbuf_putc(a->query, ' ');
    sbuf_puts(a->query, a->ix->terms[e->stem].stem);
    return;
  }
  add_posting(a->ix, (unsigned)e->stem, a->doc, a->weight);
  if (!e->split)
    split_memo(a->ix, e, w, len);
  /* A compound's parts weigh half (at least 1): the word itself ranks first. */
  for (unsigned i = 0; i < e->n_parts; i++)
    add_posting(a->ix, e->parts[i], a->doc, a->weight / 2 ? a->weight / 2 : 1);
}

void search_add(search_index *ix, const char *url, const char *title, const char *kind,
                const char *summary, const char *terms, const char *text) {
  if (!ix->stemmer)
    return;
  if (ix->n_docs == ix->cap_docs) {
    ix->cap_docs = ix->cap_docs ? ix->cap_docs * 2 : 64;
    ix->docs = xrealloc(ix->docs, ix->cap_docs * sizeof *ix->docs);
  }
  unsigned doc = (unsigned)ix->n_docs;
  ix->docs[ix->n_docs++] = (doc_entry){xstrdup(url),
                                       xstrdup(title ? title : ""),
                                       xstrdup(kind ? kind : ""),
                                       xstrdup(summary ? summary : ""),
                                       xstrdup(text ? text : ""),
                                       NULL,
                                       {0}};
  add_ctx a = {ix, doc, 10, NULL};
  if (title)
    each_word(title, index_word, &a);
  a.weight = 5;
  if (terms)
    each_word(terms, index_word, &a);
  a.weight = 3;
  if (summary)
    each_word(summary, index_word, &a);
  a.weight = 1;
  if (text)
    each_word(text, index_word, &a);
}

void search_facets(search_index *ix, const char *kind_id, const char *tags) {
  if (!ix->n_docs)
    return;
  doc_entry *d = &ix->docs[ix->n_docs - 1];
  free(d->kind_id);
  d->kind_id = kind_id ? xstrdup(kind_id) : NULL;
  for (const char *p = tags ? tags : ""; *p;) {
    size_t n = strcspn(p, "\n");
    if (n)
      vec_push(&d->tags, xstrndup(p, n));
    p += n + (p[n] == '\n');
  }
}

char *search_stem_query(const char *q) {
  search_index *ix = search_index_new();
  sbuf out = {0};
  add_ctx a = {ix, 0, 0, &out};
  if (ix->stemmer)
    each_word(q, index_word, &a);
  search_index_free(ix);
  return sbuf_take(&out);
}

const char *search_shard_key(const char *stem) {
  static const char *const ascii[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b",
                                      "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
                                      "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
  unsigned char c = (unsigned char)stem[0];
  if (c >= '0' && c <= '9')
    return ascii[c - '0'];
  if (c >= 'a' && c <= 'z')
    return ascii[10 + c - 'a'];
  if (c == 0xC3) {
    unsigned char d = (unsigned char)stem[1];
    if (d == 0xA5)
      return "aa";
    if (d == 0xA4)
      return "ae";
    if (d == 0xB6)
      return "oe";
  }
  return "x";
}

/* ---- writing ----------------------------------------------------------- */

static void json_string(sbuf *b, const char *s) {
  vk_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* What "%u" prints, without printf's cost (indexes hold many numbers). */
static void put_uint(sbuf *b, unsigned v) {
  char tmp[12];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    sbuf_putc(b, tmp[--n]);
}

static int cmp_term_ptr(const void *a, const void *b) {
  return strcmp((*(term *const *)a)->stem, (*(term *const *)b)->stem);
}

typedef struct {
  const char *dir;
  diag *dg;
} dir_sink;

static int write_in(void *ud, const char *name, const char *data, size_t len) {
  const dir_sink *d = ud;
  char *path = path_join(d->dir, name);
  int rc = write_file(path, data, len);
  if (rc != 0)
    diag_error(d->dg, path, 0, 0, "cannot write the search index — check disk space");
  free(path);
  return rc;
}

/* The shard code of the character at byte offset *at of stem, advancing *at;
 * NULL at the end. Codes are those of search_shard_key(). */
static const char *char_code(const char *stem, size_t *at) {
  const char *s = stem + *at;
  if (!*s)
    return NULL;
  const char *k = search_shard_key(s);
  unsigned char c = (unsigned char)*s;
  size_t n = 1;
  if (c >= 0xC0) /* a UTF-8 lead byte: skip its continuation bytes */
    while ((((unsigned char)s[n]) & 0xC0) == 0x80)
      n++;
  *at += n;
  return k;
}

/* The shard code of the character after level characters, or NULL. */
static const char *code_at(const char *stem, int level) {
  size_t at = 0;
  const char *k = NULL;
  for (int i = 0; i <= level; i++)
    if (!(k = char_code(stem, &at)))
      return NULL;
  return k;
}

static const char *const codes[] = {"0", "1",  "2",  "3", "4", "5", "6", "7",  "8", "9",
                                    "a", "aa", "ae", "b", "c", "d", "e", "f",  "g", "h",
                                    "i", "j",  "k",  "l", "m", "n", "o", "oe", "p", "q",
                                    "r", "s",  "t",  "u", "v", "w", "x", "y",  "z"};
#define N_CODES (sizeof codes / sizeof *codes)

typedef struct {
  search_put_fn put;
  void *ud;
  sbuf keys; /* the manifest's list of shard keys */
  size_t n_keys;
  int rc;
} shard_writer;

/* Postings as [doc, weight, doc, weight, …] with doc ids as gaps. */
static void put_term(sbuf *b, const term *t) {
  json_string(b, t->stem);
  sbuf_puts(b, ":[");
  unsigned prev = 0;
  for (size_t p = 0; p < t->n; p++) {
    if (p)
      sbuf_putc(b, ',');
    put_uint(b, t->p[p].doc - prev);
    sbuf_putc(b, ',');
    put_uint(b, t->p[p].weight);
    prev = t->p[p].doc;
  }
  sbuf_putc(b, ']');
}

static size_t digits(unsigned v) {
  size_t n = 1;
  for (; v >= 10; v /= 10)
    n++;
  return n;
}

static size_t term_bytes(const term *t) {
  size_t n = strlen(t->stem) + 8;
  for (size_t p = 0; p < t->n; p++)
    n += 2 + digits(t->p[p].doc - (p ? t->p[p - 1].doc : 0)) + digits(t->p[p].weight);
  return n;
}

static void write_shard(shard_writer *w, term **t, size_t n, const char *key) {
  if (!n)
    return;
  sbuf b = {0};
  for (size_t i = 0; i < n; i++) {
    sbuf_puts(&b, i ? ",\n" : "{\n");
    put_term(&b, t[i]);
  }
  sbuf_puts(&b, "\n}\n");
  char *name = xasprintf("idx-%s.json", key);
  w->rc |= w->put(w->ud, name, sbuf_str(&b), b.len);
  free(name);
  sbuf_free(&b);
  sbuf_puts(&w->keys, w->n_keys++ ? ",\n" : "\n");
  json_string(&w->keys, key);
}

/* Terms t[0..n) share their first level characters (coded as key). Above
 * SHARD_BYTES they are split by their next character, recursively; the term
 * that is exactly the prefix stays in the shard named key itself. */
#define SHARD_BYTES 16384
static void write_group(shard_writer *w, term **t, size_t n, int level, const char *key) {
  size_t bytes = 0;
  for (size_t i = 0; i < n && bytes <= SHARD_BYTES; i++)
    bytes += term_bytes(t[i]);
  if (level > 0 && (bytes <= SHARD_BYTES || n == 1)) {
    write_shard(w, t, n, key);
    return;
  }
  term **sub = xmalloc((n + 1) * sizeof *sub);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!code_at(t[i]->stem, level))
      sub[m++] = t[i];
  write_shard(w, sub, m, key);
  for (size_t c = 0; c < N_CODES; c++) {
    m = 0;
    for (size_t i = 0; i < n; i++) {
      const char *k = code_at(t[i]->stem, level);
      if (k && strcmp(k, codes[c]) == 0)
        sub[m++] = t[i];
    }
    if (!m)
      continue;
    char *child = level ? xasprintf("%s-%s", key, codes[c]) : xstrdup(codes[c]);
    write_group(w, sub, m, level + 1, child);
    free(child);
  }
  free(sub);
}

int search_write(search_index *ix, const char *dir, diag *dg) {
  char *fdir = path_join(dir, "d");
  int made = mkdir_p(dir) == 0 && mkdir_p(fdir) == 0;
  free(fdir);
  if (!made) {
    diag_error(dg, dir, 0, 0, "cannot create the search index folder");
    return -1;
  }
  dir_sink sink = {dir, dg};
  return search_emit(ix, write_in, &sink);
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One facet: {"value":[page, …], …}, values sorted, pages ascending. */
static void put_facet(const search_index *ix, sbuf *b, bool kinds) {
  vec values = {0};
  for (size_t i = 0; i < ix->n_docs; i++) {
    const doc_entry *d = &ix->docs[i];
    size_t n = kinds ? (d->kind_id ? 1 : 0) : d->tags.n;
    for (size_t k = 0; k < n; k++) {
      char *v = kinds ? d->kind_id : d->tags.items[k];
      bool seen = false;
      for (size_t j = 0; j < values.n && !seen; j++)
        seen = strcmp(values.items[j], v) == 0;
      if (!seen)
        vec_push(&values, v);
    }
  }
  vk_sort(values.items, values.n, sizeof *values.items, cmp_cstr);
  sbuf_putc(b, '{');
  for (size_t j = 0; j < values.n; j++) {
    json_string(b, values.items[j]);
    sbuf_puts(b, ":[");
    bool first = true;
    for (size_t i = 0; i < ix->n_docs; i++) {
      const doc_entry *d = &ix->docs[i];
      bool has = kinds && d->kind_id && strcmp(d->kind_id, values.items[j]) == 0;
      for (size_t k = 0; !kinds && k < d->tags.n && !has; k++)
        has = strcmp(d->tags.items[k], values.items[j]) == 0;
      if (has) {
        if (!first)
          sbuf_putc(b, ',');
        put_uint(b, (unsigned)i);
        first = false;
      }
    }
    sbuf_puts(b, j + 1 < values.n ? "]," : "]");
  }
  sbuf_putc(b, '}');
  vec_free(&values);
}

/* ,"facets":{"k":{kind:[pages]},"g":{tag slug:[pages]}} */
static void put_facets(const search_index *ix, sbuf *b) {
  sbuf_puts(b, ",\"facets\":{\"k\":");
  put_facet(ix, b, true);
  sbuf_puts(b, ",\"g\":");
  put_facet(ix, b, false);
  sbuf_putc(b, '}');
}

int search_emit(search_index *ix, search_put_fn put, void *ud) {
  shard_writer w = {put, ud, {0}, 0, 0};
  /* The pages' entries in bundles of SEARCH_BUNDLE, fetched only when one
   * of its pages is a shown hit: one file per SEARCH_BUNDLE pages, not per page. */
  sbuf b = {0};
  for (size_t i = 0; i < ix->n_docs; i++) {
    const doc_entry *d = &ix->docs[i];
    sbuf_puts(&b, i % SEARCH_BUNDLE ? ",\n{\"u\":" : "[\n{\"u\":");
    json_string(&b, d->url);
    sbuf_puts(&b, ",\"t\":");
    json_string(&b, d->title);
    sbuf_puts(&b, ",\"k\":");
    json_string(&b, d->kind);
    sbuf_puts(&b, ",\"s\":");
    json_string(&b, d->summary);
    sbuf_puts(&b, ",\"x\":");
    json_string(&b, d->text);
    sbuf_putc(&b, '}');
    if (i % SEARCH_BUNDLE == SEARCH_BUNDLE - 1 || i + 1 == ix->n_docs) {
      sbuf_puts(&b, "\n]\n");
      char *name = xasprintf("d/%zu.json", i / SEARCH_BUNDLE);
      w.rc |= put(ud, name, sbuf_str(&b), b.len);
      free(name);
      b.len = 0;
    }
  }
  sbuf_free(&b);

  term **terms = xmalloc((ix->n_terms + 1) * sizeof *terms);
  size_t n = 0;
  for (size_t i = 0; i < ix->n_terms; i++)
    terms[n++] = &ix->terms[i];
  vk_sort(terms, n, sizeof *terms, cmp_term_ptr);
  write_group(&w, terms, n, 0, "");
  free(terms);

  sbuf_printf(&b, "{\"docs\":%zu,\"bundle\":%d,\"shards\":[", ix->n_docs, SEARCH_BUNDLE);
  sbuf_putn(&b, sbuf_str(&w.keys), w.keys.len);
  sbuf_puts(&b, "\n]");
  put_facets(ix, &b);
  sbuf_puts(&b, "}\n");
  w.rc |= put(ud, "meta.json", sbuf_str(&b), b.len);
  sbuf_free(&b);
  sbuf_free(&w.keys);
  return w.rc;
}

void search_index_free(search_index *ix) {
  if (!ix)
    return;
  for (size_t i = 0; i < ix->n_docs; i++) {
    free(ix->docs[i].url);
    free(ix->docs[i].title);
    free(ix->docs[i].kind);
    free(ix->docs[i].summary);
    free(ix->docs[i].text);
    free(ix->docs[i].kind_id);
    for (size_t k = 0; k < ix->docs[i].tags.n; k++)
      free(ix->docs[i].tags.items[k]);
    vec_free(&ix->docs[i].tags);
  }
  free(ix->docs);
  for (size_t i = 0; i < ix->n_terms; i++) {
    free(ix->terms[i].stem);
    free(ix->terms[i].p);
  }
  free(ix->terms);
  free(ix->slots);
  for (size_t i = 0; i < ix->cap_memo; i++) {
    free(ix->memo[i].word);
    free(ix->memo[i].parts);
  }
  compound_set_free(ix->extra);
  free(ix->memo);
  if (ix->stemmer)
    sb_stemmer_delete(ix->stemmer);
  free(ix);
}
