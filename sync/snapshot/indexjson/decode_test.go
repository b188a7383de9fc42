package indexjson

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/app/browse/synth"
	"versus/sync/snapshot"
	"versus/sync/snapshot/internal/sampletest"
)

func encode(t testing.TB, x *snapshot.Index) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := snapshot.Encode(&b, x); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sample(t testing.TB) []byte { return sampletest.Index(t) }

// same checks that Decode gives exactly what snapshot.DecodeIndex gives, and
// reports whether the fast path took b.
func same(t *testing.T, b []byte) bool {
	t.Helper()
	want, wantErr := snapshot.DecodeIndex(bytes.NewReader(b))
	got, gotErr := Decode(b)
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Fatalf("Decode(%.200q) error = %v, want %v", b, gotErr, wantErr)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("Decode(%.200q) differs from snapshot.DecodeIndex (-want +got):\n%s", b, cmp.Diff(want, got))
	}
	fast, ok := decodeFast(b)
	if ok && (wantErr != nil || !reflect.DeepEqual(want, fast)) {
		t.Fatalf("the fast path took %.200q and got it wrong (-want +got):\n%s", b, cmp.Diff(want, fast))
	}
	return ok
}

func TestSameAsEncodingJSON(t *testing.T) {
	inputs := map[string][]byte{"sample": sample(t)}
	for _, n := range []int{0, 1, 100, 3000} {
		inputs["synth "+strings.Repeat("x", n%7)+string(rune('0'+n%10))] = encode(t, synth.Index(n, uint64(n)))
	}
	for name, b := range inputs {
		if !same(t, b) {
			t.Errorf("%s: the fast path refused a plain index", name)
		}
	}
}

func TestEdgeCases(t *testing.T) {
	const head = `{"schema_version":1,"id":"2026-11-25T06-00-00Z","generated_at":"2026-11-25T06:00:00Z","categories":[],"projects":[`
	fast := []string{
		`{"repo":"a/b","description":"Tools \u0026 \"libs\" \\ \/ \n\t\u00e9\ud83d\ude00 ok","topics":["x",null],"categories":null,"alternatives":[]}`,
		`{"repo":"a/b","stars":null,"growth":-0,"activity":1.5e1,"forks":-3,"license":null,"release":{"tag":"v1","date":"2021-01-02T03:04:05.123+02:00"}}`,
		`{"repo":"a/b","last_commit":"2021-11-19T00:00:00Z","created":null,"fetched_at":"2020-02-29T23:59:59Z","archived":true,"stale":false}`,
		`{"repo":"a/b","stale":true,"stale_reason":"quota"}`,
		`{"repo":"a/b","stale":true,"stale_reason":"not a reason \u00e9"}`,
		`{"repo":"a/b","unknown":{"deep":[1,2,{"x":null}],"s":"\u0041"},"extra":[true,false,null,-1.5E-3]}`,
		`{"repo":"é—ü","name":"日本語"}`,
		`null`,
		` { "repo" : "a/b" , "slug" : "b" } `,
		`{"slug":"b","repo":"a/b","x":1,"name":"b"}`, // keys in another order
		`{"description":"twelve bytes\"then a quote, sixteen\\ÄÖÜ and more\u003c\u003e \ud83d\ude00"}`,
		`{"stars":-0,"forks":-123456789012345678,"open_issues":1234567890123456789,"mentions":0}`,
		`{"growth":-0.0,"activity":0.1,"stars":0}`, `{"growth":123456789012.345678,"activity":9007199254740993}`,
		`{"growth":-12.5e2,"activity":0.30000000000000004}`, `{"growth":1234567890123456789.5,"activity":0}`,
		`{"last_commit":"2024-02-29T23:59:59Z","created":"2000-02-29T00:00:00Z","fetched_at":"1970-01-01T00:00:00Z"}`,
		`{"last_commit":"0001-01-01T00:00:00Z","created":"0000-03-01T00:00:00Z","fetched_at":"9999-12-31T23:59:59Z"}`,
		`{"release":{"date":"1969-12-31T23:59:59Z","tag":"v0"},"license":{"name":"x","spdx":"y"}}`,
	}
	for _, p := range fast {
		if !same(t, []byte(head+p+`]}`)) {
			t.Errorf("the fast path refused %s", p)
		}
	}
	slow := []string{
		`{"Repo":"a/b"}`,              // case-insensitive key
		`{"repo":"a/b","repo":"c/d"}`, // repeated key
		`{"license":{"spdx":"MIT"},"license":{"name":"x"}}`,
		`{"re\u0070o":"a/b"}`, // escaped key
		`{"repo":"\ud800"}`,   // lone surrogate
		"{\"repo\":\"\xff\"}", // invalid UTF-8
		`{"stars":1.0}`, `{"stars":1e3}`, `{"stars":99999999999999999999}`, `{"growth":1e999}`,
		`{"stars":"5"}`, `{"archived":1}`, `{"topics":"x"}`, `{"topics":[1]}`,
		`{"last_commit":"2021-02-30T00:00:00Z"}`, `{"last_commit":"yesterday"}`, `{"last_commit":5}`,
		`{"last_commit":"2021-11-19T24:00:00Z"}`, `{"created":"2021-11-19t00:00:00z"}`,
		`{"repo":"a/b",}`, `{"repo":"a/b"`, `{"repo" "a/b"}`, `{"stars":01}`, `{"stars":-}`, `{"x":tru}`,
		`{"repo":"a` + "\n" + `b"}`,
		`{"description":"sixteen bytes of` + "\x01" + `"}`, "{\"description\":\"sixteen bytes \xff\"}",
		`{"last_commit":"2023-02-29T00:00:00Z"}`, `{"last_commit":"1900-02-29T00:00:00Z"}`, `{"created":"2021-04-31T00:00:00Z"}`,
		`{"stars":9223372036854775808}`, `{"stars":-9223372036854775808}`, `{"stars":-01}`,
		`{"stars":1.5}`, `{"growth":01.5}`, `{"growth":1.}`, `{"growth":.5}`, `{"growth":-}`, `{"stars":-0.0}`,
	}
	for _, p := range slow {
		same(t, []byte(head+p+`]}`))
	}
	for _, whole := range []string{"", "null", "[]", `{"schema_version":2}`, head + `]}x`, head + `]}]`, head + `]} {}`, `{"schema_version":1}`, strings.Repeat("[", 20000)} {
		same(t, []byte(whole))
	}
}

func FuzzSameAsEncodingJSON(f *testing.F) {
	f.Add(sample(f))
	f.Add(encode(f, synth.Index(3, 1)))
	f.Add([]byte(`{"schema_version":1,"projects":[{"repo":"a/b","description":"\u0026\ud83d\ude00","stars":1,"growth":2.5,"last_commit":"2021-11-19T00:00:00Z","x":[{}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { same(t, b) })
}

func BenchmarkDecode(b *testing.B) {
	data := encode(b, synth.Index(10000, 1))
	b.SetBytes(int64(len(data)))
	b.Run("fast", func(b *testing.B) {
		for range b.N {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for range b.N {
			if _, err := snapshot.DecodeIndex(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestKnowsEveryField fails when the snapshot gains a field this decoder
// does not read: it would skip it and differ from encoding/json.
func TestKnowsEveryField(t *testing.T) {
	for _, tt := range []struct {
		v    any
		keys []string
	}{
		{snapshot.Index{}, indexKeys},
		{snapshot.Category{}, categoryKeys},
		{snapshot.Project{}, projectKeys},
		{snapshot.License{}, licenseKeys},
		{snapshot.Release{}, releaseKeys},
	} {
		typ := reflect.TypeOf(tt.v)
		var tags []string
		for i := range typ.NumField() {
			tags = append(tags, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
		}
		if diff := cmp.Diff(tags, tt.keys); diff != "" {
			t.Errorf("%s: the decoder's keys differ from the type's (-type +decoder):\n%s", typ.Name(), diff)
		}
	}
}
