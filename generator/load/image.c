/* image.c — see image.h. */
#include "image.h"
#include "safepath.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- headers ----------------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static unsigned be16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

/* IHDR is the first chunk; pHYs (pixels per metre), if any, comes before IDAT. */
static bool probe_png(const unsigned char *d, size_t len, vk_image_info *o) {
  if (len < 33 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
    return false;
  o->width = (int)(be32(d + 16) & 0x7fffffff);
  o->height = (int)(be32(d + 20) & 0x7fffffff);
  o->media_type = "image/png";
  for (size_t at = 8; at + 12 <= len;) {
    uint32_t n = be32(d + at);
    const unsigned char *type = d + at + 4;
    if (memcmp(type, "IDAT", 4) == 0 || n > len - at - 12)
      break;
    if (memcmp(type, "pHYs", 4) == 0 && n == 9 && d[at + 16] == 1 && be32(d + at + 8) > 0)
      o->dpi = be32(d + at + 8) * 0.0254;
    at += 12 + (size_t)n;
  }
  return true;
}

/* Walks the JPEG segments to the first start-of-frame (SOF0–SOF15 except
 * DHT, JPG and DAC); JFIF's APP0 may give the density. */
static bool probe_jpeg(const unsigned char *d, size_t len, vk_image_info *o) {
  if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return false;
  for (size_t at = 2; at + 4 <= len;) {
    if (d[at] != 0xFF)
      return false;
    unsigned char m = d[at + 1];
    if (m == 0xFF) { /* fill byte */
      at++;
      continue;
    }
    unsigned seg = be16(d + at + 2);
    if (seg < 2 || at + 2 + seg > len)
      return false;
    const unsigned char *s = d + at + 4;
    if (m == 0xE0 && seg >= 16 && memcmp(s, "JFIF", 5) == 0 && be16(s + 8) > 0) {
      if (s[7] == 1)
        o->dpi = be16(s + 8);
      else if (s[7] == 2)
        o->dpi = be16(s + 8) * 2.54;
    }
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      if (seg < 7)
        return false;
      o->height = (int)be16(s + 1);
      o->width = (int)be16(s + 3);
      o->media_type = "image/jpeg";
      return true;
    }
    at += 2 + seg;
  }
  return false;
}

static bool probe_gif(const unsigned char *d, size_t len, vk_image_info *o) {
  if (len < 10 || (memcmp(d, "GIF87a", 6) != 0 && memcmp(d, "GIF89a", 6) != 0))
    return false;
  o->width = d[6] | d[7] << 8;
  o->height = d[8] | d[9] << 8;
  o->media_type = "image/gif";
  return true;
}

/* A length attribute of the root <svg> in px (plain numbers and px only;
 * percentages and other units fall back to the viewBox). */
static double svg_length(const char *tag, const char *name) {
  size_t nl = strlen(name);
  for (const char *p = tag; (p = strstr(p, name)); p += nl) {
    if (p > tag && !isspace((unsigned char)p[-1]))
      continue;
    const char *q = p + nl;
    while (isspace((unsigned char)*q))
      q++;
    if (*q++ != '=')
      continue;
    while (isspace((unsigned char)*q))
      q++;
    if (*q != '"' && *q != '\'')
      continue;
    char *end;
    double v = strtod(q + 1, &end);
    if (end == q + 1 || (*end != '"' && *end != '\'' && strncmp(end, "px", 2) != 0))
      return 0;
    return v;
  }
  return 0;
}

static bool probe_svg(const unsigned char *d, size_t len, vk_image_info *o) {
  size_t n = len < 4096 ? len : 4096; /* the root element is near the start */
  char *head = xstrndup((const char *)d, n);
  char *tag = strstr(head, "<svg");
  bool ok = false;
  if (tag) {
    char *end = strchr(tag, '>');
    if (end)
      *end = 0;
    double w = svg_length(tag, "width"), h = svg_length(tag, "height");
    const char *vb = strstr(tag, "viewBox=");
    double vx, vy, vw = 0, vh = 0;
    if (vb && sscanf(vb + 9, "%lf%*[ ,]%lf%*[ ,]%lf%*[ ,]%lf", &vx, &vy, &vw, &vh) != 4)
      vw = vh = 0;
    if ((w <= 0 || h <= 0) && vw > 0 && vh > 0) {
      w = w > 0 ? w : h > 0 ? h * vw / vh : vw;
      h = h > 0 ? h : w * vh / vw;
    }
    if (w >= 1 && h >= 1 && w < 1e6 && h < 1e6) {
      o->width = (int)(w + 0.5);
      o->height = (int)(h + 0.5);
      o->media_type = "image/svg+xml";
      ok = true;
    }
  }
  free(head);
  return ok;
}

bool image_probe(const unsigned char *data, size_t len, vk_image_info *out) {
  memset(out, 0, sizeof *out);
  bool ok = probe_png(data, len, out) || probe_jpeg(data, len, out) || probe_gif(data, len, out) ||
            probe_svg(data, len, out);
  if (!ok || out->width <= 0 || out->height <= 0)
    return false;
  if (out->dpi < 20 || out->dpi > 2400) /* missing or implausible density */
    out->dpi = 96;
  return true;
}

/* ---- paths ------------------------------------------------------------- */

bool image_is_remote(const char *url) {
  if (strncmp(url, "//", 2) == 0)
    return true;
  size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  return n > 0 && url[n] == ':';
}

static int hex(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Removes "." and ".." segments; false when ".." would climb above the root. */
static bool normalise(char *path) {
  vec segs = {0};
  bool ok = true;
  char *save = NULL;
  for (char *s = strtok_r(path, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
    if (strcmp(s, ".") == 0)
      continue;
    if (strcmp(s, "..") == 0) {
      if (segs.n == 0) {
        ok = false;
        break;
      }
      segs.n--;
      continue;
    }
    vec_push(&segs, s);
  }
  sbuf out = {0};
  for (size_t i = 0; ok && i < segs.n; i++) {
    if (i)
      sbuf_putc(&out, '/');
    sbuf_puts(&out, segs.items[i]);
  }
  ok = ok && out.len > 0;
  if (ok)
    memcpy(path, sbuf_str(&out), out.len + 1); /* never longer than the input */
  sbuf_free(&out);
  vec_free(&segs);
  return ok;
}

char *image_resolve(const char *doc_path, const char *url) {
  sbuf p = {0};
  if (url[0] != '/') { /* relative to the document's folder */
    const char *slash = strrchr(doc_path, '/');
    if (slash)
      sbuf_printf(&p, "%.*s/", (int)(slash - doc_path), doc_path);
  }
  for (const char *u = url; *u && *u != '?' && *u != '#'; u++) {
    if (*u == '%' && hex(u[1]) >= 0 && hex(u[2]) >= 0) {
      sbuf_putc(&p, (char)(hex(u[1]) * 16 + hex(u[2])));
      u += 2;
    } else {
      sbuf_putc(&p, *u);
    }
  }
  char *path = sbuf_take(&p);
  if (!normalise(path) || strchr(path, '\\') || path[0] == '.') {
    free(path);
    return NULL;
  }
  return path;
}

char *image_part_name(const char *path) {
  char *s = xasprintf("Pictures/%s", path);
  for (char *c = s + strlen("Pictures/"); *c; c++)
    if (*c == '/' || *c == ' ')
      *c = '-';
  return s;
}

/* ---- the site's copies --------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void image_local_urls(cmark_node *tree, vec *out) {
  cmark_iter *it = cmark_iter_new(tree);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    const char *url = cmark_node_get_url(n);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE && url && *url &&
        !image_is_remote(url))
      vec_push(out, (void *)url);
  }
  cmark_iter_free(it);
}

int image_put_site(const vk_content *c, vk_put_fn put, void *arg, diag *dg) {
  vec paths = {0}; /* borrowed from the trees */
  for (size_t i = 0; i < c->n_docs; i++)
    if (c->docs[i]->tree)
      image_local_urls(c->docs[i]->tree, &paths);
  vk_sort(paths.items, paths.n, sizeof(char *), cmp_str);
  int rc = 0;
  for (size_t i = 0; i < paths.n; i++) {
    const char *rel = paths.items[i];
    if (i > 0 && strcmp(rel, paths.items[i - 1]) == 0)
      continue;
    char *from = path_join(c->dir, rel);
    char *to = xasprintf(IMAGE_SITE_DIR "/%s", rel);
    size_t len;
    safepath_status st;
    char *data = safepath_read(c->dir, from, &len, &st);
    if (st == SAFEPATH_OUTSIDE) {
      diag_error(dg, from, 0, 0,
                 "the image is a link to a file outside the content folder — copy the image "
                 "into the content folder instead of linking to it");
      rc = -1;
    } else if (!data) {
      diag_error(dg, from, 0, 0, "cannot read the image — check permissions");
      rc = -1;
    } else if (put(arg, to, data, len) != 0) {
      rc = -1;
    }
    free(data);
    free(to);
    free(from);
  }
  vec_free(&paths);
  return rc;
}
