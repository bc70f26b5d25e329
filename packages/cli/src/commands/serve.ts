import type { Device } from '@neurozoo/core/runtime';
import { createServer } from '@neurozoo/core/serve';
import { choice, intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { readOnnxFile } from './info.js';

export const serveOptions: OptionSpecs = {
  port: { type: 'string', description: 'port (default 8080; 0 picks a free one)' },
  host: { type: 'string', description: 'interface (default 127.0.0.1; 0.0.0.0 to expose)' },
  'max-batch': { type: 'string', description: 'most rows per onnxruntime run (default 32; 1 turns batching off)' },
  'max-wait-ms': { type: 'string', description: 'how long a request waits to be batched (default 2)' },
  'max-body-bytes': { type: 'string', description: 'largest request body (default 4194304)' },
  ep: { type: 'string', description: 'devices in order: cuda,cpu (default), cuda or cpu' },
};

/** Parses `--ep cuda,cpu` into a device list. */
function devicesOf(value: string | boolean | undefined): Device[] {
  const list = String(value ?? 'cuda,cpu').split(',').map((d) => d.trim());
  if (list.length === 0 || list.some((d) => d === '')) throw new UsageError(`--ep expects devices separated by commas, got '${value}'`);
  return list.map((d) => choice('execution provider', d, ['cuda', 'cpu'] as const));
}

/**
 * `neurozoo serve <model.onnx>`: the HTTP inference server (POST /infer, GET /health, GET /metadata)
 * until SIGINT or SIGTERM. Resolves once the server has shut down.
 */
export async function serve(argv: string[], log: (line: string) => void) {
  const { values, positionals } = parse('serve', argv, serveOptions, ['model.onnx']);
  if (positionals.length === 0) throw new UsageError('serve needs a model.onnx path');
  const port = intOption('port', values.port, 8080, 0);
  if (port > 65535) throw new UsageError(`--port expects an integer in [0, 65535], got '${values.port}'`);
  const options = {
    port,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    maxBatch: intOption('max-batch', values['max-batch'], 32),
    maxWaitMs: intOption('max-wait-ms', values['max-wait-ms'], 2, 0),
    maxBodyBytes: intOption('max-body-bytes', values['max-body-bytes'], 4 << 20),
    devices: devicesOf(values.ep),
  };
  const server = await createServer(readOnnxFile(positionals[0]), options);
  const { provider, fallbacks } = server.session;
  const skipped = fallbacks.map((f) => `; ${f.device} not used: ${f.reason}`).join('');
  const batching = server.batcher.notBatchable ? `off (${server.batcher.notBatchable})` : `up to ${options.maxBatch} rows, wait ${options.maxWaitMs} ms`;
  log(`serving ${positionals[0]} at ${server.url} on ${provider}${skipped}`);
  log(`batching ${batching}; POST ${server.url}/infer, GET /health, GET /metadata; Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      log(`${signal}: shutting down`);
      server.close().then(resolve, resolve);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
  return { url: server.url, provider };
}
