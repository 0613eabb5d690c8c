import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { buildClient, clientBuildIsStale } from '../../server/http/client.ts';

const chromiumPaths = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * What a browser workload needs before its server starts: the client built
 * (with its .br and .gz files) when its sources are newer than the build,
 * and the system Chromium, launched headless.
 */
export async function launchBenchBrowser(log: (line: string) => void, workload: string): Promise<Browser> {
  const executablePath = chromiumPaths.find((p): p is string => !!p && existsSync(p));
  if (!executablePath) throw new Error('no Chromium found (set CHROMIUM_PATH or apt-get install chromium)');
  if (clientBuildIsStale()) {
    log(`${workload}: building the client`);
    await buildClient();
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
