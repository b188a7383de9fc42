
// versus: what the prerendered page needs before the wasm starts (on the
// first interaction).
//
// The theme chosen with the header's toggle (kept by the wasm in localStorage
// as JSON under "versus-theme") applies at once, and the toggle works.
(function versusTheme() {
  const key = "versus-theme";
  const themes = ["", "light", "dark"];
  const labels = { "": "Theme: auto", light: "Theme: light", dark: "Theme: dark" };
  const read = () => {
    try {
      const v = JSON.parse(localStorage.getItem(key) || '""');
      return themes.includes(v) ? v : "";
    } catch (e) {
      return "";
    }
  };
  const apply = (theme) => {
    if (theme) {
      document.documentElement.setAttribute("data-theme", theme);
    } else {
      document.documentElement.removeAttribute("data-theme");
    }
    document.querySelectorAll(".theme-toggle").forEach((b) => (b.textContent = labels[theme]));
  };
  apply(read());
  document.addEventListener("DOMContentLoaded", () => apply(read()));
  document.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest(".theme-toggle");
    if (!button || document.querySelector('.site[data-runtime="wasm"]')) {
      return; // the wasm's own toggle handles it
    }
    const next = themes[(themes.indexOf(read()) + 1) % themes.length];
    try {
      if (next) {
        localStorage.setItem(key, JSON.stringify(next));
      } else {
        localStorage.removeItem(key);
      }
    } catch (e) {}
    apply(next);
  });
})();

// The "data older than a day" warning, prerendered hidden with the data's
// date, shows when the visitor's clock finds the data old.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll('[data-warning="old-data"][hidden][data-date]').forEach((w) => {
    const date = Date.parse(w.getAttribute("data-date"));
    if (!isNaN(date) && Date.now() - date > 24 * 60 * 60 * 1000) {
      w.removeAttribute("hidden");
    }
  });
});
