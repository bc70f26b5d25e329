import { readFileSync } from 'node:fs';
import { createSession, type TensorLike, type ZooSession } from '@neurozoo/core/runtime';
import { choice, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { readOnnxFile } from './info.js';

export const runOptions: OptionSpecs = {
  ep: { type: 'string', description: 'execution provider: cpu (default), cuda or wasm (onnxruntime-web)' },
  input: { type: 'string', description: 'JSON file: {"<input>": {"data": [...], "dims": [...]}} or one {"data", "dims"}' },
  repeat: { type: 'string', description: 'timed runs after one warm-up (default 10)' },
};

/** Feeds from --input, or random values in [0, 1) with batch 1 for every dynamic dimension. */
function feedsFor(session: ZooSession, inputPath?: string): Record<string, TensorLike> {
  if (inputPath) {
    const json = JSON.parse(readFileSync(inputPath, 'utf8'));
    return 'data' in json && 'dims' in json ? { [session.inputs[0].name]: json } : json;
  }
  return Object.fromEntries(session.inputs.map((input) => {
    const dims = (input.dims ?? [1]).map((d) => (typeof d === 'number' ? d : 1));
    const size = dims.reduce((a, b) => a * b, 1);
    return [input.name, { data: Float32Array.from({ length: size }, () => Math.random()), dims }];
  }));
}

/** `neurozoo run <model.onnx>`: run once on random or given inputs; print outputs, provider and latency. */
export async function run(argv: string[], log: (line: string) => void) {
  const { values, positionals } = parse('run', argv, runOptions, ['model.onnx']);
  if (positionals.length === 0) throw new UsageError('run needs a model.onnx path');
  const ep = choice('execution provider', (values.ep as string | undefined) ?? 'cpu', ['cpu', 'cuda', 'wasm'] as const);
  const repeat = Number(values.repeat ?? 10);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat expects an integer >= 1, got '${values.repeat}'`);
  const session = await createSession(readOnnxFile(positionals[0]), { devices: [ep] });
  try {
    const feeds = feedsFor(session, values.input as string | undefined);
    const outputs = await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const latencyMs = times[Math.floor(times.length / 2)];
    for (const [name, t] of Object.entries(outputs)) {
      const head = Array.from(t.data as ArrayLike<number>).slice(0, 10).map((v) => Number(v).toPrecision(5));
      log(`${name}: ${t.type} [${t.dims.join(', ')}] ${head.join(' ')}${t.data.length > 10 ? ' ...' : ''}`);
    }
    log(`provider ${session.provider}, median latency ${latencyMs.toFixed(3)} ms over ${repeat} runs`);
    return { outputs, provider: session.provider, latencyMs };
  } finally {
    await session.release();
  }
}
