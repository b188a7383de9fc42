
// versus: the theme chosen with the header's toggle (kept by the wasm in
// localStorage as JSON under "versus-theme") applies before the wasm starts,
// which is on the first interaction, and the toggle works before it too.
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
