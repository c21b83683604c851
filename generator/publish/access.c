/* access.c — see access.h. */
#include "access.h"
#include "links.h"

#include <stdlib.h>
#include <string.h>

#define GROUP_HEADER "X-Vaksam-Groups"

/* A literal as a PCRE pattern (ids and paths: only '.' and a few others). */
static void put_quoted(sbuf *b, const char *s) {
  for (; *s; s++) {
    if (strchr(".^$|()[]{}*+?\\", *s))
      sbuf_putc(b, '\\');
    sbuf_putc(b, *s);
  }
}

/* "^/base/(org1|org2)/" — the folder of every organisation of the target. */
static void put_org_prefix(sbuf *b, const vk_site *s) {
  char *root = link_server_root(s, false);
  sbuf_puts(b, "^");
  put_quoted(b, root);
  sbuf_puts(b, "(");
  for (size_t i = 0; i < s->n_orgs; i++) {
    if (i)
      sbuf_puts(b, "|");
    put_quoted(b, s->orgs[i]->id);
  }
  sbuf_puts(b, ")/");
  free(root);
}

/* "(^|[ ,;])(g1|g2)([ ,;]|$)": one of the role's groups in the header. */
static void put_groups(sbuf *b, const vk_site *s, const vk_role *r) {
  const char *const *g;
  size_t n = site_role_groups(s, r, &g);
  sbuf_puts(b, "(^|[ ,;])(");
  for (size_t i = 0; i < n; i++) {
    if (i)
      sbuf_puts(b, "|");
    put_quoted(b, g[i]);
  }
  sbuf_puts(b, ")([ ,;]|$)");
}

/* nginx variables of this target: "$vaksam_<id>_…" ('-' as '_'). */
static char *var_name(const vk_site *s, const char *what) {
  char *id = xstrdup(s->target ? s->target->id : "site");
  for (char *p = id; *p; p++)
    if (*p == '-')
      *p = '_';
  char *v = xasprintf("$vaksam_%s_%s", id, what);
  free(id);
  return v;
}

static void nginx_http(sbuf *b, const vk_site *s) {
  char *need = var_name(s, "need"), *deny = var_name(s, "deny");
  sbuf_printf(b,
              "# vaksam: access control (generated; include inside http {}).\n"
              "# The role a path belongs to: %s (\"\" = open to all).\n"
              "map $uri %s {\n  default \"\";\n",
              need, need);
  for (size_t i = 0; i < s->n_roles; i++) {
    sbuf_puts(b, "  \"~");
    put_org_prefix(b, s);
    put_quoted(b, s->roles[i]->id);
    sbuf_printf(b, "/\" \"%s\";\n", s->roles[i]->id);
  }
  sbuf_printf(b,
              "}\n# 1 when the groups in " GROUP_HEADER " do not allow the path's role.\n"
              "map \"%s|$http_x_vaksam_groups\" %s {\n  default 1;\n  \"~^\\|\" 0;\n",
              need, deny);
  for (size_t i = 0; i < s->n_roles; i++) {
    sbuf_puts(b, "  \"~^");
    put_quoted(b, s->roles[i]->id);
    sbuf_puts(b, "\\|(.*[ ,;])?");
    const char *const *g;
    size_t n = site_role_groups(s, s->roles[i], &g);
    sbuf_puts(b, "(");
    for (size_t k = 0; k < n; k++) {
      if (k)
        sbuf_puts(b, "|");
      put_quoted(b, g[k]);
    }
    sbuf_puts(b, ")([ ,;]|$)\" 0;\n");
  }
  sbuf_puts(b, "}\n");
  free(need);
  free(deny);
}

static void nginx_server(sbuf *b, const vk_site *s) {
  char *deny = var_name(s, "deny");
  sbuf_printf(b,
              "# vaksam: access control (generated; include inside the server {} or\n"
              "# location {} that serves the site; needs nginx-http.conf in http {}).\n"
              "if (%s) {\n  return 403;\n}\n",
              deny);
  free(deny);
}

static void apache(sbuf *b, const vk_site *s) {
  sbuf_puts(b, "# vaksam: access control (generated; include inside the <VirtualHost>\n"
               "# or server config that serves the site; needs mod_authz_core).\n");
  for (size_t i = 0; i < s->n_roles; i++) {
    sbuf_puts(b, "<LocationMatch \"");
    put_org_prefix(b, s);
    put_quoted(b, s->roles[i]->id);
    sbuf_puts(b, "/\">\n  Require expr \"req('" GROUP_HEADER "') =~ /");
    put_groups(b, s, s->roles[i]);
    sbuf_puts(b, "/\"\n</LocationMatch>\n");
  }
}

static int put(vk_build *b, const char *rel, void (*make)(sbuf *, const vk_site *)) {
  sbuf out = {0};
  make(&out, b->content->site);
  int rc = build_write(b, rel, sbuf_str(&out), out.len);
  sbuf_free(&out);
  return rc;
}

int access_write(vk_build *b) {
  int rc = put(b, "access/nginx-http.conf", nginx_http);
  rc |= put(b, "access/nginx-server.conf", nginx_server);
  rc |= put(b, "access/apache.conf", apache);
  return rc;
}
