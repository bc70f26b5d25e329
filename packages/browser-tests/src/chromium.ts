/** Debian's Chromium driven by playwright-core: never a downloaded browser. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** The command that installs it (scripts/system-deps.sh runs it in CI). */
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';
/** WebGPU on SwiftShader in headless Chromium, and no network traffic of its own. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A headless Chromium with a fresh profile; `close()` ends the browser and removes the profile. */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Throws, naming `apt-get install -y chromium`, when `executablePath` is not there. */
export function assertChromium(executablePath = CHROMIUM_PATH): void {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not installed (${executablePath} is missing); the browser tests need it: run \`${CHROMIUM_INSTALL}\``);
  }
}

/**
 * Launches Chromium (default {@link CHROMIUM_PATH}) headless with {@link CHROMIUM_ARGS} and a fresh user-data-dir.
 * @throws Error naming `apt-get install -y chromium` when the browser is not installed.
 */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Chromium> {
  assertChromium(executablePath);
  const profile = mkdtempSync(join(tmpdir(), 'neurozoo-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
