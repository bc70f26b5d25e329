// Runs benchLstm for LSTM and BiLSTM and the PyTorch peer in the same run; prints JSON lines.
import { execFileSync } from 'node:child_process';
import { initBackend } from '@neurozoo/core';
import { benchLstm } from '../dist/index.js';

await initBackend(process.env.BACKEND ? { backend: process.env.BACKEND } : {});
const peer = '/work/shared/peers/bench_lstm.py';
for (const bidirectional of [false, true]) {
  const ours = await benchLstm({ bidirectional, seconds: Number(process.env.SECONDS_BUDGET ?? 4) });
  let torch = null;
  try {
    const out = execFileSync('/usr/bin/python3', [peer, ...(bidirectional ? ['--bidirectional'] : [])], { cwd: '/work/shared/peers', encoding: 'utf8' });
    torch = JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    torch = { error: String(e.message).split('\n')[0] };
  }
  const ratio = torch?.samples_per_s ? torch.samples_per_s / ours.samplesPerSecond : null;
  console.log(JSON.stringify({ ...ours, torchSamplesPerSecond: torch?.samples_per_s ?? null, torchOverTfjs: ratio, torch }));
}
