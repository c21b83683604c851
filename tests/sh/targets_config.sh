#!/usr/bin/env bash
# site.yaml `targets:` (docs/deploy.md): mistakes are errors at
# file:line:col with exit 1; a good list builds one root per target; without
# targets the output keeps its one-target layout (dist/site/, dist/access/).
. "$(dirname "$0")/../lib.sh"
with_targets() { # NAME YAML → a copy of tests/data/mini with YAML appended to site.yaml
  local d
  d=$(fresh_content "$1")
  printf '%s\n' "$2" >>"$d/site.yaml"
  echo "$d"
}
c=$(with_targets unknown-role 'targets:
  - id: a
    roles: [medarbetare, ledare]')
expect_fail "an unknown role in a target is an error at its line and column" 1 \
  'site\.yaml:[0-9]+:[0-9]+: .*target role .ledare. is not in site\.yaml' build --content "$c" --theme "$THEME" -o "$TMP/o1" -q
line=$(grep -n 'ledare' "$c/site.yaml" | cut -d: -f1)
check "… and the line is the role's line ($line)" grep -q "site.yaml:$line:" "$TMP/err"
c=$(with_targets unknown-org 'targets:
  - id: a
    organisations: [kommunen, okand]')
expect_fail "an unknown organisation in a target is an error" 1 \
  'site\.yaml:[0-9]+:[0-9]+: .*target organisation .okand. is not in site\.yaml' check --content "$c"
c=$(with_targets twice 'targets:
  - id: a
  - id: a')
expect_fail "a target id used twice is an error" 1 'target id .a. is used twice' check --content "$c"
c=$(with_targets groups 'targets:
  - id: a
    roles: [medarbetare]
    groups: {chef: [chefer]}')
expect_fail "groups for a role outside the target are an error" 1 \
  "site\\.yaml:[0-9]+:[0-9]+: .*groups for role .chef., which is not a role of target .a." check --content "$c"
c=$(with_targets badgroup 'targets:
  - id: a
    groups: {chef: ["chefer; drop"]}')
expect_fail "a group name with odd characters is an error" 1 'a group name is letters' check --content "$c"
c=$(with_targets badurl 'targets:
  - id: a
    base_url: politiker.test')
expect_fail "a target's base_url must be absolute" 1 "target's base_url must be an absolute" check --content "$c"
c=$(with_targets reserved 'targets:
  - id: site')
expect_fail "a target cannot be named site" 1 "target id .site. must be" check --content "$c"

c=$(with_targets good 'targets:
  - id: personal
    roles: [medarbetare]
    groups: {medarbetare: [alla]}
  - id: ledning
    base_url: https://ledning.test/v/
    roles: [chef]
    organisations: [socialnamnden]')
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/good" -q
check "two targets build (exit $RC${ERR:+: $ERR})" [ "$RC" -eq 0 ]
check "each target is its own root: <out>/<id>/site/ and <out>/<id>/access/" \
  bash -c "[ -f '$TMP/good/personal/site/index.html' ] && [ -f '$TMP/good/ledning/site/index.html' ] && [ -f '$TMP/good/ledning/access/apache.conf' ] && [ ! -e '$TMP/good/site' ]"
check "a target has only its roles" \
  bash -c "[ -d '$TMP/good/personal/site/kommunen/medarbetare' ] && [ ! -e '$TMP/good/personal/site/kommunen/chef' ]"
check "a target has only its organisations" \
  bash -c "[ -d '$TMP/good/ledning/site/socialnamnden/chef' ] && [ ! -e '$TMP/good/ledning/site/kommunen' ]"
check "a target's base_url is its sitemap's" bash -c "grep -q '<loc>https://ledning.test/v/socialnamnden/chef/' '$TMP/good/ledning/site/sitemap.xml' && ! grep -q 'intranat.test' '$TMP/good/ledning/site/sitemap.xml'"
check "the access include allows the configured groups (nginx)" grep -q 'medarbetare\\|(.*\[ ,;\])?(alla)' "$TMP/good/personal/access/nginx-http.conf"
check "… and a role without groups to the group named as the role (Apache)" \
  grep -qF "(^|[ ,;])(chef)([ ,;]|\$)" "$TMP/good/ledning/access/apache.conf"
check "… under base_url's path" grep -qF '<LocationMatch "^/v/(socialnamnden)/chef/">' "$TMP/good/ledning/access/apache.conf"

run_vaksam build --content "$VAKSAM_ROOT/tests/data/mini" --theme "$THEME" -o "$TMP/one" -q
check "without targets: one target, dist/site/ and dist/access/ as before" \
  bash -c "[ -f '$TMP/one/site/index.html' ] && [ -f '$TMP/one/access/nginx-http.conf' ] && [ -d '$TMP/one/site/kommunen/chef' ] && [ -d '$TMP/one/site/kommunen/medarbetare' ]"
