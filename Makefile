# The two commands a newcomer needs: `make run` and `make test`.
# Everything installs what is missing first (scripts/install-deps.sh).

JOBS ?= 2
PORT ?= 8000
API_PORT ?= 4567
DATA ?= ./data

.PHONY: all deps build build-asan run test unit-test wire-test bench bench-scale fuzz format clean deb package-test

all: build

deps:
	@./scripts/install-deps.sh build

# The two binaries only (the release preset leaves the unit tests out; make test
# builds them, in build-asan/).
build: deps
	@[ -f build/build.ninja ] || cmake --preset release >/dev/null
	ninja -C build -j$(JOBS) ddb-server cruddur

build-asan:
	@./scripts/install-deps.sh test
	@[ -f build-asan/build.ninja ] || cmake --preset asan >/dev/null
	ninja -C build-asan -j$(JOBS)

# Starts the local stack with its data under $(DATA) (seeded on first start),
# after building the web app (scripts/web.sh: npm ci from the lock file when
# node_modules is missing, then web/dist), which it serves on :3000. A failed
# web build does not stop it: the app's port then says how to build it.
run: build
	@./scripts/install-deps.sh run
	@./scripts/web.sh || echo "make run: the web app did not build (see above); starting without it" >&2
	@PORT=$(PORT) API_PORT=$(API_PORT) DATA=$(DATA) ./scripts/run.sh

# Every test, under AddressSanitizer + UBSan: unit tests (scripts/unit-tests.sh), then wire
# tests through boto3 and the AWS CLI against the sanitized server.
test: build-asan
	@./scripts/test.sh build-asan

# The Debian packages, from build/ (cmake/Packaging.cmake): ddb-server_<version>_<arch>.deb
# (the server alone) and cruddur_<version>_<arch>.deb, in build/packages/.
deb: build
	@cpack --config build/CPackConfig.cmake -B build/packages
	@ls build/packages/*.deb

# make deb, then the package test on both packages (tests/package/run.sh: fields,
# contents, Depends against dpkg-shlibdeps; the server extracted and serving boto3).
package-test: deb
	@./scripts/install-deps.sh test
	@./tests/package/run.sh build/packages/ddb-server_*.deb build/packages/cruddur_*.deb

# The libFuzzer targets (fuzz/README.md), built with clang in build-fuzz/:
# each replays its seeds and saved crashes, then fuzzes for FUZZ_SECONDS.
# FUZZ_TARGETS narrows the run (e.g. FUZZ_TARGETS=jwt_fuzz).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz:
	@./scripts/install-deps.sh test
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) ./scripts/fuzz.sh run $(FUZZ_TARGETS)

bench:
	@./scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build
	@./bench/run.sh

# Reads at 10 thousand .. 10 million items, the load rate, and start-up after a
# clean stop with them (bench/scale.sh; about 15 minutes and 3 GB of disk).
bench-scale:
	@./scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build
	@./bench/scale.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

# The soak of issue 10 (not in CI; bench/soak.py): `cruddur serve` under a
# mixed load for SOAK_SECONDS (default 30 minutes); RSS, open descriptors and
# p99 at the start (after the warm-up) and the end, PASS/MISS.
SOAK_SECONDS ?= 1800

.PHONY: soak
soak:
	@./scripts/install-deps.sh test
	@$(MAKE) --no-print-directory build
	@SOAK_SECONDS=$(SOAK_SECONDS) /usr/bin/python3 bench/soak.py

clean:
	rm -rf build build-asan build-fuzz
