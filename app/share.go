package main

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
)

// Caps on the query a shared link carries, so a crafted URL cannot make the
// link (or the og:url of the page) arbitrarily long.
const (
	maxViewParams = 8
	maxParamKey   = 32
	maxParamValue = 200
)

// trackingParams are query keys that say where a visitor came from, not
// what they see; a shared link drops them (and every "utm_" key).
var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "msclkid": true, "ref": true, "ref_src": true}

// canonicalURL is the link to exactly the view at page: the compared slugs,
// in order and normalised, with the view's options (the query, such as
// chart settings) and without tracking parameters.
func canonicalURL(page *url.URL, slugs []string) string {
	// On the server go-app's page URL always says http; the server's
	// canonicalOGURL puts the real origin (or -base-url) into og:url.
	u := url.URL{Scheme: page.Scheme, Host: page.Host, Path: compare.Path(slugs...)}
	if u.Scheme == "" {
		u.Scheme = "http"
	}
	u.RawQuery = viewQuery(page.Query()).Encode()
	return u.String()
}

// viewQuery keeps the options of the view from q, within caps.
func viewQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if trackingParams[strings.ToLower(k)] || strings.HasPrefix(strings.ToLower(k), "utm_") || len(k) > maxParamKey || len(vs) == 0 {
			continue
		}
		if v := vs[0]; len(v) <= maxParamValue && len(out) < maxViewParams {
			out.Set(k, v)
		}
	}
	return out
}

// setShareMeta makes the page's link preview describe the comparison: og:url
// is the canonical link (go-app writes og:url from the request, tracking
// parameters and all; the server then sets its origin), and a large Twitter
// card (the server names the image: cardMeta). Title and description,
// which go-app copies into og:title and og:description, are the page's.
func setShareMeta(ctx app.Context, cmp *compare.Comparison) {
	link, err := url.Parse(canonicalURL(ctx.Page().URL(), cmp.Slugs()))
	if err != nil {
		return
	}
	if app.IsServer {
		// On the server this only sets the URL that og:url is written from;
		// in the browser it would rewrite the address bar.
		ctx.Page().ReplaceURL(link)
	}
	ctx.Page().SetTwitterCard(app.TwitterCard{
		Card:        "summary_large_image",
		Title:       ctx.Page().Title(),
		Description: ctx.Page().Description(),
	})
}
