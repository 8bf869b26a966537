// Debian's WebKitGTK (Safari's engine) through its own WebDriver (`WebKitWebDriver` under
// xvfb-run: MiniBrowser needs a display; `--headless` made session creation hang), behind the same
// BrowserSession the Chromium suites use. WebDriver classic has no Playwright page, so this adapts
// the calls the engine suites make: goto, reload, evaluate(fn, arg), waitForFunction, click, fill,
// setInputFiles, content, close, and
// `pageerror` (window `error`/`unhandledrejection` collected from the moment a page has loaded:
// classic WebDriver cannot run a script before the page's own, so an error thrown while the page
// loads shows as the page not becoming ready instead). Values cross as JSON, as WebDriver sends them.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import type { BrowserSession } from './chromium.js';

const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

type Reply = { value: any };

class Driver {
  constructor(
    private readonly base: string,
    readonly sessionId: string,
  ) {}

  static async start(base: string, features: string[]): Promise<Driver> {
    for (let i = 0; ; i++) {
      try {
        await fetch(`${base}/status`);
        break;
      } catch (error) {
        if (i > 150) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const args = ['--automation', ...(features.length ? [`--features=${features.join(',')}`] : [])];
    const capabilities = { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args } } };
    const created = await Driver.send(base, 'POST', '/session', { capabilities });
    const driver = new Driver(base, created.value.sessionId);
    // Engine work (a voice load, a synthesis) takes longer than WebDriver's 30 s default.
    await driver.call('POST', '/timeouts', { script: 600_000, pageLoad: 120_000 });
    return driver;
  }

  static async send(base: string, method: string, path: string, body?: unknown): Promise<Reply> {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const reply = (await response.json()) as Reply;
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${reply.value?.error}: ${reply.value?.message}`);
    return reply;
  }

  call(method: string, path: string, body?: unknown): Promise<Reply> {
    return Driver.send(this.base, method, `/session/${this.sessionId}${path}`, body);
  }
}

// Runs `fn(arg)` in the page (its source is part of the script: no eval, whatever the page's
// CSP); settles with its value or its error's name, code and message, and hands back the page
// errors collected since the last call.
const evaluateScript = (source: string) => `
const fn = (${source});
const arg = arguments[0];
const done = arguments[arguments.length - 1];
const errors = () => (window.__avPageErrors ?? []).splice(0);
Promise.resolve()
  .then(() => fn(arg))
  .then(
    (value) => done({ ok: true, value: value === undefined ? null : value, errors: errors() }),
    (e) => done({ ok: false, error: { name: e?.name, code: e?.code, message: e?.message ?? String(e) }, errors: errors() }),
  );`;

const COLLECT_ERRORS = `
if (!window.__avPageErrors) {
  window.__avPageErrors = [];
  addEventListener('error', (e) => window.__avPageErrors.push(e.message));
  addEventListener('unhandledrejection', (e) => window.__avPageErrors.push(String(e.reason?.message ?? e.reason)));
}`;

class WebKitPage {
  private readonly errorHandlers: Array<(e: Error) => void> = [];

  constructor(
    private readonly driver: Driver,
    private readonly handle: string,
  ) {}

  on(event: string, handler: (e: Error) => void): this {
    if (event === 'pageerror') this.errorHandlers.push(handler);
    return this;
  }

  private async focus(): Promise<void> {
    await this.driver.call('POST', '/window', { handle: this.handle });
  }

  async goto(url: string): Promise<null> {
    await this.focus();
    await this.driver.call('POST', '/url', { url });
    await this.driver.call('POST', '/execute/sync', { script: COLLECT_ERRORS, args: [] });
    return null;
  }

  async reload(): Promise<null> {
    await this.focus();
    await this.driver.call('POST', '/refresh', {});
    await this.driver.call('POST', '/execute/sync', { script: COLLECT_ERRORS, args: [] });
    return null;
  }

  async evaluate<R, A>(fn: ((arg: A) => R) | string, arg?: A): Promise<R> {
    await this.focus();
    const source = typeof fn === 'string' ? `() => (${fn})` : fn.toString();
    const reply = await this.driver.call('POST', '/execute/async', { script: evaluateScript(source), args: [arg ?? null] });
    const result = reply.value as { ok: boolean; value: R; error?: { name?: string; code?: string; message: string }; errors: string[] };
    for (const message of result.errors ?? []) for (const h of this.errorHandlers) h(new Error(message));
    if (!result.ok) {
      const error = new Error(result.error?.message) as Error & { code?: string };
      if (result.error?.name) error.name = result.error.name;
      if (result.error?.code) error.code = result.error.code;
      throw error;
    }
    return result.value;
  }

  /**
   * A real click on the first element matching `selector` (WebDriver Element Click: the browser
   * dispatches it as the user's input, so it carries a user gesture, e.g. for audio).
   */
  async click(selector: string): Promise<void> {
    const id = await this.find(selector);
    await this.driver.call('POST', `/element/${id}/click`, {});
  }

  private async find(selector: string): Promise<string> {
    await this.focus();
    const found = await this.driver.call('POST', '/element', { using: 'css selector', value: selector });
    return Object.values(found.value as Record<string, string>)[0]!;
  }

  /** Types `text` into a field as keystrokes (WebDriver Element Clear + Send Keys). */
  async fill(selector: string, text: string): Promise<void> {
    const id = await this.find(selector);
    await this.driver.call('POST', `/element/${id}/clear`, {});
    await this.driver.call('POST', `/element/${id}/value`, { text });
  }

  /** Chooses files in an `<input type=file>` (Send Keys with their paths, one per line). */
  async setInputFiles(selector: string, files: string[]): Promise<void> {
    const id = await this.find(selector);
    await this.driver.call('POST', `/element/${id}/value`, { text: files.map((f) => resolve(f)).join('\n') });
  }

  async content(): Promise<string> {
    await this.focus();
    return (await this.driver.call('GET', '/source')).value as string;
  }

  async waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options: { timeout?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeout ?? 30_000);
    for (;;) {
      if (await this.evaluate(fn, arg)) return;
      if (Date.now() > deadline) throw new Error(`waitForFunction timed out after ${options.timeout ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await this.focus();
    await this.driver.call('DELETE', '/window');
  }
}

/**
 * What differs from WebKitGTK as Debian ships it, to check what Safari does: `features`, runtime
 * feature flags (`+StorageAPI`, `+FileSystem`: OPFS, off in the GTK port); `sharedArrayBuffer`,
 * JSC's own switch (Safari turns it on for cross-origin isolated pages, the GTK port does not).
 */
export interface WebKitOptions {
  features?: string[];
  sharedArrayBuffer?: boolean;
}

export async function openWebKit(options: WebKitOptions = {}): Promise<BrowserSession> {
  const server = await startServer({ port: 0 });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // Its own process group: closing kills xvfb, the driver and MiniBrowser together.
  const env = { ...process.env, ...(options.sharedArrayBuffer ? { JSC_useSharedArrayBuffer: '1' } : {}) };
  const process_: ChildProcess = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true, env });
  const kill = () => {
    try {
      process.kill(-process_.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  let driver: Driver;
  try {
    driver = await Driver.start(`http://127.0.0.1:${port}`, options.features ?? []);
  } catch (error) {
    kill();
    await server.close();
    throw error;
  }
  let first: string | null = (await driver.call('GET', '/window')).value;
  const context = {
    async newPage() {
      // The session's first window serves the first page; later pages get windows of their own.
      const handle = first ?? (await driver.call('POST', '/window/new', { type: 'tab' })).value.handle;
      first = null;
      return new WebKitPage(driver, handle) as unknown as Page;
    },
  } as unknown as BrowserContext;
  return {
    context,
    baseUrl: server.url,
    userDataDir: '',
    async close() {
      await driver.call('DELETE', '').catch(() => undefined);
      kill();
      await server.close();
    },
  };
}
