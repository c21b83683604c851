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
 *  - The site root is self-contained: every file a page links to (pages,
 *    handouts, pack downloads, images, assets) has a location under
 *    "site/", so the folder works copied to any server at base_url.
 *  - Everything of one (organisation, role) lies under its variant folder
 *    "site/<org>/<role>/" (pages, search index, feed, handouts in
 *    "dokument/", a pack's downloads beside its slide view), so one path
 *    prefix per variant is what a web server restricts (access.h); the
 *    files outside any variant folder (site root pages, assets, images)
 *    are public.
 *  - link_href() turns a location into a URL as one output needs it:
 *    relative to the linking file inside the site (so the site works from
 *    any base path and from file://), absolute (base_url + path) from
 *    documents that are downloaded (handouts, packs).
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
/* The ODT handout of a document in a variant:
 * "site/<org>/<role>/dokument/<id>.odt". */
#define LINK_HANDOUT_DIR "dokument"
char *link_handout(const vk_org *org, const vk_role *role, const vk_doc *d);
/* A downloadable file of an APT pack for an organisation ("bildspel.odp",
 * "<pack>.zip" …), and the folder they are in, in the variant of the role
 * whose pages offer them: "site/<org>/<role>/apt/<pack>/<name>". */
char *link_pack_dir(const vk_org *org, const vk_role *role, const vk_doc *pack);
char *link_pack_file(const vk_org *org, const vk_role *role, const vk_doc *pack, const char *name);
/* The HTML slide view of a pack in a variant. */
char *link_pack_slides(const vk_org *org, const vk_role *role, const vk_doc *pack);
/* A variant's coverage of the requirements (requirements.h): the page,
 * optionally at one requirement's entry (req_id NULL: the top), and the CSV. */
char *link_coverage(const vk_org *org, const vk_role *role, const char *req_id);
char *link_coverage_csv(const vk_org *org, const vk_role *role);
/* The anchor of a requirement on the coverage page ("krav-a4"). */
char *link_req_anchor(const char *req_id);
/* A variant's tag pages: the list of tags, and one tag's page (by slug). */
char *link_tag_index(const vk_org *org, const vk_role *role);
char *link_tag(const vk_org *org, const vk_role *role, const char *tag);
/* A local image (content-relative path, image.h) as the site copies it. */
char *link_image(const char *content_path);

/* The review dashboard of a variant, for every routine (owner NULL:
 * "site/<org>/<role>/granskning.html") or narrowed to one owner
 * ("…/granskning/<slug of owner>.html"). */
char *link_review_owner(const vk_org *org, const vk_role *role, const char *owner);
/* The iCalendar file of the next reviews one role of an organisation sees:
 * every routine ("site/<org>/<role>/granskning.ics") or one owner's
 * ("site/<org>/<role>/granskning/<slug>.ics"). */
char *link_review_calendar(const vk_org *org, const vk_role *role, const char *owner);

/* An archived (no longer current) version of a routine in a variant,
 * "site/<org>/<role>/arkiv/<id>/<version>.html", or its comparison with the
 * approved version before it (changes: "…/<version>-andringar.html"). The
 * current version's comparison is also there. Archived pages stay out of
 * search, lists, the sitemap and the feeds: link_is_archive() tells them. */
#define LINK_ARCHIVE_DIR "arkiv/"
char *link_archive(const vk_org *org, const vk_role *role, const vk_doc *d, const char *version,
                   bool changes);
bool link_is_archive(const char *loc);
/* The handout of an archived version: beside the current handout
 * (link_handout), "<id>-version-<version>.odt". */
char *link_archive_handout(const vk_org *org, const vk_role *role, const vk_doc *d,
                           const char *version);

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
