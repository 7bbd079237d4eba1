# The project's two front doors (`make run`, `make test`) and the targets they rest on.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
SOAK_SECONDS ?= 600
JOBS       ?= $(shell nproc)
PORT       ?= 8080
SAMPLE_DB  ?= $(BUILD)/sample.db
SHELL      := /bin/bash
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# ccache keys paths relative to the clone, so a fresh clone (CI's) reuses what another compiled.
export CCACHE_BASEDIR ?= $(CURDIR)

# Debian 12 packages the build, the tests and the benchmark need.
PACKAGES := cmake g++ make pkg-config ccache python3 \
            libxapian-dev xapian-tools xapian-omega libicu-dev libcli11-dev libcpp-httplib-dev \
            doctest-dev nlohmann-json3-dev libpoppler-cpp-dev libzstd-dev libjemalloc-dev libsqlite3-dev sqlite3 \
            chromium chromium-driver wrk poppler-utils time \
            clang libclang-rt-14-dev llvm util-linux

CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo \
               $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Sanitizer builds at -O1 -g1 (line tables, no local variables: enough for their reports): their compile time is most of CI's (a clean
# ASan build at -O2 -g took over 25 minutes of the 2 cores), and -O1 is what the sanitizers advise.
SAN_FLAGS   := $(subst RelWithDebInfo,Debug,$(CMAKE_FLAGS)) -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"

.PHONY: deps build test test-asan test-tsan fuzz-build fuzz soak run bench clean

deps:
	@missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else echo "make deps: all packages present"; fi

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

# The test run includes a short pass of each fuzz target (about 60 s in all, see tests/CMakeLists.txt).
test: build fuzz-build
	cmake -S . -B $(BUILD) -DIMR_FUZZ_DIR=$(abspath $(FUZZ_BUILD)) >/dev/null
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Unit and end-to-end tests under ASan+UBSan (the fuzz passes, the browser test and the 2,000-letter
# accuracy run are left to `make test`: they test no code the others do not, at several times the cost).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(SAN_FLAGS) -DIMR_SANITIZE=ON -DIMR_FUZZ_DIR=/nonexistent
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) \
	  -E '^(fuzz_.*_short|browser_test|synth_accuracy_2k)$$'

# The threaded parts under ThreadSanitizer: split searches and concurrent engines, shard writers
# and readahead, the server's poller and workers under concurrent clients (TSAN_TESTS). The server
# tests scale their waits under TSan (tests/e2e/http_process.h: time_scale, IMR_TEST_TIME_SCALE).
TSAN_TESTS ?= engine_test matcher_test work_budget_test indexer_readahead_test index_corpus_test http_server_test http_hardening_test
empty :=
space := $(empty) $(empty)
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(SAN_FLAGS) -DIMR_TSAN=ON -DIMR_FUZZ_DIR=/nonexistent
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target imr-index imr-search $(TSAN_TESTS)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(abspath tests/tsan.supp)" ctest --test-dir $(TSAN_BUILD) --output-on-failure \
	  -j$(JOBS) -R '^($(subst $(space),|,$(TSAN_TESTS)))$$'

# The libFuzzer targets, built with clang in their own folder; skipped with a message without clang.
fuzz-build: deps
	@if command -v clang++ >/dev/null 2>&1; then \
	  cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DIMR_FUZZ=ON \
	    $$(command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) && \
	  cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_targets; \
	else echo "make fuzz-build: clang++ is missing; the fuzz targets are skipped"; fi

# Each fuzz target for FUZZ_SECONDS (default 300); crashes land in $(FUZZ_BUILD)/artifacts/.
fuzz: fuzz-build
	@status=0; for t in fuzz_letter fuzz_pdf fuzz_query fuzz_params; do \
	  echo "== $$t, $(FUZZ_SECONDS) s"; tests/fuzz/run_fuzz.sh $(abspath $(FUZZ_BUILD)) $$t $(FUZZ_SECONDS) 2>&1 | \
	    grep -E '^(#[0-9]+ +DONE|stat::|==[0-9]+==|SUMMARY|skipped|artifact_prefix|Test unit written)' ; \
	  [ $${PIPESTATUS[0]} -eq 0 ] || status=1; done; exit $$status

# Ten minutes (SOAK_SECONDS) of the wrk query mix on 127.0.0.1 while imr-index adds letters;
# latency percentiles, errors and RSS every 10 s; fails when memory does not level off.
soak: build
	bench/soak.sh $(BUILD) $(SOAK_SECONDS)

# The sample database is a build product: one written by an older imr-index (another schema) is
# indexed again rather than refused.
run: build
	@$(BUILD)/imr-index --db $(SAMPLE_DB) data/samples 2> $(BUILD)/sample-index.err; status=$$?; \
	cat $(BUILD)/sample-index.err >&2; \
	if [ $$status -eq 2 ] && grep -q "older imr-index" $(BUILD)/sample-index.err; then \
	  echo "make run: $(SAMPLE_DB) has an older schema; indexing the samples again"; \
	  rm -rf $(SAMPLE_DB) && { $(BUILD)/imr-index --db $(SAMPLE_DB) data/samples || [ $$? -eq 1 ]; }; \
	elif [ $$status -gt 1 ]; then exit $$status; fi
	@echo "Serving the sample letters at http://127.0.0.1:$(PORT)/"
	$(BUILD)/imr-search --db $(SAMPLE_DB) serve --host 127.0.0.1 --port $(PORT)

bench: build
	bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
