# Lianzhang build. Plain make: `make`, `make test`, `make demo`, `make bench`, `make sanitize`,
# `make coverage`, `make fuzz`, `make deps`, `make format-check`, `make install` (PREFIX, DESTDIR), `make uninstall`,
# `make test-pg` (the PostgreSQL schema, `lianzhang migrate`, every command, the CLI suite and the API suite on a throwaway cluster). Sources are found by folder, so a new module
# needs no edit here: src/<layer>/*.c go into the library, src/cli/main.c is the program.

CC       ?= cc
BUILD    ?= build
VERSION  := 0.1.0
# Where `make install` puts the program, its manual page and the policy rule files; the share
# folder is compiled in, as the last place the program looks for its policies.
PREFIX   ?= /usr/local
SHAREDIR := $(PREFIX)/share/lianzhang
PKGS     := sqlite3 jansson libmicrohttpd libsodium xlsxwriter libzip expat pwquality libpq
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
CSTD     := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DLIANZHANG_VERSION=\"$(VERSION)\" -DLIANZHANG_SHARE_DIR=\"$(SHAREDIR)\"
OPT      ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) $(SANFLAGS) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
# The browser UI: web/build.mjs bundles web/src into one generated C source (web/dist, ignored by
# git), made once and compiled into every build directory like any other source.
WEB_C    := web/dist/assets.c
WEB_SRC  := web/build.mjs web/package.json $(shell find web/src -type f 2>/dev/null)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/$(WEB_C:.c=.o)
MAIN_OBJ := $(BUILD)/obj/src/cli/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/lianzhang

.PHONY: all install uninstall FORCE unit test test-only test-pg sanitize coverage demo bench deps deps-check fuzz fuzz-build fuzz-smoke format-check clean
all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The share folder as last compiled: rewritten only when PREFIX changes, so that the one object
# that uses it is rebuilt then (an install under another PREFIX finds its own policies).
$(BUILD)/sharedir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SHAREDIR)' | cmp -s - $@ || echo '$(SHAREDIR)' > $@
$(BUILD)/obj/src/cli/cli.o: $(BUILD)/sharedir

# npm ci when web/node_modules is missing or older than the lock file.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_C): $(WEB_SRC) web/node_modules/.package-lock.json
	node web/build.mjs web/dist

$(BUILD)/liblianzhang.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/liblianzhang.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblianzhang.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit $< -o $@ $(BUILD)/liblianzhang.a $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka

unit: $(UNIT_BIN)

# The benchmarks' own programs (bench/*.c), linked as the program is.
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
$(BUILD)/bench/%: bench/%.c $(BUILD)/liblianzhang.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $< -o $@ $(BUILD)/liblianzhang.a $(LDFLAGS_ALL) $(PKG_LIBS)

# The PostgreSQL tests (tests/pg/): the schema against a server (a C test) and `lianzhang migrate`
# (a CLI test, tests/pg/migrate.sh), which need the program too.
PG_TEST_BIN := $(patsubst tests/pg/%.c,$(BUILD)/tests-pg/%,$(wildcard tests/pg/test_*.c))
$(BUILD)/tests-pg/%: tests/pg/%.c $(BUILD)/liblianzhang.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit $< -o $@ $(BUILD)/liblianzhang.a $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka

# A throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh), stopped and removed however the tests end.
test-pg: $(PG_TEST_BIN) $(BIN)
	tests/pg/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(SHAREDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lianzhang
	install -m 644 docs/lianzhang.1 $(DESTDIR)$(PREFIX)/share/man/man1/lianzhang.1
	rm -rf $(DESTDIR)$(SHAREDIR)/policies
	cp -R policies $(DESTDIR)$(SHAREDIR)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lianzhang $(DESTDIR)$(PREFIX)/share/man/man1/lianzhang.1
	rm -rf $(DESTDIR)$(SHAREDIR)

# The whole suite runs against the AddressSanitizer + UndefinedBehaviorSanitizer build; the
# release build (gcc) and a clang build must compile warning-free too.
test: deps-check format-check
	$(MAKE) all
	$(MAKE) BUILD=build-clang CC=clang all
	$(MAKE) sanitize
	$(MAKE) fuzz-smoke
	tests/run.sh build-san

# Run the suite against an existing build without rebuilding everything (developer loop).
test-only: all unit
	tests/run.sh $(BUILD)

sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" all unit

# Line coverage of src/: an instrumented build in build-cov/, every test layer against it (counters
# start from zero), then one line per file and the total from gcovr. Exits with the suite's status.
coverage:
	$(MAKE) BUILD=build-cov OPT="-O0 -g" SANFLAGS="--coverage" all unit
	find build-cov -name '*.gcda' -delete
	tests/run.sh build-cov; rc=$$?; \
	  gcovr --root . --filter 'src/' --sort-percentage --print-summary build-cov; exit $$rc

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/liblianzhang.a
	clang $(CSTD) $(WARN) -O1 -g -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined $< -o $@ build-fuzz/liblianzhang.a $(PKG_LIBS)
fuzz-build: $(FUZZ_BIN)
# A short run of every fuzz target from its seed corpus: long runs are `make fuzz FUZZ_SECONDS=600`.
FUZZ_SECONDS ?= 10
fuzz-smoke fuzz: fuzz-build
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p build-fuzz/corpus/$$n; \
	  echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build-fuzz/corpus/$$n tests/fuzz/corpus/$$n 2>build-fuzz/$$n.log \
	    || { tail -40 build-fuzz/$$n.log; exit 1; }; done

# deps runs first and `all` in a new make: PKG_CFLAGS/PKG_LIBS are read when a make starts, so on a
# fresh machine the make that installed the libraries cannot link against them.
demo: deps
	$(MAKE) all
	scripts/demo.sh

bench: deps
	$(MAKE) all $(BENCH_BIN)
	bench/run.sh

deps:
	@scripts/deps.sh

deps-check:
	@scripts/deps.sh --check

format-check:
	clang-format --dry-run --Werror $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/pg/*.c tests/fuzz/*.c bench/*.c)

clean:
	rm -rf build build-san build-clang build-fuzz build-cov web/dist

-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
