# Vireo: every task a developer or CI needs, from a fresh Debian 12 machine.
#   make          release build
#   make run      install what is missing, build, start the server with conf/vireo.conf
#   make test     install what is missing, build, run unit, end-to-end and integration tests
#   make bench    benchmark against Debian's redis-server (see bench/README.md)
#   make deps     install missing Debian packages only
#   SANITIZE=1    build (and test) with ASan + UBSan in build-asan/

PACKAGES := g++ cmake make pkg-config libuv1-dev libfmt-dev robin-map-dev libboost-test-dev \
            libhiredis-dev python3 python3-redis python3-pytest redis-tools redis-server

ifeq ($(SANITIZE),1)
BUILD_DIR ?= build-asan
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIREO_SANITIZE=ON
else
BUILD_DIR ?= build
CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Release
endif
JOBS ?= $(shell nproc)
# Debian's interpreter: it is the one python3-redis and python3-pytest install into.
PYTHON := /usr/bin/python3
SERVER := $(BUILD_DIR)/vireo-server

.PHONY: all build deps run test unit-test integration-test bench format clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p data
	$(SERVER) conf/vireo.conf --dir ./data

unit-test: build
	$(BUILD_DIR)/vireo-tests --log_level=error --report_level=short

integration-test: build
	VIREO_SERVER=$(abspath $(SERVER)) $(PYTHON) -m pytest -q integration

test: unit-test integration-test

bench: build
	VIREO_SERVER=$(abspath $(SERVER)) bench/run.sh
	$(PYTHON) bench/restart.py $(abspath $(SERVER)) bench/results/restart.md

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build build-asan
