/* pdf.h — tagged PDFs of a build's ODF files, made by LibreOffice.
 *
 * Invariants:
 *  - A few LibreOffice processes per build, never one per file: the ODTs
 *    in `soffice --headless --convert-to` calls of up to 200 files each
 *    (writer_pdf_Export; LibreOffice silently stops after 248 on one
 *    command line), then the ODPs likewise (impress_pdf_Export), all with
 *    UseTaggedPDF and PDFUACompliance set and one profile.
 *  - Each PDF lands beside its ODF file under the same name with .pdf
 *    (links.h link_pdf_of() names it for links); files of the same name in
 *    different folders never meet (LibreOffice sees numbered links to them in
 *    a work folder of its own, removed afterwards, as is its profile).
 *  - Nothing is converted when the build does not ask for pdf; when it does
 *    and LibreOffice is missing, pdf_converter() says so before anything is
 *    built (the build exits 2).
 *  - PDF bytes are LibreOffice's: they carry its creation time, so unlike
 *    every other output they are not byte-identical from build to build.
 *  - VAKSAM_SOFFICE (environment) names the program instead of a PATH
 *    search; empty means "not installed" (tests).
 */
#ifndef VK_PDF_H
#define VK_PDF_H

#include "diag.h"

/* The LibreOffice program (a path, owned by the caller), or NULL after
 * reporting that it is not installed. */
char *pdf_converter(diag *dg);
/* Converts every .odt and .odp under `root` (recursively); the PDFs go
 * beside them. 0, or 2 after a diagnostic when LibreOffice failed. */
int pdf_convert_tree(const char *root, diag *dg);

#endif
