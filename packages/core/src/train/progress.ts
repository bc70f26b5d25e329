import type { Callback, Logs } from './callbacks.js';

/** True when progress output is wanted: a TTY, and not CI. */
export function isInteractive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

const formatLogs = (logs: Logs) =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${k === 'lr' ? v.toExponential(2) : v.toFixed(4)}`)
    .join('  ');

const formatSeconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`);

/**
 * A progress bar for {@link fit}: epoch, batch bar, running loss and metrics, ETA. It
 * redraws one line at most every 100 ms, and prints one summary line per epoch.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 24): Callback {
  let epochStart = 0;
  let lastDraw = 0;
  let current = 0;
  return {
    onEpochBegin(epoch) {
      current = epoch;
      epochStart = performance.now();
      lastDraw = 0;
    },
    onBatchEnd(batch, logs, ctx) {
      const now = performance.now();
      const done = batch + 1;
      if (now - lastDraw < 100 && done < ctx.batchesPerEpoch) return;
      lastDraw = now;
      const filled = Math.round((done / ctx.batchesPerEpoch) * width);
      const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(width - filled);
      const elapsed = (now - epochStart) / 1000;
      const eta = (elapsed / done) * (ctx.batchesPerEpoch - done);
      stream.write(`\r\x1b[2KEpoch ${current + 1}/${ctx.epochs} [${bar}] ${done}/${ctx.batchesPerEpoch}  ${formatLogs(logs)}  ETA ${formatSeconds(eta)}`);
    },
    onEpochEnd(epoch, logs, ctx) {
      const seconds = (performance.now() - epochStart) / 1000;
      stream.write(`\r\x1b[2KEpoch ${epoch + 1}/${ctx.epochs}  ${formatSeconds(seconds)}  ${formatLogs(logs)}\n`);
    },
  };
}
