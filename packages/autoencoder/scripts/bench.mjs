// node scripts/bench.mjs [backend]: benchAutoencoder() beside PyTorch (../shared/peers) in the same run.
import { fileURLToPath } from 'node:url';
import { initBackend } from '@neurozoo/core';
import { benchAutoencoder } from '../dist/index.js';
await initBackend(process.argv[2] ? { backend: process.argv[2] } : {});
const peerScript = fileURLToPath(new URL('../../../../shared/peers/bench_autoencoder.py', import.meta.url));
console.log(JSON.stringify(await benchAutoencoder({ peerScript })));
