/* image.h — images referenced from Markdown: where they live, what they are.
 *
 * A local image path is relative to the document's file (`bild.png` next to
 * routines/x.md, `../images/kedja.png`), or to the content folder when it
 * starts with `/` (`/images/kedja.png`). It must stay inside the content
 * folder. content_load() checks every local image (missing, unreadable or
 * of an unknown type is an error at file:line:col) and rewrites its URL in
 * the parsed tree to the content-relative path (`images/kedja.png`), so the
 * writers need no knowledge of where the document was:
 *   - the site copies it to site/bilder/<path> (image_copy_all);
 *   - handouts embed it as Pictures/<path with / as ->.
 * Remote images (http:, https:) are never fetched: the site shows them as
 * written, handouts show the alt text as a link.
 */
#ifndef VK_IMAGE_H
#define VK_IMAGE_H

#include "content.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

#define IMAGE_SITE_DIR "bilder"

typedef struct {
  int width, height;      /* pixels (SVG: CSS px of width/height or viewBox) */
  double dpi;             /* from pHYs / JFIF when given, else 96 */
  const char *media_type; /* image/png, image/jpeg, image/gif, image/svg+xml */
} vk_image_info;

/* Reads the size and type from the file's header. false when not a PNG,
 * JPEG, GIF or SVG with a usable size. */
bool image_probe(const unsigned char *data, size_t len, vk_image_info *out);

/* A URL with a scheme (http:, https:, data: …) or a protocol-relative one. */
bool image_is_remote(const char *url);
/* Appends the URL of every local image in tree (borrowed from its nodes; after
 * content_load, content-relative paths), in tree order, duplicates kept. */
void image_local_urls(cmark_node *tree, vec *out);

/* The content-relative path of a local image written in the document at
 * `doc_path` (content-relative, e.g. routines/x.md), or NULL when the path
 * leaves the content folder. Query and fragment are dropped. */
char *image_resolve(const char *doc_path, const char *url);

/* Hands every local image the loaded documents use to put, as
 * bilder/<content-relative path> (sorted, each once), for the site.
 * Images are not per role: like the theme's assets, anyone who can read
 * the site can open them. 0 or -1 (an image that cannot be read is
 * reported; put reports its own failures). */
int image_put_site(const vk_content *c, vk_put_fn put, void *arg, diag *dg);

/* The package part name of an image at content-relative `path`. */
char *image_part_name(const char *path);

#endif
