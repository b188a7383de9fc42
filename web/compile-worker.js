// versus: app/lazy.js starts this worker when the page is idle after load,
// with the wasm's URL. It downloads and compiles the wasm off the page's main
// thread, hands the WebAssembly.Module back (null if either failed) and ends.
onmessage = async (e) => {
  let module = null;
  try {
    module = await WebAssembly.compileStreaming(fetch(e.data));
  } catch (err) {}
  postMessage(module);
  close();
};
