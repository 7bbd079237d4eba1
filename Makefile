# The project's two front doors (`make run`, `make test`) and the targets they rest on.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
PORT       ?= 8080
SAMPLE_DB  ?= $(BUILD)/sample.db
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages the build, the tests and the benchmark need.
PACKAGES := cmake g++ make pkg-config ccache python3 \
            libxapian-dev xapian-tools xapian-omega libicu-dev libcli11-dev libcpp-httplib-dev \
            doctest-dev nlohmann-json3-dev libpoppler-cpp-dev libzstd-dev libjemalloc-dev libsqlite3-dev sqlite3 \
            chromium chromium-driver wrk poppler-utils time

CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo \
               $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: deps build test test-asan run bench clean

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

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) -DIMR_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)

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
	rm -rf $(BUILD) $(ASAN_BUILD)
