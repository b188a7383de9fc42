# versus: the index of what one can do here.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
ADDR ?= 127.0.0.1:8000
DATA ?= web/data
WASM := web/app.wasm

.PHONY: run test lint build bench clean wasm static static-demo upload-site sync demo-data

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

bench: wasm $(LIGHTHOUSE) ## print a table of sizes and speeds: wasm, first render, browse, export, Lighthouse, server load, sync (1,000 and 10,000 repositories), slug suggestions
	go test ./app -run '^$$' -bench . -benchtime 1x | grep -E '^\|'
	go test ./sync/job -run '^$$' -bench 'BenchmarkSync(1000|Stars230)' -benchtime 1x | \
	  awk '/^Benchmark/ { for (i = 3; i < NF; i += 2) printf "| %-52s | %18s |\n", $$1 " " $$(i+1), $$i }'
	go test ./sync/job -run '^$$' -bench 'BenchmarkSync10k' -benchtime 1x -timeout 30m | \
	  awk '/^Benchmark/ { for (i = 3; i < NF; i += 2) printf "| %-52s | %18s |\n", $$1 " " $$(i+1), $$i }'
	go test ./app/dataset -run '^$$' -bench 'BenchmarkClosest10k' | \
	  awk '/^Benchmark/ { for (i = 3; i < NF; i += 2) printf "| %-52s | %18s |\n", $$1 " " $$(i+1), $$i }'

$(LIGHTHOUSE): ## install Lighthouse 12.2.3 for make bench
	mkdir -p .cache/lighthouse && cd .cache/lighthouse && npm install --no-audit --no-fund --silent lighthouse@12.2.3

static: wasm ## write the static site into out/, prerendered from $(DATA) but without it: the sync owns data/ (BASE_URL sets og:url)
	rm -rf out
	go run ./app -static out -data $(DATA) -base-url "$(BASE_URL)"

static-demo: wasm ## write a self-contained demo into out-demo/: the site plus a copy of the snapshot of $(DATA)
	rm -rf out-demo
	go run ./app -static out-demo -with-data -data $(DATA) -base-url "$(BASE_URL)"

GCLOUD ?= gcloud
SITE ?= out

upload-site: ## upload $(SITE) (from make static) to gs://$(BUCKET), never touching data/: pages as text/html, cards as PNG and SVG, app.wasm gzip-encoded
	test -n "$(BUCKET)" || (echo "set BUCKET"; exit 1)
	test ! -e $(SITE)/data || (echo "$(SITE) holds data/: upload the site of make static, never a demo"; exit 1)
	$(GCLOUD) storage rsync -r -x '^(data/|pages\.txt$$|web/app\.wasm)' $(SITE) gs://$(BUCKET)
	sed 's|^|gs://$(BUCKET)/|' $(SITE)/pages.txt | xargs $(GCLOUD) storage objects update --content-type=text/html --cache-control=no-cache
	$(GCLOUD) storage objects update 'gs://$(BUCKET)/cards/*.png' --content-type=image/png --cache-control='public, max-age=3600'
	$(GCLOUD) storage objects update 'gs://$(BUCKET)/cards/*.svg' --content-type=image/svg+xml --cache-control='public, max-age=3600'
	$(GCLOUD) storage cp $(SITE)/web/app.wasm.gz gs://$(BUCKET)/web/app.wasm --content-encoding=gzip --content-type=application/wasm --cache-control=no-cache

sync: ## run one sync from GitHub into $(DATA) (GITHUB_TOKEN raises the rate limit)
	go run ./sync -catalog sync/catalog.yaml -store $(DATA)

demo-data: ## regenerate the sample snapshot in web/data with the real sync against recorded answers (sync/testdata/demo)
	go run ./sync/internal/demodata -out web/data

clean: ## remove built files
	rm -rf bin out out-demo $(WASM) $(WASM).br $(WASM).gz
