/* check.h — the tiny assertion vocabulary of vaksam's C tests.
 *
 * Each test program prints one line per check, "ok - name" or
 * "not ok - name: detail", and exits non-zero if any check failed.
 * tests/run counts these lines over all programs and scripts and prints
 * the final "N passed, N failed".
 */
#ifndef VK_CHECK_H
#define VK_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (cond) {                                                                                    \
      printf("ok - ");                                                                             \
      printf(__VA_ARGS__);                                                                         \
      printf("\n");                                                                                \
    } else {                                                                                       \
      check_failures++;                                                                            \
      printf("not ok - ");                                                                         \
      printf(__VA_ARGS__);                                                                         \
      printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond);                                         \
    }                                                                                              \
  } while (0)

#define CHECK_STR(got, want, ...)                                                                  \
  do {                                                                                             \
    const char *g_ = (got), *w_ = (want);                                                          \
    if (g_ && w_ && strcmp(g_, w_) == 0) {                                                         \
      printf("ok - ");                                                                             \
      printf(__VA_ARGS__);                                                                         \
      printf("\n");                                                                                \
    } else {                                                                                       \
      check_failures++;                                                                            \
      printf("not ok - ");                                                                         \
      printf(__VA_ARGS__);                                                                         \
      printf("\n#   got:  [%s]\n#   want: [%s]\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
    }                                                                                              \
  } while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)

#endif
