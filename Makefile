# The two commands a newcomer needs: `make run` and `make test`.
# Everything installs what is missing first (scripts/install-deps.sh).

JOBS ?= 2
PORT ?= 8000
API_PORT ?= 4567
DATA ?= ./data

.PHONY: all deps build build-asan run test unit-test wire-test bench format clean

all: build

deps:
	@./scripts/install-deps.sh build

build: deps
	@[ -f build/build.ninja ] || cmake --preset release >/dev/null
	ninja -C build -j$(JOBS)

build-asan:
	@./scripts/install-deps.sh test
	@[ -f build-asan/build.ninja ] || cmake --preset asan >/dev/null
	ninja -C build-asan -j$(JOBS)

# Starts the local stack with its data under $(DATA) (seeded on first start).
run: build
	@PORT=$(PORT) API_PORT=$(API_PORT) DATA=$(DATA) ./scripts/run.sh

# Every test, under AddressSanitizer + UBSan: unit tests (CTest), then wire
# tests through boto3 and the AWS CLI against the sanitized server.
test: build-asan
	@./scripts/test.sh build-asan

bench:
	@./scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build
	@./bench/run.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan
