/* access.h — web server access control for one built target: ready-to-
 * include configuration for nginx and Apache httpd (docs/deploy.md).
 *
 * Invariants:
 *  - Everything of one (organisation, role) lies under its variant folder
 *    (links.h), so each variant is one path prefix on the server: base_url's
 *    path + "<org>/<role>/". Those prefixes — pages, handouts, pack
 *    downloads, search shards, the feed — are allowed only to the role's
 *    groups (site_role_groups(): the target's `groups:`, else the role id);
 *    every other path (the site root, the organisation pages, the
 *    accessibility statement, 404, sitemap, assets, images) is open.
 *  - Groups come from the request header X-Vaksam-Groups (names separated
 *    by commas, semicolons or spaces), set by the reverse proxy or the
 *    nginx auth_request front that did the single sign-on; the server must
 *    strip a header of that name sent by the client.
 *  - Files (under the build's output, outside the site root, never served):
 *      access/nginx-http.conf    maps, include inside http {}
 *      access/nginx-server.conf  the 403 rule, include inside server {} or
 *                                the location that serves the site
 *      access/apache.conf        <LocationMatch> blocks with Require expr
 *    nginx variable names carry the target id, so several targets'
 *    includes can live in one nginx. Output is deterministic (site.yaml
 *    order).
 */
#ifndef VK_ACCESS_H
#define VK_ACCESS_H

#include "assembly.h"

/* Writes the three files through build_write(). */
int access_write(vk_build *b);

#endif
