// node scripts/bench.mjs [seconds]: benchRbm() beside the PyTorch and scikit-learn peers, in one run.
import { initBackend } from '@neurozoo/core';
import { benchRbm } from '@neurozoo/rbm-dbn';

const peers = new URL('../../../../shared/peers/', import.meta.url).pathname;
for (const backend of ['wasm', 'native']) {
  try {
    await initBackend({ backend });
  } catch (e) {
    console.log(JSON.stringify({ backend, error: e.message }));
    continue;
  }
  const withPeers = backend === 'wasm' ? { torch: `${peers}bench_rbm_torch.py`, sklearn: `${peers}bench_rbm_sklearn.py` } : undefined;
  console.log(JSON.stringify(await benchRbm({ seconds: Number(process.argv[2] ?? 4), peers: withPeers })));
}
