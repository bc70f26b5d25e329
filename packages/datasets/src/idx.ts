/** Reader of the IDX format of MNIST-style files (optionally gzipped). */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dataError } from './errors.js';

/** A parsed IDX file of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses IDX bytes (magic `0x0000 08 <rank>`, big-endian uint32 sizes, then uint8 data). */
export function parseIdx(bytes: Uint8Array, label = 'IDX data'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw dataError(`${label} is not an IDX file: it does not start with two zero bytes`);
  }
  if (bytes[2] !== 0x08) throw dataError(`${label} holds IDX type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are supported`);
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw dataError(`${label} is truncated inside its header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, d) => a * d, 1);
  if (bytes.length !== header + size) {
    throw dataError(`${label} should hold ${header + size} bytes for dims [${dims.join(', ')}] but has ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** Finds `name` or `name.gz` in `dir`; returns the path or undefined. */
export function findIdx(dir: string, name: string): string | undefined {
  for (const file of [`${dir}/${name}`, `${dir}/${name}.gz`]) if (existsSync(file)) return file;
  return undefined;
}

/** Reads and parses an IDX file, gunzipping `.gz` files. */
export function readIdx(path: string): IdxArray {
  const raw = readFileSync(path);
  const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  return parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `File '${path}'`);
}
