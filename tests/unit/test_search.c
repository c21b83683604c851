/* test_search.c — Swedish tokenising, stemming, sharding, determinism.
 * With --stem, prints the stem of each word read from stdin (one per line),
 * so tests/sh/search_stem.sh can compare the browser's JS stemmer with it. */
#include "../check.h"
#include "search.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int stem_stdin(void) {
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *s = search_stem_query(line);
    printf("%s\t%s\n", line, s);
    free(s);
  }
  return 0;
}

static char *slurp(const char *dir, const char *name) {
  char *p = path_join(dir, name);
  size_t len;
  char *t = read_file(p, &len);
  free(p);
  return t;
}

/* The regular files in dir. */
static size_t count_files(const char *dir) {
  size_t n = 0;
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--stem") == 0)
    return stem_stdin();
  char *a = search_stem_query("hoten"), *b = search_stem_query("hot"),
       *c = search_stem_query("Hotade");
  CHECK(strcmp(a, b) == 0 && strcmp(b, c) == 0, "hoten, hot and Hotade share a stem (%s %s %s)", a,
        b, c);
  free(a);
  free(b);
  free(c);
  a = search_stem_query("trakasserierna");
  b = search_stem_query("trakasserier");
  CHECK(strcmp(a, b) == 0, "trakasserierna finds trakasserier (%s = %s)", a, b);
  free(a);
  free(b);
  a = search_stem_query("FÖRTROENDEVALDA");
  CHECK(strncmp(a, "förtroendeval", strlen("förtroendeval")) == 0, "Å/Ä/Ö are lower-cased (%s)", a);
  free(a);
  a = search_stem_query("och att det är");
  CHECK(strcmp(a, "") == 0, "stop words are dropped");
  free(a);
  CHECK(strcmp(search_shard_key("ångest"), "aa") == 0 &&
            strcmp(search_shard_key("ört"), "oe") == 0 && strcmp(search_shard_key("hot"), "h") == 0,
        "shard keys");

  char tmpl[] = "/tmp/vaksam-search-XXXXXX";
  char *dir = mkdtemp(tmpl);
  CHECK(dir != NULL, "temp dir");
  if (!dir)
    return 1;
  char *d1 = path_join(dir, "a"), *d2 = path_join(dir, "b"), *d3 = path_join(dir, "c");
  for (int round = 0; round < 2; round++) {
    search_index *ix = search_index_new();
    search_add(ix, "rutiner/hot.html", "Hot i telefon", "Rutiner", "Vad du gör vid hot.", NULL,
               "Avbryt samtalet. Rapportera hotet i KIA.");
    search_add(ix, "fall/samtal.html", "Samtalet", "Fall", NULL, "hot\n",
               "Ett ångestfyllt samtal om hot.");
    search_write(ix, round ? d2 : d1, NULL);
    search_index_free(ix);
  }
  char *x = slurp(d1, "idx-h.json"), *y = slurp(d2, "idx-h.json");
  CHECK(x && y && strcmp(x, y) == 0, "two writes of the same index are byte-identical");
  CHECK(x && strstr(x, "\"hot\":[0,13,1,6]"),
        "postings (doc gaps): title weighs 10, glossary term 5, summary 3, text 1 (%s)",
        x ? x : "");
  free(x);
  free(y);
  x = slurp(d1, "idx-aa.json");
  CHECK(x && strstr(x, "\"ångest"), "å words go to their own shard");
  free(x);
  x = slurp(d1, "d/0.json");
  const char *first = "[\n{\"u\":\"rutiner/hot.html\"";
  y = x ? strstr(x, "},\n{\"u\":\"fall/samtal.html\"") : NULL;
  CHECK(x && strncmp(x, first, strlen(first)) == 0 && y &&
            strstr(y, "\"x\":\"Ett ångestfyllt samtal om hot.\"}\n]\n"),
        "pages 0 and 1 are entries 0 and 1 of bundle d/0.json, with their text for excerpts (%s)",
        x ? x : "");
  free(x);
  x = slurp(d1, "d/1.json");
  CHECK(x == NULL, "no bundle beyond the pages");
  free(x);
  x = slurp(d1, "meta.json");
  CHECK(x && strstr(x, "\"docs\":2") && strstr(x, "\"bundle\":8") && strstr(x, "\"h\"") &&
            strstr(x, "\"aa\""),
        "meta.json counts the pages, gives the bundle size and lists the shards");
  free(x);

  /* Many pages: a shard above 16 KiB splits by the next letter, and every
   * word still lands in exactly one shard named by its stem's prefix. */
  setenv("VAKSAM_COMPOUNDS", "0", 1); /* "hotfulla" would add to "hot" */
  search_index *big = search_index_new();
  unsetenv("VAKSAM_COMPOUNDS");
  for (int i = 0; i < 3000; i++) {
    char url[32], text[160];
    snprintf(url, sizeof url, "r/%d.html", i);
    snprintf(text, sizeof text, "Hot och hotfulla samtal, handläggaren hjälper. Ord%d hemligt%d.",
             i, i % 50);
    search_add(big, url, "Rutin", "Rutiner", NULL, NULL, text);
  }
  char *d4 = path_join(dir, "big");
  CHECK(search_write(big, d4, NULL) == 0, "a big index is written");
  search_index_free(big);
  x = slurp(d4, "meta.json");
  CHECK(x && strstr(x, "\"h-e\"") && strstr(x, "\"h-o-t\"") && !strstr(x, "\"h\""),
        "the h shard is split");
  free(x);
  x = slurp(d4, "idx-h-o-t.json");
  y = slurp(d4, "idx-h-e.json");
  CHECK(x && y && strstr(x, "\"hot\":[0,1,1,1,") && !strstr(y, "\"hot\"") && strstr(y, "\"hemlig"),
        "hot is in idx-h-o-t.json, hemligt in idx-h-e.json");
  free(x);
  free(y);
  /* The page files grow with pages / SEARCH_BUNDLE, not with pages. */
  char *d4d = path_join(d4, "d");
  size_t n_files = count_files(d4d), want = (3000 + SEARCH_BUNDLE - 1) / SEARCH_BUNDLE;
  CHECK(SEARCH_BUNDLE >= 8 && n_files == want,
        "3000 pages make %zu bundle files under d/ (⌈3000/%d⌉ = %zu), not 3000", n_files,
        SEARCH_BUNDLE, want);
  free(d4d);
  char last[32];
  snprintf(last, sizeof last, "d/%zu.json", want - 1);
  x = slurp(d4, last);
  y = x ? strstr(x, "\"u\":\"r/2999.html\"") : NULL;
  CHECK(x && y && strcmp(strchr(y, '}'), "}\n]\n") == 0, "the last bundle ends with the last page");
  free(x);
  x = slurp(d4, "idx-o.json");
  CHECK(x == NULL, "a split shard's letter has no file of its own when no stem is that letter");
  free(x);
  free(d4);

  /* What one index holds never appears in another's files. */
  search_index *chef = search_index_new();
  search_add(chef, "x.html", "Chefens sida", "Rutiner", NULL, NULL, "hemligchefsord");
  search_write(chef, d3, NULL);
  search_index_free(chef);
  x = slurp(d1, "idx-h.json");
  CHECK(x && !strstr(x, "hemligchef"), "an index holds only its own pages' words");
  free(x);
  /* Compounds (compound.h): the glossary's words split compounds (with or
   * without the word list); queries are not split. */
  search_index *cx = search_index_new();
  search_compound_words(cx, "Våld\nincident telefon Hot");
  search_add(cx, "a.html", "A", "Fall", NULL, NULL, "En våldsincident och ett telefonhotet.");
  search_add(cx, "b.html", "B", "Fall", NULL, NULL, "Ett hotell och en incidentrapportör.");
  char *d5 = path_join(dir, "compounds");
  search_write(cx, d5, NULL);
  search_index_free(cx);
  x = slurp(d5, "idx-v.json");
  CHECK(x && strstr(x, "\"våld\":[0,"),
        "\"våld\" is indexed for the page with \"våldsincident\": %s", x ? x : "");
  free(x);
  x = slurp(d5, "idx-h.json");
  CHECK(x && strstr(x, "\"hot\":[0,") && !strstr(x, "\"hot\":[0,1,1"),
        "\"hot\" is indexed for \"telefonhotet\", not for \"hotell\": %s", x ? x : "");
  free(x);
  x = slurp(d5, "idx-i.json");
  CHECK(x && strstr(x, "\"incident\":[0,"), "the tail of a linking-s compound is indexed: %s",
        x ? x : "");
  free(x);
  char *q = search_stem_query("våldsincident");
  CHECK_STR(q, "våldsincident", "a query is not split");
  free(q);
  setenv("VAKSAM_COMPOUNDS", "0", 1);
  search_index *off = search_index_new();
  search_compound_words(off, "våld incident");
  search_add(off, "a.html", "A", "Fall", NULL, NULL, "En våldsincident.");
  char *d6 = path_join(dir, "nocompounds");
  search_write(off, d6, NULL);
  search_index_free(off);
  unsetenv("VAKSAM_COMPOUNDS");
  x = slurp(d6, "idx-v.json");
  CHECK(x && !strstr(x, "\"våld\""), "VAKSAM_COMPOUNDS=0 turns splitting off: %s", x ? x : "");
  free(x);
  free(d5);
  free(d6);
  rm_rf(dir);
  free(d1);
  free(d2);
  free(d3);
  return check_failures ? 1 : 0;
}
