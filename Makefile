# CloudCare Edge — the two commands of the README, plus the benchmark.
#   make run    install missing system packages, build, start a demo node on http://localhost:8000
#   make test   install missing system packages, build, run every test
#   make bench  release build: replication and wearable-ingest throughput against plain SQLite inserts,
#               comprehensive reads under wrk, the memory of a 1 GB Apple Health export.xml import,
#               and a 200 MB DocAssist backup through a node and its hub

SWIFT    ?= swift
DATA_DIR ?= ./data
PORT     ?= 8000

.PHONY: deps build run test bench clean

deps:
	@Provisioning/install-system-packages.sh
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.1 or newer is required (https://www.swift.org/install)"; exit 1; }

build: deps
	$(SWIFT) build --product edge-node
	$(SWIFT) build --product edgectl

run: build
	EDGE_DEMO=1 .build/debug/edge-node --data-dir $(DATA_DIR) --port $(PORT)

test: deps
	@Provisioning/install-test-packages.sh
	$(SWIFT) build --build-tests
	$(SWIFT) build --product edge-node
	$(SWIFT) build --product edgectl
	$(SWIFT) test --skip-build

bench: deps
	@Provisioning/install-system-packages.sh wrk
	$(SWIFT) build -c release --product edge-node
	$(SWIFT) build -c release --product edgectl
	.build/release/edge-node bench --export-megabytes 1024 --backup-megabytes 200

clean:
	rm -rf .build
