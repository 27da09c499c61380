// ONNX Runtime Web, loaded once per bundle from this server (/demo/ort/, the pinned npm files). One execution provider
// per session, so the page always knows which one ran: ORT has no API that reports a silent fallback.
export const ORT_BASE = '/demo/ort/';
const BUNDLE = { wasm: 'ort.wasm.min.mjs', webgpu: 'ort.webgpu.min.mjs' };
const modules = {};

/** Why WebGPU cannot be used here, or null when an adapter is available. */
export async function webgpuUnavailableReason() {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return 'navigator.gpu is missing (this browser has no WebGPU, or it is turned off)';
  }
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return 'navigator.gpu.requestAdapter() found no GPU adapter';
    return null;
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${e.message ?? e}`;
  }
}

/**
 * The ORT module for one EP: 'wasm' gets the plain SIMD build (14 MB), 'webgpu' the asyncify build that holds both
 * providers (27 MB). Never ort.all.min.mjs: on WebGPU its MiniLM vectors differ from wasm's (checked).
 */
export async function loadOrt(ep) {
  if (!modules[ep]) {
    modules[ep] = (async () => {
      const ort = await import(ORT_BASE + BUNDLE[ep]);
      ort.env.wasm.wasmPaths = ORT_BASE;
      ort.env.logLevel = 'error';
      // ORT picks min(4, cores / 2) wasm threads when the page is cross-origin isolated (our COOP/COEP headers);
      // ?threads=N overrides it (1 = single-threaded) to compare.
      const threads = Number(new URLSearchParams(location.search).get('threads'));
      if (threads > 0) ort.env.wasm.numThreads = threads;
      return ort;
    })();
    modules[ep].catch(() => { delete modules[ep]; });
  }
  return modules[ep];
}

/** How many wasm threads ORT runs with (known once a session exists), and why not more, in a few words. */
export function threadsNote(ort) {
  const n = ort.env.wasm.numThreads ?? 1;
  return `${n} thread${n === 1 ? '' : 's'}${crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
}
