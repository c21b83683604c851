/* test_image.c — image headers (size, density, type) and image paths. */
#include "../check.h"
#include "image.h"
#include "util.h"

#include <stdlib.h>

static void png(void) {
  /* signature, IHDR 300×150, pHYs 5906 px/m (150 dpi), IDAT */
  /* clang-format off */
  static const unsigned char d[] = {
      0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',             /* signature */
      0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 44, 0, 0, 0, 150, /* IHDR 300×150 */
      8, 2, 0, 0, 0, 0, 0, 0, 0,                                  /* depth … crc */
      0, 0, 0, 9, 'p', 'H', 'Y', 's', 0, 0, 0x17, 0x12, 0, 0, 0x17, 0x12, 1, 0, 0, 0, 0,
      0, 0, 0, 0, 'I', 'D', 'A', 'T'};
  /* clang-format on */
  vk_image_info i;
  CHECK(image_probe(d, sizeof d, &i) && i.width == 300 && i.height == 150, "PNG size from IHDR");
  CHECK_STR(i.media_type, "image/png", "PNG media type");
  CHECK(i.dpi > 149.9 && i.dpi < 150.1, "PNG density from pHYs (%.2f)", i.dpi);
  CHECK(!image_probe(d, 20, &i), "a cut PNG header is refused");
}

static void jpeg(void) {
  /* SOI, APP0 JFIF 72 dpi, DQT stub, SOF0 640×480 */
  static const unsigned char d[] = {0xFF, 0xD8, 0xFF, 0xE0, 0,    16,   'J', 'F', 'I', 'F',  0,
                                    1,    1,    1,    0,    72,   0,    72,  0,   0,   0xFF, 0xDB,
                                    0,    4,    0,    0,    0xFF, 0xC0, 0,   11,  8,   1,    0xE0,
                                    2,    0x80, 3,    1,    0x22, 0,    2,   0x11};
  vk_image_info i;
  CHECK(image_probe(d, sizeof d, &i) && i.width == 640 && i.height == 480,
        "JPEG size from SOF0 after other segments");
  CHECK_STR(i.media_type, "image/jpeg", "JPEG media type");
  CHECK(i.dpi == 72, "JPEG density from JFIF");
  CHECK(!image_probe(d, 24, &i), "a JPEG without a frame header is refused");
}

static void gif_svg(void) {
  static const unsigned char g[] = {'G', 'I', 'F', '8', '9', 'a', 10, 0, 5, 0, 0, 0, 0};
  vk_image_info i;
  CHECK(image_probe(g, sizeof g, &i) && i.width == 10 && i.height == 5 && i.dpi == 96,
        "GIF size; 96 dpi when the file has none");
  const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                    "viewBox=\"0 0 200 100\" width=\"400\">";
  CHECK(image_probe((const unsigned char *)svg, strlen(svg), &i) && i.width == 400 &&
            i.height == 200,
        "SVG: height from the viewBox's aspect");
  const char *bad = "<svg width=\"50%\">";
  CHECK(!image_probe((const unsigned char *)bad, strlen(bad), &i), "SVG without a usable size");
  CHECK(!image_probe((const unsigned char *)"hello", 5, &i), "text is not an image");
}

static void paths(void) {
  char *p = image_resolve("routines/a.md", "bild.png");
  CHECK_STR(p, "routines/bild.png", "relative to the document's folder");
  free(p);
  p = image_resolve("routines/a.md", "../images/k%C3%A4rta.png?x=1#y");
  CHECK_STR(p, "images/kärta.png", "'..', percent escapes, query and fragment");
  free(p);
  p = image_resolve("routines/a.md", "/images/./k.png");
  CHECK_STR(p, "images/k.png", "/ means the content folder");
  free(p);
  CHECK(image_resolve("routines/a.md", "../../x.png") == NULL, "no way out of the content folder");
  CHECK(image_resolve("routines/a.md", "/../x.png") == NULL, "not even from /");
  CHECK(image_is_remote("https://x/y.png") && image_is_remote("//x/y.png") &&
            image_is_remote("data:image/png;base64,xx") &&
            !image_is_remote("a:b/../c.png") == false && !image_is_remote("bilder/x.png"),
        "remote URLs have a scheme");
  p = image_part_name("images/en bild.png");
  CHECK_STR(p, "Pictures/images-en-bild.png", "part names are flat");
  free(p);
}

int main(void) {
  png();
  jpeg();
  gif_svg();
  paths();
  return check_failures != 0;
}
