package safe

import "testing"

func TestURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"https://tokio.rs", true},
		{"http://example.com/a?b=c#d", true},
		{"HTTPS://EXAMPLE.COM", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{" javascript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"vbscript:x", false},
		{"//evil.example", false},
		{"/relative", false},
		{"https://", false},
		{"https://user:pass@example.com", false},
		{"https://exa mple.com", false},
		{"https://example.com/\"onmouseover=\"x", false},
		{"", false},
	} {
		if _, ok := URL(tc.in); ok != tc.ok {
			t.Errorf("URL(%q) ok = %v, want %v", tc.in, ok, tc.ok)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text("hello", 10); got != "hello" {
		t.Errorf("Text(hello, 10) = %q", got)
	}
	if got := Text("hello world", 6); got != "hello…" {
		t.Errorf("Text(hello world, 6) = %q, want %q", got, "hello…")
	}
	if got := Text("héllo wörld", 3); got != "hé…" {
		t.Errorf("Text(héllo wörld, 3) = %q", got)
	}
	if got := Text("a\xffb", 10); got != "ab" {
		t.Errorf("Text(invalid) = %q, want ab", got)
	}
}
