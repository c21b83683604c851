#!/usr/bin/env bash
# Traceability: content/krav.yaml lists requirements, `answers:` in front
# matter names them; each variant gets krav.html and krav.csv with every
# requirement, the documents that answer it and those nothing answers.
# Unknown requirement ids are errors at file:line:col (exit 1).
. "$(dirname "$0")/../lib.sh"

mini() { # NAME — tests/data/mini with requirements and answers
  local c
  c=$(fresh_content "$1")
  cat >"$c/krav.yaml" <<'YAML'
requirements:
  - {id: A4, title: Rutiner för händelser, source: Granskning}
  - {id: "AFS 2023:1 13 §", title: Paragraf ur föreskrifterna}
  - {id: A9, title: Riskbedömningar}
  - {id: A20, title: Årlig sammanställning}
YAML
  sed -i 's/^related: \[hot\]/related: [hot]\nanswers: [A4, "AFS 2023:1 13 §"]/' "$c/routines/hot-i-telefon.md"
  sed -i '0,/^id: efter-samtalet/s//id: efter-samtalet\nanswers: [A4]\nroles: [chef]/' \
    "$c/checklists/efter-samtalet.md"
  echo "$c"
}

c=$(mini ok)
run_vaksam check --content "$c" --theme "$THEME"
check "answers: naming krav.yaml's ids passes check" [ "$RC" -eq 0 ]
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/out-ok" --format html
check "build with requirements exits 0" [ "$RC" -eq 0 ]
s=$TMP/out-ok/site
for v in kommunen/medarbetare kommunen/chef socialnamnden/medarbetare socialnamnden/chef; do
  check "coverage page and CSV for $v" [ -f "$s/$v/krav.html" -a -f "$s/$v/krav.csv" ]
done
csv=$s/kommunen/medarbetare/krav.csv
check "CSV has a header and one row per requirement" [ "$(wc -l <"$csv")" -eq 5 ]
check "CSV: A4 answered by the routine" grep -q '^A4,Rutiner för händelser,yes,routines/hot-i-telefon.md,Hot i telefon,kommunen,medarbetare' "$csv"
check "CSV: an AFS paragraph id answered" grep -q '^AFS 2023:1 13 §,Paragraf ur föreskrifterna,yes,routines/hot-i-telefon.md' "$csv"
check "CSV: A9 answered by nothing" grep -q '^A9,Riskbedömningar,no,,,' "$csv"
check "CSV: requirements in file order" [ "$(cut -d, -f1 "$csv" | tr '\n' ' ')" = "requirement A4 AFS 2023:1 13 § A9 A20 " ]
check "staff CSV does not name the chef-only checklist" bash -c "! grep -q efter-samtalet '$csv'"
check "chef CSV names both documents for A4" grep -q '^A4,.*routines/hot-i-telefon.md | checklists/efter-samtalet.md' "$s/kommunen/chef/krav.csv"
page=$s/kommunen/medarbetare/krav.html
check "page lists every requirement with an anchor" [ "$(grep -c '<tr id="krav-' "$page")" -eq 4 ]
check "page links the answering routine" grep -q 'href="rutiner/hot-i-telefon.html"' "$page"
check "page lists the unanswered requirements" grep -q 'Krav som inget dokument besvarar (2)' "$page"
check "unanswered list names A9 and A20" bash -c "sed -n '/obesvarade/,/alla-krav/p' '$page' | grep -q 'A9' && sed -n '/obesvarade/,/alla-krav/p' '$page' | grep -q 'A20' && ! sed -n '/obesvarade/,/alla-krav/p' '$page' | grep -q '>A4<'"
check "page links its CSV" grep -q 'href="krav.csv"' "$page"
check "routine page lists the requirements it answers" grep -q 'href="../krav.html#krav-a4"' "$s/kommunen/medarbetare/rutiner/hot-i-telefon.html"
check "home page links the coverage page" grep -q 'href="krav.html"' "$s/kommunen/medarbetare/index.html"

c=$(mini unknown)
sed -i 's/^answers: \[A4, "AFS 2023:1 13 §"\]/answers: [A4, A99]/' "$c/routines/hot-i-telefon.md"
expect_fail "unknown requirement id at file:line:col" 1 \
  "routines/hot-i-telefon.md:13:[0-9]+: error: 'answers' names 'A99', which is not a requirement in .*krav.yaml" \
  check --content "$c" --theme "$THEME"
col=$(grep -o "hot-i-telefon.md:13:[0-9]*" "$TMP/err" | cut -d: -f3)
check "the column points at the unknown id" [ "$col" = "15" ]

c=$(fresh_content nofile)
sed -i 's/^related: \[hot\]/related: [hot]\nanswers: [A4]/' "$c/routines/hot-i-telefon.md"
expect_fail "answers without krav.yaml is an error" 1 \
  "routines/hot-i-telefon.md:13:[0-9]+: error: 'answers' names 'A4', but there is no .*krav.yaml" \
  check --content "$c" --theme "$THEME"
run_vaksam build --content "$TMP/nofile" --theme "$THEME" -o "$TMP/out-none" --format html
sed -i '/^answers:/d' "$c/routines/hot-i-telefon.md"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/out-none" --format html
check "no krav.yaml: no coverage page" [ "$RC" -eq 0 -a ! -e "$TMP/out-none/site/kommunen/medarbetare/krav.html" ]

c=$(mini dupreq)
printf '  - {id: A4, title: Igen}\n' >>"$c/krav.yaml"
expect_fail "duplicate requirement id at file:line:col" 1 "krav.yaml:6:[0-9]+: error: duplicate requirement id 'A4'" \
  check --content "$c" --theme "$THEME"

c=$(mini notitle)
printf '  - {id: A30}\n' >>"$c/krav.yaml"
expect_fail "requirement without title" 1 "krav.yaml:6:[0-9]+: error: missing required key 'title'" \
  check --content "$c" --theme "$THEME"

c=$(mini notlist)
sed -i 's/^answers: \[A4, "AFS 2023:1 13 §"\]/answers: {a: A4}/' "$c/routines/hot-i-telefon.md"
expect_fail "answers that is not a list" 1 "routines/hot-i-telefon.md:13:[0-9]+: error: 'answers' must be a list" \
  check --content "$c" --theme "$THEME"

# The sample content: every ask A1…A24 is in content/krav.yaml, and the
# coverage page and CSV are built for every variant.
sample=$VAKSAM_ROOT/content
ids=$(grep -Eo '^  - id: A[0-9]+' "$sample/krav.yaml" | awk '{print $3}' | tr '\n' ' ')
want=$(seq -f 'A%g' 1 24 | tr '\n' ' ')
check "sample krav.yaml has A1…A24 in order" [ "$ids" = "$want" ]
asks=$(grep -Eo '^\| A[0-9]+ ' "$VAKSAM_ROOT/../shared/ASKS.md" 2>/dev/null | awk '{print $2}' | tr '\n' ' ')
check "the ids are those of ASKS.md" [ -z "$asks" -o "$asks" = "$want" ]
run_vaksam build --content "$sample" --theme "$THEME" -o "$TMP/out-sample" --format html
check "sample builds" [ "$RC" -eq 0 ]
n=$(find "$TMP/out-sample/site" -name krav.csv | wc -l)
nv=$(find "$TMP/out-sample/site" -mindepth 3 -maxdepth 3 -name index.html -path '*/*/*/index.html' | wc -l)
check "sample: a coverage CSV per variant ($n of $nv)" [ "$n" -eq "$nv" -a "$n" -gt 0 ]
scsv=$TMP/out-sample/site/kommunen/chef/krav.csv
check "sample: 24 requirements in the chef CSV" [ "$(tail -n +2 "$scsv" | wc -l)" -eq 24 ]
check "sample: A4 answered by the meeting routine" grep -q '^A4,.*routines/hot-i-mote.md' "$scsv"
check "sample: A24 (the whole site) answered by no document" grep -q '^A24,.*,no,' "$scsv"
check "docs/asks.md points to the generated page" grep -q 'krav.html' "$VAKSAM_ROOT/docs/asks.md"
