package compare

import "strings"

// LicenseKind is what a licence asks of those who redistribute the code.
type LicenseKind int

// Licence kinds, from the least to the most demanding.
const (
	KindUnknown      LicenseKind = iota // no licence known, or one we cannot classify
	KindPublicDomain                    // CC0, Unlicense, 0BSD: no conditions
	KindPermissive                      // MIT, Apache-2.0, BSD: keep the notice
	KindWeakCopyleft                    // MPL, LGPL, EPL: changed files stay open
	KindCopyleft                        // GPL, AGPL: derived works stay open
)

// String names the kind as the page says it.
func (k LicenseKind) String() string {
	switch k {
	case KindPublicDomain:
		return "public domain"
	case KindPermissive:
		return "permissive"
	case KindWeakCopyleft:
		return "weak copyleft"
	case KindCopyleft:
		return "copyleft"
	}
	return "unknown"
}

// spdxKinds maps SPDX ids (lower case; a trailing '-' matches any version)
// to kinds, tried in order.
var spdxKinds = []struct {
	prefix string
	kind   LicenseKind
}{
	{"agpl-", KindCopyleft},
	{"gpl-", KindCopyleft},
	{"osl-", KindCopyleft},
	{"eupl-", KindCopyleft},
	{"sspl-", KindCopyleft},
	{"cc-by-sa-", KindCopyleft},
	{"lgpl-", KindWeakCopyleft},
	{"mpl-", KindWeakCopyleft},
	{"epl-", KindWeakCopyleft},
	{"cddl-", KindWeakCopyleft},
	{"cecill-2", KindCopyleft},
	{"ms-rl", KindWeakCopyleft},
	{"0bsd", KindPublicDomain},
	{"cc0-", KindPublicDomain},
	{"unlicense", KindPublicDomain},
	{"wtfpl", KindPublicDomain},
	{"mit", KindPermissive},
	{"apache-", KindPermissive},
	{"bsd-", KindPermissive},
	{"isc", KindPermissive},
	{"zlib", KindPermissive},
	{"bsl-", KindPermissive},
	{"psf-", KindPermissive},
	{"python-", KindPermissive},
	{"postgresql", KindPermissive},
	{"ncsa", KindPermissive},
	{"x11", KindPermissive},
	{"artistic-2", KindPermissive},
	{"ms-pl", KindPermissive},
	{"cc-by-", KindPermissive},
	{"upl-", KindPermissive},
}

// Kind classifies an SPDX licence expression. With OR the user may pick, so
// the least demanding choice counts; with AND every term applies, so the most
// demanding counts. An exception (GPL-2.0 WITH Classpath-exception-2.0) makes
// a copyleft licence weak.
func Kind(spdx string) LicenseKind {
	expr := strings.ToLower(strings.Trim(strings.TrimSpace(spdx), "()"))
	if expr == "" {
		return KindUnknown
	}
	if alts := splitOp(expr, " or "); len(alts) > 1 {
		best := KindUnknown
		for _, a := range alts {
			k := Kind(a)
			if k == KindUnknown {
				continue
			}
			if best == KindUnknown || k < best {
				best = k
			}
		}
		return best
	}
	if all := splitOp(expr, " and "); len(all) > 1 {
		worst := KindUnknown
		for _, a := range all {
			worst = max(worst, Kind(a))
		}
		return worst
	}
	if base, _, ok := strings.Cut(expr, " with "); ok {
		k := Kind(base)
		if k == KindCopyleft {
			return KindWeakCopyleft
		}
		return k
	}
	expr = strings.TrimSuffix(expr, "+")
	for _, s := range spdxKinds {
		if expr == strings.TrimSuffix(s.prefix, "-") || strings.HasPrefix(expr, s.prefix) {
			return s.kind
		}
	}
	return KindUnknown
}

// splitOp splits an expression on a binary operator, outside parentheses.
func splitOp(expr, op string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth == 0 && strings.HasPrefix(expr[i:], op) {
			out = append(out, expr[start:i])
			start = i + len(op)
			i += len(op) - 1
		}
	}
	return append(out, expr[start:])
}
