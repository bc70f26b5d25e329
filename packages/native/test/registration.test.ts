/** What registerNativeBackend registers: the 'native' backend, its replaced kernels, the thread pool size. */
import { afterAll, describe, expect, it } from 'vitest';
import { ADAM_KERNEL, NATIVE_BACKEND, NATIVE_KERNELS, setNativeThreads } from '../src/index.js';
import { status, tf } from './helpers.js';

describe('registerNativeBackend (the addon is built: scripts and CI build it before testing)', () => {
  afterAll(() => setNativeThreads(0));

  it("registers 'native' with every NATIVE_KERNELS entry replaced by the addon's kernel", () => {
    expect(NATIVE_BACKEND).toBe('native');
    expect(tf.findBackendFactory(NATIVE_BACKEND)).not.toBeNull();
    expect(status).toMatchObject({ available: true, kernel: expect.stringMatching(/^(avx2-fma|scalar)$/) });
    expect(NATIVE_KERNELS).toContain(ADAM_KERNEL);
    const replaced = NATIVE_KERNELS.filter((name) => {
      const native = tf.getKernel(name, NATIVE_BACKEND);
      return native !== undefined && native.kernelFunc !== tf.getKernel(name, 'cpu')?.kernelFunc;
    });
    expect(replaced).toEqual([...NATIVE_KERNELS]);
    // a kernel this package does not replace is the cpu backend's own
    expect(tf.getKernel('ArgMax', NATIVE_BACKEND)?.kernelFunc).toBe(tf.getKernel('ArgMax', 'cpu')?.kernelFunc);
  });

  it('setNativeThreads sets the pool size and returns it; 0 restores the default', () => {
    expect(setNativeThreads(1)).toBe(1);
    expect(setNativeThreads(3)).toBe(3);
    expect(setNativeThreads(0)).toBe(status.threads);
  });
});
