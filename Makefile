# versus: the index of what one can do here.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
ADDR ?= 127.0.0.1:8000
DATA ?= web/data
WASM := web/app.wasm

.PHONY: run test lint build bench clean wasm static sync demo-data

run: build ## build the app and serve it with the bundled sample data on http://127.0.0.1:8000
	bin/versus -addr $(ADDR) -data $(DATA)

STATICCHECK := bin/staticcheck

test: lint ## lint, then every test, browser tests included
	go test ./...

lint: $(STATICCHECK) ## gofmt, go mod tidy, go vet and staticcheck, for linux and js/wasm
	gofmt -l . | (! grep .) || (echo "gofmt needed on the files above"; exit 1)
	go mod tidy -diff
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./app/...
	$(STATICCHECK) ./...
	GOOS=js GOARCH=wasm $(STATICCHECK) ./app/...

$(STATICCHECK): go.mod ## staticcheck at the version go.mod pins as a tool
	go build -o $@ honnef.co/go/tools/cmd/staticcheck

build: wasm ## build app.wasm (with its brotli and gzip forms) and the server binary bin/versus
	go build -o bin/versus ./app

wasm: ## build web/app.wasm and precompress it
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o $(WASM) ./app
	go run ./app -compress -web web

LIGHTHOUSE := .cache/lighthouse/node_modules/.bin/lighthouse

bench: wasm $(LIGHTHOUSE) ## print a table of sizes and speeds: wasm, first render, browse, export, Lighthouse, sync
	go test ./app -run '^$$' -bench . -benchtime 1x | grep -E '^\|'
	go test ./sync/job -run '^$$' -bench 'BenchmarkSync1000' -benchtime 1x | \
	  awk '/^Benchmark/ { for (i = 3; i < NF; i += 2) printf "| %-52s | %18s |\n", $$1 " " $$(i+1), $$i }'

$(LIGHTHOUSE): ## install Lighthouse 12.2.3 for make bench
	mkdir -p .cache/lighthouse && cd .cache/lighthouse && npm install --no-audit --no-fund --silent lighthouse@12.2.3

static: wasm ## write the static site with the snapshot of $(DATA) into out/ (BASE_URL sets og:url)
	go run ./app -static out -data $(DATA) -base-url "$(BASE_URL)"

sync: ## run one sync from GitHub into $(DATA) (GITHUB_TOKEN raises the rate limit)
	go run ./sync -catalog sync/catalog.yaml -store $(DATA)

demo-data: ## regenerate the sample snapshot in web/data with the real sync against recorded answers (sync/testdata/demo)
	go run ./sync/internal/demodata -out web/data

clean: ## remove built files
	rm -rf bin out $(WASM) $(WASM).br $(WASM).gz
