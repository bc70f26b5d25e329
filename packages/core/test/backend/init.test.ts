/** initBackend / currentBackend: selection, idempotency, kernel registration, errors. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activate } from '../../src/backend/activate.js';
import { type BackendName, currentBackend, initBackend } from '../../src/backend/index.js';
import { loadNative } from '../../src/backend/native.js';
import { BackendError, OptionError } from '../../src/errors.js';
import { tf } from '../../src/tf.js';

const KERNELS = [
  'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput', 'BatchMatMul', '_FusedMatMul', 'UnsortedSegmentSum', 'Transpose',
];

describe('initBackend', () => {
  it('activates native by default where the addon is built (CI builds it), else wasm', async () => {
    const native = (await loadNative()).available;
    if (process.env.CI) expect(native).toBe(true);
    const expected = native ? 'native' : 'wasm';
    const notices: string[] = [];
    expect(await initBackend({ notice: (l) => notices.push(l) })).toBe(expected);
    expect(await initBackend({ notice: (l) => notices.push(l) })).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
    expect(currentBackend()).toBe(expected);
    expect(notices.length).toBe(native ? 0 : 1);
  });

  it('falls back to wasm with one notice line when the addon is off (a fresh process, dist build)', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `import { initBackend } from ${JSON.stringify(dist)};
      console.log(JSON.stringify([await initBackend(), await initBackend()]));`;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const off = run({ NEUROZOO_NATIVE: '0' });
    expect(off.status).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual(['wasm', 'wasm']);
    // Exactly one line, saying why and what happens instead.
    expect(off.stderr.trim().split('\n')).toEqual([
      'neurozoo: the native backend is unavailable (disabled by NEUROZOO_NATIVE=0); training on wasm, several times slower.',
    ]);
    if (process.env.CI) {
      const on = run({});
      expect(JSON.parse(on.stdout)).toEqual(['native', 'native']);
      expect(on.stderr).toBe('');
    }
  });

  it('activates wasm on request and registers the training kernels once', async () => {
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    const funcs = KERNELS.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc);
    expect(funcs.every((f) => typeof f === 'function')).toBe(true);
    // Idempotent, also when called concurrently: the same kernels, nothing wrapped twice.
    expect(await Promise.all([initBackend({ backend: 'wasm' }), initBackend({ backend: 'wasm' })])).toEqual(['wasm', 'wasm']);
    expect(KERNELS.map((k) => tf.getKernel(k, 'wasm').kernelFunc)).toEqual(funcs);
  });

  it('switches to cpu on request and back', async () => {
    expect(await initBackend({ backend: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
  });

  it('trains a conv layer on wasm (fails without the added kernels)', async () => {
    await initBackend({ backend: 'wasm' });
    const grads = tf.tidy(() => {
      const x = tf.ones([1, 5, 5, 2]) as tf.Tensor4D;
      return tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')))(
        [x, tf.ones([3, 3, 2, 1])],
      ).map((g) => g.shape);
    });
    expect(grads).toEqual([[1, 5, 5, 2], [3, 3, 2, 1]]);
  });

  it('rejects an unknown backend name with an OptionError naming the valid ones', async () => {
    const err = await initBackend({ backend: 'webgl' as BackendName }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).code).toBe('E_OPTION');
    expect((err as Error).message).toBe(`Unknown backend "webgl": expected one of 'native', 'wasm', 'cpu'.`);
  });
});

describe('activate', () => {
  it('throws a BackendError when a backend fails to initialise', async () => {
    tf.registerBackend('neurozoo-broken', () => {
      throw new Error('no accelerator here');
    });
    try {
      const err = await activate('neurozoo-broken', ' Try cpu.').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as Error).message).toBe(
        "The tfjs backend 'neurozoo-broken' failed to initialise (tf.setBackend returned false; tfjs logged the cause above). Try cpu.",
      );
    } finally {
      tf.removeBackend('neurozoo-broken');
    }
  });

  it('throws a BackendError for a backend that is not registered', async () => {
    const err = await activate('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toBe("The tfjs backend 'nope' is not registered.");
  });

  it('currentBackend is null for a backend neurozoo does not set up', async () => {
    tf.registerBackend('neurozoo-other', () => tf.findBackend('cpu') as tf.KernelBackend);
    try {
      await activate('neurozoo-other');
      expect(currentBackend()).toBeNull();
    } finally {
      await initBackend();
      tf.removeBackend('neurozoo-other');
    }
  });
});

describe('native backend', () => {
  it('is unavailable with a clear error without the addon, and matches cpu gradients with it', async () => {
    const addon = await loadNative();
    // CI builds the addon (g++ is on every machine of this kind): there it must load.
    if (process.env.CI) expect(addon).toEqual({ available: true });
    if (!addon.available) {
      await expect(initBackend({ backend: 'native' })).rejects.toThrow(BackendError);
      return;
    }
    const run = async (backend: BackendName) => {
      await initBackend({ backend });
      return tf.tidy(() => {
        const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
        const w = tf.tensor2d([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, v as tf.Tensor2D))))(w);
        return Array.from(g.dataSync());
      });
    };
    const native = await run('native');
    const cpu = await run('cpu');
    native.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 5));
    expect(currentBackend()).toBe('cpu');
  });
});
