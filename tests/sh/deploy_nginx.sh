#!/usr/bin/env bash
# Deploying the built site on a real web server (docs/deploy.md): the sample
# content with the publish targets of tests/data/targets/targets.yaml
# (intranat: staff roles; politikerportal: elected officials), each target
# served by Debian's nginx (a non-daemon on a free loopback port, all paths
# under $TMP) under the sub-path /vaksam/ with the generated access include.
# A crawler fetches every sitemap page and every link, asset and download
# they name: 0 errors. Then the access rules: a staff reader's groups get 403
# on a chef page, a chef search shard and a facilitator guide, a manager's
# get 200; public pages are open without groups. Apache httpd: the generated
# include passes `apache2 -t` and, served by apache2 -X, gives the same answers.
. "$(dirname "$0")/../lib.sh"
content=$VAKSAM_ROOT/content
[ -f "$content/site.yaml" ] || exit 0
NGINX=${NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || { notok "nginx is installed ($NGINX; scripts/setup test installs nginx-light)"; exit 0; }
c=$TMP/content
cp -R "$content" "$c"
cat "$VAKSAM_ROOT/tests/data/targets/targets.yaml" >>"$c/site.yaml"
run_vaksam build --content "$c" --theme "$THEME" -o "$TMP/d" -q
check "the sample with two targets builds (exit $RC${ERR:+: $(echo "$ERR" | head -c 300)})" [ "$RC" -eq 0 ]
for t in intranat politikerportal; do
  check "target $t: its own site root and access includes" \
    bash -c "[ -f '$TMP/d/$t/site/index.html' ] && [ -f '$TMP/d/$t/access/nginx-http.conf' ] && [ -f '$TMP/d/$t/access/nginx-server.conf' ] && [ -f '$TMP/d/$t/access/apache.conf' ]"
done
check "intranat has no elected officials' folder, politikerportal no chef folder" \
  bash -c "[ ! -e '$TMP/d/intranat/site/kommunen/fortroendevald' ] && [ ! -e '$TMP/d/politikerportal/site/kommunen/chef' ] && [ -d '$TMP/d/politikerportal/site/kommunen/fortroendevald' ]"
check "politikerportal leaves out the organisation not in its list (familjeratten)" \
  [ ! -e "$TMP/d/politikerportal/site/familjeratten" ]
check "the role chooser of politikerportal offers only its role" \
  bash -c "grep -q 'fortroendevald/' '$TMP/d/politikerportal/site/kommunen/index.html' && ! grep -qE 'href=\"(chef|medarbetare|skyddsombud)/' '$TMP/d/politikerportal/site/kommunen/index.html'"

# the server's workers may run as another user (nobody, when the test runs as root)
chmod 755 "$TMP"
chmod -R a+rX "$TMP/d"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
p1=$(free_port)
p2=$(free_port)
n=$TMP/nginx
mkdir -p "$n/logs"
cat >"$n/nginx.conf" <<CONF
worker_processes 1;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  types { application/vnd.oasis.opendocument.text odt; application/vnd.oasis.opendocument.presentation odp; }
  access_log off;
  client_body_temp_path $n/body; proxy_temp_path $n/proxy; fastcgi_temp_path $n/fastcgi;
  uwsgi_temp_path $n/uwsgi; scgi_temp_path $n/scgi;
  include $TMP/d/intranat/access/nginx-http.conf;
  include $TMP/d/politikerportal/access/nginx-http.conf;
  server {
    listen 127.0.0.1:$p1;
    location /vaksam/ {
      alias $TMP/d/intranat/site/;
      include $TMP/d/intranat/access/nginx-server.conf;
    }
  }
  server {
    listen 127.0.0.1:$p2;
    location /vaksam/ {
      alias $TMP/d/politikerportal/site/;
      include $TMP/d/politikerportal/access/nginx-server.conf;
    }
  }
}
CONF
"$NGINX" -p "$n" -c "$n/nginx.conf" -g "daemon off; pid $n/pid; error_log stderr;" -t >"$n/t.log" 2>&1
check "nginx accepts the generated includes (nginx -t$(grep -i emerg "$n/t.log" | head -c 300))" [ $? -eq 0 ]
"$NGINX" -p "$n" -c "$n/nginx.conf" -g "daemon off; pid $n/pid; error_log stderr;" >"$n/err.log" 2>&1 &
npid=$!
trap 'kill $npid 2>/dev/null; [ -n "${apid:-}" ] && kill $apid 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
u1=http://127.0.0.1:$p1
u2=http://127.0.0.1:$p2
check "nginx answers on loopback" poll 20 curl -sf -o /dev/null "$u1/vaksam/"

node "$VAKSAM_ROOT/tests/sh/crawl.js" "$u1" https://intranat.exempelkommun.se/vaksam/ "personal,chefer,skyddsombud"
node "$VAKSAM_ROOT/tests/sh/crawl.js" "$u2" https://politiker.exempelkommun.se/vaksam/ "politiker"

code() { # URL [GROUPS]
  if [ -n "${2:-}" ]; then curl -s -o /dev/null -w '%{http_code}' -H "X-Vaksam-Groups: $2" "$1"; else curl -s -o /dev/null -w '%{http_code}' "$1"; fi
}
pack=$(ls "$TMP/d/intranat/site/kommunen/chef/apt/" | grep -v '\.html$' | head -1)
shard=$(ls "$TMP/d/intranat/site/kommunen/chef/sok/" | grep '^idx-' | head -1)
chef_page=/vaksam/kommunen/chef/index.html
chef_shard=/vaksam/kommunen/chef/sok/$shard
guide=/vaksam/kommunen/chef/apt/$pack/handledning.odt
staff_page=/vaksam/kommunen/medarbetare/index.html
check "a facilitator guide and a chef search shard exist ($guide, $chef_shard)" \
  bash -c "[ -f '$TMP/d/intranat/site/kommunen/chef/apt/$pack/handledning.odt' ] && [ -n '$shard' ]"
# access checks: URL GROUPS WANT
access() {
  local got
  got=$(code "$2" "$3")
  if [ "$got" = "$4" ]; then ok "$1: $2 with groups '${3}' → $4"; else notok "$1: $2 with groups '${3}' → $got, want $4"; fi
}
for base in "$u1"; do
  access nginx "$base$chef_page" personal 403
  access nginx "$base$chef_shard" personal 403
  access nginx "$base$guide" personal 403
  access nginx "$base$staff_page" personal 200
  access nginx "$base$chef_page" chefer 200
  access nginx "$base$chef_shard" "personal, chefer" 200
  access nginx "$base$guide" chefer 200
  access nginx "$base$staff_page" "" 403
  access nginx "$base$chef_page" "chefer-vikarie" 403
  for p in /vaksam/ /vaksam/index.html /vaksam/tillganglighet.html /vaksam/404.html /vaksam/kommunen/index.html /vaksam/sitemap.xml; do
    access nginx "$base$p" "" 200
  done
  access nginx "$base/vaksam/assets/$(ls "$TMP/d/intranat/site/assets" | head -1)" "" 200
done
access nginx "$u2/vaksam/kommunen/fortroendevald/index.html" politiker 200
access nginx "$u2/vaksam/kommunen/fortroendevald/index.html" chefer 403

# Apache httpd: the generated include is valid and does the same.
APACHE=${APACHE:-/usr/sbin/apache2}
if [ ! -x "$APACHE" ]; then
  notok "apache2 is installed ($APACHE; scripts/setup test installs apache2)"
  exit 0
fi
a=$TMP/apache
mkdir -p "$a"
p3=$(free_port)
m=/usr/lib/apache2/modules
cat >"$a/httpd.conf" <<CONF
ServerRoot $a
ServerName 127.0.0.1
DefaultRuntimeDir $a
PidFile $a/pid
ErrorLog $a/error.log
LogLevel warn
Mutex file:$a default
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule alias_module $m/mod_alias.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
TypesConfig /etc/mime.types
DirectoryIndex index.html
Listen 127.0.0.1:$p3
Alias /vaksam/ $TMP/d/intranat/site/
<Directory />
  Require all denied
</Directory>
<Directory $TMP/d/intranat/site>
  Require all granted
</Directory>
Include $TMP/d/intranat/access/apache.conf
CONF
"$APACHE" -t -f "$a/httpd.conf" >"$a/t.log" 2>&1
check "apache2 -t accepts the generated include ($(grep -v 'Syntax OK' "$a/t.log" | head -c 300))" grep -q 'Syntax OK' "$a/t.log"
"$APACHE" -X -f "$a/httpd.conf" >"$a/out.log" 2>&1 &
apid=$!
if poll 20 curl -sf -o /dev/null "http://127.0.0.1:$p3/vaksam/"; then
  ua=http://127.0.0.1:$p3
  access apache "$ua$chef_page" personal 403
  access apache "$ua$chef_shard" personal 403
  access apache "$ua$guide" personal 403
  access apache "$ua$staff_page" personal 200
  access apache "$ua$chef_page" chefer 200
  access apache "$ua$guide" chefer 200
  access apache "$ua/vaksam/tillganglighet.html" "" 200
  node "$VAKSAM_ROOT/tests/sh/crawl.js" "$ua" https://intranat.exempelkommun.se/vaksam/ "personal,chefer,skyddsombud" | sed 's/^\(n\?o\?t\? \?ok - \)/\1apache: /'
else
  notok "apache2 -X answers on loopback ($(head -c 300 "$a/error.log" "$a/out.log" 2>/dev/null))"
fi
