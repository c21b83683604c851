/* links.h — the one link model: where every output file lives, and the URL
 * of a document, an anchor in it, a download or an asset, for an output,
 * seen from the place that links to it.
 *
 * Invariants:
 *  - Nothing else builds output paths or URLs. Pages, packs, feeds, the
 *    sitemap and the writers' link rewriting all ask this module.
 *  - A *location* is a path relative to the output root (`dist/`), such
 *    as "site/<org>/<role>/rutiner/<id>.html#anchor"; it has no leading
 *    slash and no "..". The site root is "site/"; base_url (site.yaml)
 *    is the public URL of that folder.
 *  - link_href() turns a location into a URL as one output needs it:
 *    relative to the linking file inside the site (so the site works from
 *    any base path and from file://), absolute (base_url + path) from
 *    documents that leave the site (handouts, packs).
 *  - A relative URL either takes the shortest way (link_rel) or climbs to
 *    a given folder first (link_via): links to documents go through the
 *    variant folder ("../rutiner/x.html"), so that a body rendered once
 *    reads the same on every page one folder below it (its page, the
 *    glossary, an APT page); the navigation goes through the site root.
 *  - A definition has no page of its own: it is an anchor (its id) on its
 *    variant's glossary page; an anchor inside a definition is "<id>-<a>",
 *    as the glossary's heading ids are prefixed.
 *  - Returned strings are malloc'd and owned by the caller.
 */
#ifndef VK_LINKS_H
#define VK_LINKS_H

#include "content.h"
#include "site.h"

/* ---- locations (relative to the output root) --------------------------- */

/* The site root and the pages outside any variant. */
#define LINK_SITE "site/"
char *link_site_file(const char *name); /* "site/<name>" (404.html, assets/x.css …) */
/* A variant's home folder, "site/<org>/<role>/" (org and role may be NULL:
 * "site/" or "site/<org>/"). */
char *link_variant_dir(const vk_org *org, const vk_role *role);
/* A file of a variant: "site/<org>/<role>/<name>" (sok.html, feed.xml …). */
char *link_variant_file(const vk_org *org, const vk_role *role, const char *name);
/* A file of a variant's search index: "site/<org>/<role>/sok/<name>". */
char *link_search_file(const vk_org *org, const vk_role *role, const char *name);
/* The list page of a kind: "site/<org>/<role>/<kind>/index.html". */
char *link_kind_index(const vk_org *org, const vk_role *role, vk_kind k);
/* A document as one variant shows it, with an optional anchor (NULL or "":
 * none): its page, or for a definition its glossary entry. */
char *link_doc(const vk_org *org, const vk_role *role, const vk_doc *d, const char *anchor);
/* The PDF made of an ODF file (publish/pdf.h): its location with .pdf in
 * place of the extension. */
char *link_pdf_of(const char *location);
/* The ODT handout of a document in a variant. */
char *link_handout(const vk_org *org, const vk_role *role, const vk_doc *d);
/* A downloadable file of an APT pack for an organisation ("bildspel.odp",
 * "<pack>.zip" …), and the folder they are in. */
char *link_pack_dir(const vk_org *org, const vk_doc *pack);
char *link_pack_file(const vk_org *org, const vk_doc *pack, const char *name);
/* The HTML slide view of a pack in a variant. */
char *link_pack_slides(const vk_org *org, const vk_role *role, const vk_doc *pack);
/* A local image (content-relative path, image.h) as the site copies it. */
char *link_image(const char *content_path);

/* ---- URLs ----------------------------------------------------------------- */

typedef struct {
  /* The location of the file that holds the link; NULL: absolute URLs. */
  const char *from;
  /* The public URL of the site root ("https://…/"), for absolute URLs;
   * NULL or "" gives root-relative paths ("<org>/<role>/…"). */
  const char *base_url;
} link_from;

/* The URL of location `to` as seen from `from`. */
char *link_href(const link_from *from, const char *to);
/* Shorthand: relative from location `from` (a file in the site), the
 * shortest way. */
char *link_rel(const char *from, const char *to);
/* Relative from `from`, climbing first to folder `via` (a location ending
 * in '/' that holds both; else as link_rel): "../../" + the rest of `to`. */
char *link_via(const char *from, const char *via, const char *to);
/* Shorthand: absolute, base_url + the path under site/. */
char *link_abs(const vk_site *s, const char *to);
/* The relative prefix from location `from` to the site root ("../../"). */
char *link_root(const char *from);
/* The site root as a path on its server: base_url's path ("/vaksam/"), or
 * "/" without base_url; in preview (serve.c serves dist/ at "/")
 * "/site/". For pages served at any URL (404.html), which cannot link
 * relatively. */
char *link_server_root(const vk_site *s, bool preview);

#endif
