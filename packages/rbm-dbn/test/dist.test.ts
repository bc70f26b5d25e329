import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

// The published bundle, not the sources: a bundler honouring "sideEffects" once dropped the
// converter registration (a bare side-effect import), so exports failed only from dist.
describe('built package', () => {
  it('dist registers the RbmHidden converter: the RBM transform exports from the bundle', async () => {
    const core = await import('@neurozoo/core');
    const pkg = await import(dist('index.js'));
    await core.initBackend({ backend: 'wasm' });
    const rbm = new pkg.RBM({ visible: 6, hidden: 3 });
    const bytes: Uint8Array = await pkg.exportRbmTransform(rbm);
    expect(bytes.length).toBeGreaterThan(50);
    expect(pkg.architectures.map((a: { name: string }) => a.name)).toEqual(['rbm', 'dbn']);
    rbm.dispose();
  });
});
