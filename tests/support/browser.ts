/**
 * Headless Chromium for browser tests: Debian's build at /usr/bin/chromium driven by
 * playwright-core, with software WebGL (SwiftShader) so MapLibre really renders without a GPU.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const OUTPUT_DIR = fileURLToPath(new URL('../output/', import.meta.url));

/**
 * The tests' Chromium. With `gpuCompositing` (benches only) the page is composited by the GPU
 * process over SwiftShader as on a machine with a GPU, instead of in software: a software
 * compositor reads the map's WebGL canvas back on the page's main thread after every repaint.
 */
export async function launchChromium(options: { gpuCompositing?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run .ci/run or apt-get install chromium`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const gpu = options.gpuCompositing ? ['--use-angle=swiftshader'] : ['--disable-gpu'];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', ...gpu, '--enable-unsafe-swiftshader', '--disable-background-networking'],
  });
}

/** A browser context carrying a signed-in session's cookies (sessions.ts `signIn`) for `url`. */
export async function signedInContext(browser: Browser, url: string, cookie: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const split = pair.indexOf('=');
      return { name: pair.slice(0, split), value: pair.slice(split + 1), url };
    }),
  );
  return context;
}
