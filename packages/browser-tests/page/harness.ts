/**
 * The harness page: runs an exported model with `@neurozoo/core/runtime` (the browser build,
 * onnxruntime-web) on one device and one onnxruntime-web bundle, with verbose session logs
 * (they go to the console, where the test reads the node placement).
 */
import { createSession, type Device, loadOrtWeb, type WebBundle } from '@neurozoo/core/runtime';
import { pipeline } from '@neurozoo/perceptron/runtime';

interface GoldenTensor {
  name: string;
  dtype: 'float32' | 'int32';
  dims: number[];
  data: number[];
}

/** What {@link run} returns to the test. */
export interface PageResult {
  provider: string;
  fallbacks: string[];
  outputs: Array<{ name: string; dims: number[]; data: number[] }>;
  /** Session creation and first run, ms. */
  loadMs: number;
  runMs: number;
  /** Median ms of `warmRuns` runs after the first (shaders compiled, buffers allocated), or null. */
  warmMs: number | null;
}

async function run(name: string, device: Device, bundle: Exclude<WebBundle, 'auto'>, warmRuns = 0): Promise<PageResult> {
  const ort = await loadOrtWeb(bundle);
  ort.env.wasm.numThreads = 1; // no worker threads: the page bundle is not a worker script
  const golden = (await (await fetch(`models/${name}/golden.json`)).json()) as { inputs: GoldenTensor[] };
  console.log(`[harness] begin ${name} ${device} ${bundle}`);
  const t0 = performance.now();
  const session = await createSession(`models/${name}/model.onnx`, { devices: [device], bundle, logLevel: 'verbose' });
  try {
    const feeds = Object.fromEntries(
      golden.inputs.map((t) => {
        const data = t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data);
        return [t.name, { data, dims: t.dims }];
      }),
    );
    const t1 = performance.now();
    const out = await session.run(feeds);
    const t2 = performance.now();
    const warm: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      const start = performance.now();
      await session.run(feeds);
      warm.push(performance.now() - start);
    }
    warm.sort((a, b) => a - b);
    return {
      provider: session.provider,
      fallbacks: session.fallbacks.map((f) => `${f.device}: ${f.reason}`),
      outputs: session.outputs.map((o) => ({ name: o.name, dims: out[o.name].dims, data: Array.from(out[o.name].data as Float32Array) })),
      loadMs: t1 - t0,
      runMs: t2 - t1,
      warmMs: warm.length > 0 ? warm[Math.floor(warm.length / 2)] : null,
    };
  } finally {
    await session.release();
    console.log(`[harness] end ${name} ${device} ${bundle}`);
  }
}

/** What {@link classify} returns: each golden row's class and probabilities, and where the pipeline ran. */
export interface ClassifyResult {
  device: string;
  fallbacks: string[];
  classIds: number[];
  probabilities: number[];
}

/** `pipeline('classify', ...)` from `@neurozoo/perceptron/runtime` (the browser build) on the model's golden input rows. */
async function classify(name: string, devices: Device[]): Promise<ClassifyResult> {
  (await loadOrtWeb('default')).env.wasm.numThreads = 1;
  const golden = (await (await fetch(`models/${name}/golden.json`)).json()) as { inputs: GoldenTensor[] };
  const classifier = await pipeline('classify', `models/${name}/model.onnx`, { device: devices, family: 'perceptron' });
  try {
    const rows = await classifier(Float32Array.from(golden.inputs[0].data));
    return {
      device: classifier.device,
      fallbacks: classifier.fallbacks.map((f) => `${f.device}: ${f.reason}`),
      classIds: rows.map((r) => r.classId),
      probabilities: rows.flatMap((r) => Array.from(r.probabilities)),
    };
  } finally {
    await classifier.dispose();
  }
}

/** The WebGPU adapter Chromium offers (SwiftShader in headless CI), or null. */
async function adapter(): Promise<string | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info: Record<string, string> } | null> } }).gpu;
  const a = await gpu?.requestAdapter();
  return a ? `${a.info.vendor} ${a.info.architecture} ${a.info.description}`.trim() : null;
}

(globalThis as { harness?: unknown }).harness = { run, adapter, classify };
