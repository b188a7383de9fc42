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

func TestAttr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MIT License", "MIT License"},
		{`x" onmouseover="window.pwned=1`, `x” onmouseover=”window.pwned=1`},
		{`back\slash`, `back∖slash`},
		{"line\nbreak\ttab", "line break tab"},
		{"rtl\u202eevil\u200bzero", "rtlevilzero"},
		{"<b>ok</b> & more", "<b>ok</b> & more"},
		{"héllo wörld", "héllo wörld"},
	} {
		if got := Attr(tc.in, 100); got != tc.want {
			t.Errorf("Attr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Attr(string(make([]byte, 5000)), 10); len([]rune(got)) > 10 {
		t.Errorf("Attr(5000 bytes, 10) has %d runes, want at most 10", len([]rune(got)))
	}
}
