# vaksam — build, test, install.
#   make            build the release binary (build/release/vaksam)
#   make site       build the site and documents from content/ into dist/
#   make test       build with ASan/UBSan and run every test
#   make fuzz       build the libFuzzer harnesses (clang)
#   make fuzz-long  run each harness for minutes (FUZZ_SECONDS=300)
#   make install PREFIX=/usr/local
SHELL := /bin/bash
PREFIX ?= /usr/local
CC ?= gcc
PKGS := libcmark-gfm libxml-2.0 libzip lua5.4 yaml-0.1 libgit2 libmicrohttpd libcrypto libqrencode libxxhash
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lstemmer -lpthread -lm
# The pipeline's stages, in the order data flows through them; a module
# includes headers of its own stage or of the stages before it only.
STAGES := base load parse variant write assemble publish
INCS := $(foreach s,$(STAGES),-Igenerator/$(s))
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)
WARN := -std=c11 -Wall -Wextra -Werror -Wno-missing-field-initializers
DEFS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DVAKSAM_VERSION='"$(VERSION)"' \
        -DVAKSAM_DATADIR='"$(PREFIX)/share/vaksam"'
REL_CFLAGS := $(WARN) $(DEFS) $(INCS) -O2 -g $(PKG_CFLAGS)
# The release binary allocates with mimalloc (Debian's libmimalloc-dev,
# linked first, so it serves cmark-gfm, libyaml and Lua too): a build makes
# millions of small blocks (cmark nodes, template data, strings) and glibc's
# malloc cost 29 % of its instructions, mimalloc a third of that.
# `make MALLOC=system` links without it (e.g. for valgrind); the sanitizer
# builds always use the system allocator, which ASan replaces.
MALLOC ?= mimalloc
REL_LIBS = $(if $(filter mimalloc,$(MALLOC)),-lmimalloc) $(PKG_LIBS)
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CFLAGS := $(WARN) $(DEFS) $(INCS) -O1 -g $(ASAN_FLAGS) $(PKG_CFLAGS)

LIB_SRCS := $(sort $(foreach s,$(STAGES),$(wildcard generator/$(s)/*.c)))
HDRS := $(foreach s,$(STAGES),$(wildcard generator/$(s)/*.h))
REL_OBJS := $(patsubst generator/%.c,build/release/%.o,$(LIB_SRCS))
ASAN_OBJS := $(patsubst generator/%.c,build/asan/%.o,$(LIB_SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))
# tests/tools/*shim.c are LD_PRELOAD shims (shared objects, no sanitizers:
# they are preloaded into the release binary); the other tools are programs.
SHIM_SRCS := $(wildcard tests/tools/*shim.c)
SHIM_LIBS := $(patsubst tests/tools/%.c,build/tests/%.so,$(SHIM_SRCS))
TOOL_BINS := $(patsubst tests/tools/%.c,build/asan/tests/%,$(filter-out $(SHIM_SRCS),$(wildcard tests/tools/*.c)))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

all: build/release/vaksam

deps:
	@scripts/setup

test-deps:
	@scripts/setup test

build/release/%.o: generator/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -c $< -o $@
build/asan/%.o: generator/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@
build/release build/asan build/asan/tests build/fuzz:
	mkdir -p $@

build/release/vaksam: $(REL_OBJS) generator/main.c $(HDRS)
	$(CC) $(REL_CFLAGS) generator/main.c $(REL_OBJS) $(REL_LIBS) -o $@
build/asan/vaksam: $(ASAN_OBJS) generator/main.c $(HDRS)
	$(CC) $(ASAN_CFLAGS) generator/main.c $(ASAN_OBJS) $(PKG_LIBS) -o $@
build/asan/tests/%: tests/unit/%.c $(ASAN_OBJS) tests/check.h | build/asan/tests
	$(CC) $(ASAN_CFLAGS) $< $(ASAN_OBJS) $(PKG_LIBS) -o $@
build/asan/tests/%: tests/tools/%.c $(ASAN_OBJS) | build/asan/tests
	$(CC) $(ASAN_CFLAGS) $< $(ASAN_OBJS) $(PKG_LIBS) -o $@
build/tests/%.so: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -shared -fPIC $< -o $@ -ldl

# site and test install what is missing first, then start a new make: the
# compiler flags come from pkg-config, which can only find a library once it
# is installed.
site: deps
	@$(MAKE) --no-print-directory site-build
site-build: build/release/vaksam
	build/release/vaksam build --content content --theme themes/default -o dist

test: test-deps
	@$(MAKE) --no-print-directory test-run
test-run: build/asan/vaksam build/release/vaksam $(UNIT_BINS) $(TOOL_BINS) $(SHIM_LIBS)
	@tests/run

# The library is compiled once for all harnesses (instrumented, not linked
# with libFuzzer's main), then each harness is linked: `make fuzz` rebuilds
# only what changed.
FUZZ_CFLAGS := -std=c11 -g -O1 $(DEFS) $(INCS) $(PKG_CFLAGS)
FUZZ_OBJS := $(patsubst generator/%.c,build/fuzz/obj/%.o,$(LIB_SRCS))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
build/fuzz/obj/%.o: generator/%.c $(HDRS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS) $(wildcard tests/fuzz/*.h)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< $(FUZZ_OBJS) $(PKG_LIBS) -o $@
fuzz: $(FUZZ_BINS)
# Minutes per harness (FUZZ_SECONDS, default 300), seeded from the kept
# corpora; `make test` runs the same script for a few seconds each.
fuzz-long: fuzz build/asan/vaksam
	VAKSAM_ROOT=$(CURDIR) VAKSAM=$(CURDIR)/build/asan/vaksam FUZZ_SECONDS=$${FUZZ_SECONDS:-300} \
	  tests/sh/fuzz_smoke.sh

bench: build/release/vaksam
	scripts/bench

install: build/release/vaksam
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vaksam/themes
	install -m 755 build/release/vaksam $(DESTDIR)$(PREFIX)/bin/vaksam
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/vaksam/themes/

format:
	clang-format -i generator/*.c generator/*/*.[ch] tests/unit/*.c tests/fuzz/*.c tests/tools/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem $(INCS) generator tests/unit tests/fuzz tests/tools

clean:
	rm -rf build

.PHONY: all deps test-deps site site-build test test-run fuzz fuzz-long bench install format lint clean
