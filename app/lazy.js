
// versus: the prerendered page is complete and readable, so the wasm starts
// on the visitor's first interaction rather than competing with the first
// paint. It starts at once where the page shown is not the one prerendered
// for this address (the offline shell), offline, and in the installed app.
function goappLazyWebAssembly() {
  const events = ["pointerdown", "pointermove", "keydown", "touchstart", "focusin", "wheel"];
  let started = false;
  const start = () => {
    if (started) {
      return;
    }
    started = true;
    events.forEach((e) => window.removeEventListener(e, start, true));
    const loader = document.getElementById("app-wasm-loader");
    if (loader) {
      loader.classList.add("active");
    }
    goappInitWebAssembly();
  };
  const og = document.querySelector('meta[property="og:url"]');
  let prerendered = "";
  try {
    prerendered = new URL(og.content).pathname;
  } catch (e) {}
  if (
    prerendered !== location.pathname ||
    !navigator.onLine ||
    window.matchMedia("(display-mode: standalone)").matches
  ) {
    start();
    return;
  }
  events.forEach((e) => window.addEventListener(e, start, { capture: true, passive: true }));
}
