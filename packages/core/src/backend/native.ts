/**
 * Loads the optional `@neurozoo/native` accelerator (a C++ addon that registers the
 * 'native' backend: tfjs's cpu backend with native GEMM, conv and Adam kernels). Core
 * does not depend on it: the import is dynamic, and any failure (package absent, addon
 * not built, browser) only means the 'native' backend is unavailable.
 */
import { tf } from '../tf.js';

/** What loading the accelerator gave. */
export interface NativeAvailability {
  available: boolean;
  /** Why it is unavailable (absent when available). */
  reason?: string;
}

let loading: Promise<NativeAvailability> | undefined;

async function load(): Promise<NativeAvailability> {
  if (typeof process === 'undefined' || process.versions?.node === undefined) {
    return { available: false, reason: 'not running in Node' };
  }
  // A variable specifier keeps bundlers (browser builds) from trying to resolve it.
  const specifier = '@neurozoo/native';
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as {
      registerNativeBackend(t: typeof tf): { available: boolean; reason?: string };
    };
    const status = mod.registerNativeBackend(tf);
    return status.available ? { available: true } : { available: false, reason: status.reason };
  } catch (err) {
    return { available: false, reason: `@neurozoo/native is not installed (${(err as Error).message.split('\n')[0]})` };
  }
}

/** Loads the accelerator once per process; concurrent callers share the attempt. */
export function loadNative(): Promise<NativeAvailability> {
  loading ??= load();
  return loading;
}
