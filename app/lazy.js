
// versus: the prerendered page is complete and readable, so Go starts on the
// visitor's first interaction rather than competing with the first paint. It
// starts at once where the page shown is not the one prerendered for this
// address (the offline shell), offline, and in the installed app.
//
// This file is appended to go-app's app.js, whose start call is replaced by
// goappLazyWebAssembly(): that call runs before this file's top level, so
// everything here is a function declaration.
function goappLazyWebAssembly() {
  versusCarryOver();
  const events = ["pointerdown", "pointermove", "keydown", "touchstart", "focusin", "wheel"];
  let started = false;
  const preload = versusPreload(() => started);
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
    versusStartWasm(preload.module);
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

// versusWasmURL is where the server serves the wasm (webResources.AppWASM).
function versusWasmURL() {
  return "/web/app.wasm";
}

// versusPreload waits until the page is idle after load, then has the wasm
// downloaded and compiled and fetches the snapshot's pointer and index,
// unless Go has started by then. It returns {module}: once the preload has
// begun, the promise of the compiled WebAssembly.Module (null if it failed).
// A worker (web/compile-worker.js) downloads and compiles: on the page's
// main thread, reading 8 MB of wasm into an ArrayBuffer costs 100-150 ms
// in two tasks (Blink's ResponseBodyLoader), and even a streaming compile
// does main-thread work, each counting as blocking time (Lighthouse mobile,
// measured: 300 to 700 ms). The responses wait in versusFetch for Go.
function versusPreload(started) {
  const out = {};
  const run = () => {
    if (started() || !goappCanLoadWebAssembly()) {
      return;
    }
    out.module = new Promise((resolve) => {
      const worker = new Worker("/web/compile-worker.js");
      worker.onmessage = (e) => resolve(e.data || null);
      worker.onmessageerror = () => resolve(null);
      worker.onerror = () => resolve(null);
      worker.postMessage(versusWasmURL());
    }).catch(() => null);
    const data = "/data/";
    versusFetch.waiting = versusFetch.waiting || {};
    const get = (name) => (versusFetch.waiting[data + name] = fetch(data + name));
    get("latest.json")
      .then((r) => (r.ok ? r.clone().json() : null))
      .then((p) => p && versusIndexName(p) && get(versusIndexName(p)))
      .catch(() => {});
  };
  const idle = () => {
    if (window.requestIdleCallback) {
      requestIdleCallback(run, { timeout: 3000 });
    } else {
      setTimeout(run, 500);
    }
  };
  if (document.readyState === "complete") {
    idle();
  } else {
    window.addEventListener("load", idle, { once: true });
  }
  return out;
}

// versusIndexName is the name of the index Go reads (dataset.Loader): the
// binary one when the pointer names it; "" for a broken pointer.
function versusIndexName(p) {
  const name = typeof p.index_bin === "string" ? p.index_bin : p.index;
  return typeof name === "string" ? name : "";
}

// versusFetch is window.fetch for the snapshot objects Go reads
// (fetch_wasm.go): it hands over, once, a response versusPreload fetched.
function versusFetch(url) {
  const waiting = versusFetch.waiting || {};
  const r = waiting[url];
  if (r) {
    delete waiting[url];
    return r;
  }
  return fetch(url);
}

// versusStartWasm runs go-app's start, instantiating the module compiled at
// idle when there is one: it stands in for the download and the streaming
// compile go-app's goappInitWebAssembly does, which reads both before its
// first await.
function versusStartWasm(module) {
  if (!module) {
    goappInitWebAssembly();
    return;
  }
  const instantiate = WebAssembly.instantiateStreaming;
  const download = fetchWithProgress;
  WebAssembly.instantiateStreaming = async (resp, imports) => {
    const m = await module;
    if (!m) {
      return instantiate(download(versusWasmURL(), () => {}), imports);
    }
    return { module: m, instance: await WebAssembly.instantiate(m, imports) };
  };
  fetchWithProgress = async () => null;
  try {
    goappInitWebAssembly();
  } finally {
    WebAssembly.instantiateStreaming = instantiate;
    fetchWithProgress = download;
  }
}

// versusCarryOver keeps what the visitor does on the prerendered page when
// go-app takes over: its first mount builds its own nodes and puts them in
// place of the prerendered ones with one document.body.replaceChild
// (engine.Mount, replaceChildAt). Until then it records which fields fired
// "change", the clicks on buttons only the wasm handles and a press not yet
// released. Right before that replaceChild it reads the focus, the caret and
// the scroll; right after, it copies onto the new nodes the fields' values,
// the caret, the open <details>, the focus and the scroll, fires "input"
// (and "change" where the visitor committed a change) so that the Go
// components take the values, replays each queued click once, and makes the
// click of a press begun on the old nodes. Before the wasm, "/" focuses the
// search box as it does after.
function versusCarryOver() {
  const wasm = '.site[data-runtime="wasm"]';
  const committed = new Set();
  const clicks = [];
  let pressed = null; // a pointer went down here and is not up yet
  const listeners = [
    ["change", (e) => committed.add(e.target)],
    ["pointerdown", (e) => (pressed = e.target)],
    ["pointerup", () => (pressed = null)],
    ["pointercancel", () => (pressed = null)],
    [
      "click",
      (e) => {
        const b = e.target.closest && e.target.closest('button[type="button"]');
        if (b && !b.closest(".theme-toggle")) {
          clicks.push(b);
        }
      },
    ],
  ];
  const onSlash = (e) => {
    const t = e.target;
    const field = t.closest && t.closest("input, select, textarea, [contenteditable]");
    const search = document.getElementById("search");
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !field && search) {
      e.preventDefault();
      search.focus();
    }
  };
  listeners.forEach(([type, f]) => document.addEventListener(type, f, { capture: true, passive: true }));
  document.addEventListener("keydown", onSlash, true);
  const body = document.body;
  body.replaceChild = function (now, old) {
    const focused = document.activeElement;
    const state = { committed, clicks, pressed, focused, scroll: [window.scrollX, window.scrollY] };
    try {
      if (typeof focused.selectionStart === "number") {
        state.caret = [focused.selectionStart, focused.selectionEnd, focused.selectionDirection];
      }
    } catch (e) {} // a field without a caret (number, checkbox)
    if (now.nodeType !== 1 || !now.matches(wasm)) {
      return Node.prototype.replaceChild.call(this, now, old);
    }
    // What the removal itself fires (a "change" on the focused field) is
    // not the visitor's.
    delete body.replaceChild;
    listeners.forEach(([type, f]) => document.removeEventListener(type, f, true));
    document.removeEventListener("keydown", onSlash, true);
    const out = Node.prototype.replaceChild.call(this, now, old);
    queueMicrotask(() => versusTransfer(old, now, state));
    return out;
  };
}

// versusTransfer copies the visitor's state from the prerendered root old
// onto the wasm's root now (see versusCarryOver).
function versusTransfer(old, now, state) {
  // An element's key is its path of child indexes from its nearest ancestor
  // with an id: go-app renders the prerendered tree again, node for node.
  const keyOf = (el) => {
    const path = [];
    for (let n = el; n !== old; n = n.parentElement) {
      if (!n || !n.parentElement) {
        return null;
      }
      if (n.id) {
        return { id: n.id, path };
      }
      path.unshift([n.tagName, [...n.parentElement.children].indexOf(n)]);
    }
    return { id: "", path };
  };
  const twin = (el) => {
    const key = el && old.contains(el) ? keyOf(el) : null;
    if (!key) {
      return null;
    }
    let n = key.id ? now.querySelector("#" + CSS.escape(key.id)) : now;
    for (const [tag, i] of key.path) {
      n = n && n.children[i];
      if (!n || n.tagName !== tag) {
        return null;
      }
    }
    return n;
  };
  const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));

  old.querySelectorAll("input, select, textarea").forEach((was) => {
    const is = twin(was);
    if (!is || is.tagName !== was.tagName || is.type !== was.type) {
      return;
    }
    const check = was.type === "checkbox" || was.type === "radio";
    if (check ? was.checked === is.checked : was.value === is.value) {
      return;
    }
    const rendered = is.value;
    if (check) {
      is.checked = was.checked;
    } else {
      is.value = was.value;
    }
    fire(is, "input");
    if (check || was.tagName === "SELECT" || state.committed.has(was)) {
      fire(is, "change");
    } else {
      // The browser fires "change" on leaving a field edited since it
      // got the focus, which a value set here is not: fire it then.
      let changed = false;
      const onChange = () => (changed = true);
      const onBlur = () => {
        is.removeEventListener("change", onChange);
        is.removeEventListener("blur", onBlur);
        if (!changed && is.value !== rendered) {
          fire(is, "change");
        }
      };
      is.addEventListener("change", onChange);
      is.addEventListener("blur", onBlur);
    }
  });
  old.querySelectorAll("details").forEach((was) => {
    const is = twin(was);
    if (is && is.tagName === "DETAILS" && is.open !== was.open) {
      is.open = was.open;
    }
  });
  const focus = twin(state.focused);
  if (focus && document.activeElement !== focus) {
    focus.focus({ preventScroll: true });
    if (state.caret) {
      focus.setSelectionRange(...state.caret);
    }
  }
  window.scrollTo(state.scroll[0], state.scroll[1]);
  state.clicks.forEach((b) => {
    const is = twin(b);
    if (is) {
      is.click();
    }
  });
  // A press begun on the old node and released on its twin makes no click
  // (the two are not in one tree): make it, unless the browser did.
  const pressed = state.pressed && state.pressed.closest("a, button, summary, label, input, select");
  const target = twin(pressed);
  if (target) {
    let clicked = false;
    const onClick = () => (clicked = true);
    const onUp = (e) => {
      document.removeEventListener("pointerup", onUp, true);
      setTimeout(() => {
        document.removeEventListener("click", onClick, true);
        if (!clicked && target.contains(e.target)) {
          target.click();
        }
      });
    };
    document.addEventListener("click", onClick, true);
    document.addEventListener("pointerup", onUp, true);
  }
}

// versusBuild returns the nodes Go describes in spec, a JSON array of
// strings (el.flat in browsedirect.go): a text node is "" and its text; an
// element is its tag, its number of attributes, their names and values, its
// number of children and the children. Text goes in as text nodes, never as
// HTML.
function versusBuild(spec) {
  const s = JSON.parse(spec);
  let i = 0;
  const node = () => {
    const tag = s[i++];
    if (tag === "") {
      return document.createTextNode(s[i++]);
    }
    const e = document.createElement(tag);
    for (let n = +s[i++]; n > 0; n--) {
      e.setAttribute(s[i++], s[i++]);
    }
    for (let n = +s[i++]; n > 0; n--) {
      e.appendChild(node());
    }
    return e;
  };
  const out = [];
  while (i < s.length) {
    out.push(node());
  }
  return out;
}
