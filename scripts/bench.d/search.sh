# scripts/bench.d/search.sh — the search index on a 10,000-document corpus.
# Sourced by scripts/bench (N, BIN, W, C, timeit, calc, gen_routines set).
# Builds SEARCH_N (default 10000) routines from scripts/bench's generator,
# each with a paragraph of varied words added (drawn from the sample
# content's vocabulary, Zipf-like, plus compounds, so that the index has a
# realistic long tail), as HTML for one organisation and role, then reports:
#   - index size (meta.json + every idx-*.json shard; and the d/K.json
#     bundles that hold the pages' text for excerpts, B pages each) against
#     the corpus text
#   - the bytes one query downloads (meta.json, the shards of its words and
#     the bundles of the first 10 hits), median and largest over the queries
#   - query time: the site's own search.js in node against the built files
#     (read from disk and parsed each time, a fresh copy of search.js, no
#     cache kept between queries; and again as later queries on one page
#     would run, with the code warm): median ms
SN=${SEARCH_N:-10000}
SW=$W/search
mkdir -p "$SW/content"
cp "$C/site.yaml" "$SW/content/"
gen_routines "$SN" "$SW/content/routines" "$SW/bodies"
# The vocabulary: every word of the sample content (or the test data).
vocab_src=content
[ -d "$vocab_src/routines" ] || vocab_src=tests/data/mini
cat $(find "$vocab_src" -name '*.md') | tr 'A-ZÅÄÖ' 'a-zåäö' | grep -oE "[a-zåäö]{4,}" | sort -u >"$SW/vocab"
awk -v vocab="$SW/vocab" -v dir="$SW/content/routines" -v bodies="$SW/bodies" -v n="$SN" 'BEGIN {
  srand(7);
  while ((getline w < vocab) > 0) v[++V] = w;
  for (i = 1; i <= n; i++) {
    p = "\nOm detta:";
    for (k = 0; k < 60; k++) p = p " " v[1 + int(exp(rand() * log(V))) % V];  # Zipf-like
    p = p ". Särskilt " v[1 + int(rand() * V)] v[1 + int(rand() * V)] " och " v[1 + int(rand() * V)] "enheten.\n";
    f = sprintf("%s/rutin-%05d.md", dir, i);
    b = sprintf("%s/rutin-%05d.md", bodies, i);
    printf "%s", p >> f; printf "%s", p >> b;
    close(f); close(b);
  }
}'
MD=$(cat "$SW"/bodies/*.md | wc -c)
echo "search corpus: $SN routines, $((MD / 1024)) KiB of Markdown, $(wc -l <"$SW/vocab") vocabulary words"
timeit "vaksam build html ($SN docs, all cores)" "$BIN" build --content "$SW/content" -o "$SW/dist" --format html -q
S=$SW/dist/site/kommunen/medarbetare/sok
if [ ! -f "$S/meta.json" ]; then
  echo "(no search index in $S)"
else
  node - "$S" "$PWD/themes/default/assets/search.js" "$SW/vocab" <<'JS'
"use strict";
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const [dir, js, vocabFile] = process.argv.slice(2);
// A fresh copy of search.js per query: nothing stays cached from the one before.
const fresh = () => { delete require.cache[require.resolve(js)]; return require(js); };
const size = (f) => fs.statSync(path.join(dir, f)).size;
const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 6 }).length;
const shards = fs.readdirSync(dir).filter((f) => /^idx-.*\.json$/.test(f));
const docs = fs.readdirSync(path.join(dir, "d")).map((f) => "d/" + f);
const sum = (a, f) => a.reduce((s, x) => s + f(x), 0);
const words = sum(shards, size) + size("meta.json");
const pages = sum(docs, size);
let text = 0;
for (const d of docs) for (const e of JSON.parse(fs.readFileSync(path.join(dir, d), "utf8"))) text += Buffer.byteLength(e.x);
const kib = (b) => (b / 1024).toFixed(0) + " KiB";
console.log(`corpus text (what the indexer reads):       ${kib(text)}`);
console.log(`word index (meta.json + ${shards.length} shards):      ${kib(words)} = ${(words / text).toFixed(2)}x the text` +
  `  (gzip ${kib(sum(shards, gz) + gz("meta.json"))}; meta.json ${kib(size("meta.json"))})`);
const per = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")).bundle;
console.log(`page bundles (${docs.length} d/K.json of ${per} pages, text for excerpts): ${kib(pages)} = ${(pages / text).toFixed(2)}x the text`);
console.log(`largest shard: ${kib(Math.max(...shards.map(size)))}, median shard: ${kib(shards.map(size).sort((a, b) => a - b)[shards.length >> 1])}`);
// Queries: inflected forms, several words, a prefix, rare words, no hit.
const vocab = fs.readFileSync(vocabFile, "utf8").split("\n").filter(Boolean);
const queries = ["hoten", "trakasserierna", "våld", "mutor", "rapportera händelsen", "chefen följer upp",
  "säkerhetssamordnaren", "skyddsomb", "ensamarbete hembesök", "dokumentera", "finnsinteialls"];
for (let i = 0; i < 14; i++) queries.push(vocab[(i * 7919) % vocab.length]);
queries.push(vocab[11] + " " + vocab[222], vocab[33].slice(0, 5));
async function run(q, mod) {
  const { createIndex, excerpt } = mod || fresh();
  const fetched = [];
  const load = (name) => { fetched.push(name); return Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"))); };
  const t0 = process.hrtime.bigint();
  const ix = createIndex(load);
  const res = await ix.query(q);
  const shown = await Promise.all(res.hits.slice(0, 10).map((h) => ix.doc(h.doc)));
  for (const d of shown) excerpt(d.x, res.stems) || excerpt(d.s, res.stems);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { q, ms, hits: res.hits.length, bytes: sum(fetched, size), files: fetched.length };
}
(async () => {
  const rows = [];
  for (const q of queries) { await run(q); rows.push(await run(q)); } // first run warms the disk cache
  const med = (a) => { const s = a.slice().sort((x, y) => x - y); return s[s.length >> 1]; };
  for (const r of rows) console.log(`  ${r.q.padEnd(30)} ${String(r.hits).padStart(6)} hits ${kib(r.bytes).padStart(8)} in ${r.files} files ${r.ms.toFixed(1).padStart(7)} ms`);
  const bytes = rows.map((r) => r.bytes);
  console.log(`bytes per query: median ${kib(med(bytes))}, largest ${kib(Math.max(...bytes))} ` +
    `(${(100 * med(bytes) / (words + pages)).toFixed(2)}% / ${(100 * Math.max(...bytes) / (words + pages)).toFixed(2)}% of the whole index)`);
  console.log(`query time (search.js in node, files read and parsed, first 10 hits with excerpts):`);
  console.log(`  first query of a page (fresh search.js): median ${med(rows.map((r) => r.ms)).toFixed(1)} ms, largest ${Math.max(...rows.map((r) => r.ms)).toFixed(1)} ms`);
  const mod = fresh(), warm = [];
  for (const q of queries) await run(q, mod);
  for (const q of queries.slice().reverse()) warm.push((await run(q, mod)).ms);
  console.log(`  later queries on the same page:          median ${med(warm).toFixed(1)} ms, largest ${Math.max(...warm).toFixed(1)} ms`);
})();
JS
fi
