# versus: the index of what one can do here.
ADDR ?= 127.0.0.1:8000
DATA ?= web/data
WASM := web/app.wasm

.PHONY: run test build bench clean wasm

run: build ## build the app and serve it with the bundled sample data on http://127.0.0.1:8000
	go run ./app -addr $(ADDR) -data $(DATA)

test: ## vet for linux and js/wasm, then every test, browser tests included
	gofmt -l . | (! grep .) || (echo "gofmt needed on the files above"; exit 1)
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./app/...
	go test ./...

build: wasm ## build app.wasm (with its brotli and gzip forms) and the server binary bin/versus
	go build -o bin/versus ./app

wasm: ## build web/app.wasm and precompress it
	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o $(WASM) ./app
	go run ./app -compress -web web

bench: wasm ## measure sizes and speeds, printed as a table
	go test ./app -run '^$$' -bench . -benchtime 1x -v | tee /dev/stderr | grep -E '^\|' || true

clean: ## remove built files
	rm -rf bin $(WASM) $(WASM).br $(WASM).gz
