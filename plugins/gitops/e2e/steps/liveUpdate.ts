/* eslint-disable no-console */
/**
 * Browser step of the live updates (issue "live state", part "pushed to the
 * browser"): with python-api-base's GitOps tab open, the dev application is
 * changed in the Argo CD emulator directly (a Helm parameter `image.tag`, as
 * an operator or another tool would; dev auto-syncs), and the dev card shows
 * the new version without a reload, well before the fallback poll (30 s)
 * could have fetched it. Then the change is undone the same way and the card
 * follows again.
 *
 * What proves it is pushed: the page is not reloaded (a marker on `window`
 * survives), no GET …/environments leaves the page between the change and
 * the first signal message on `gitops:entity:<ref>` (so nothing polled), and
 * the card updates within {@link PUSH_DEADLINE_MS}.
 *
 * Figures printed (ms from the emulator PATCH): the first signal message in
 * Chromium (recorded by an init script wrapping WebSocket), the backend's
 * `observedAt` of that message, and the new version rendered.
 * Screenshot: 01d-live-update.
 */
import path from 'node:path';
import { Page } from 'playwright-core';
import type { Stack } from '../stack';

const ENTITY_REF = 'component:default/python-api-base';
const APP = 'python-api-base-dev';
const CHANNEL = `gitops:entity:${ENTITY_REF}`;
/** Built and healthy in the emulator (not an unbuilt or broken tag), dev's tag pattern. */
const NEW_TAG = 'v1.2.0-dev.4';
/** The fallback poll is 30 s; a pushed update must be far quicker than that. */
export const PUSH_DEADLINE_MS = 10_000;

interface RecordedSignal {
  channel: string;
  at: number;
  observedAt?: number;
  sentAt?: number;
}

declare global {
  interface Window {
    __gitopsSignals?: RecordedSignal[];
    __gitopsSubscribed?: string[];
    __liveUpdateMarker?: string;
  }
}

/**
 * Records every GitOps signal message when it reaches the page (before the
 * app handles it), and the channels the app subscribes to. Plain script text:
 * it runs in Chromium as written (no transpiler helpers).
 */
const RECORD_SIGNALS = `(() => {
  const Native = window.WebSocket;
  window.__gitopsSignals = [];
  window.__gitopsSubscribed = [];
  class Recording extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', e => {
        try {
          const m = JSON.parse(String(e.data));
          if (typeof m.channel === 'string' && m.channel.indexOf('gitops:') === 0)
            window.__gitopsSignals.push({
              channel: m.channel,
              at: Date.now(),
              observedAt: m.message && m.message.observedAt,
              sentAt: m.message && m.message.sentAt,
            });
        } catch (err) {
          // not JSON: not ours
        }
      });
    }
    send(data) {
      try {
        const m = JSON.parse(String(data));
        if (m.action === 'subscribe' && this.readyState === 1)
          window.__gitopsSubscribed.push(m.channel);
      } catch (err) {
        // not JSON
      }
      return super.send(data);
    }
  }
  window.WebSocket = Recording;
})();`;

async function argo(stack: Stack, method: string, p: string, body?: unknown) {
  const r = await fetch(`${stack.local.url}${p}`, {
    method,
    headers: {
      Authorization: `Bearer ${stack.local.token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Sets (or, with `undefined`, removes) dev's Helm parameter image.tag through the Argo CD API. */
async function setImageTag(
  stack: Stack,
  original: Array<{ name: string; value: string }> | undefined,
  tag: string | undefined,
) {
  const others = (original ?? []).filter(p => p.name !== 'image.tag');
  const parameters =
    tag === undefined
      ? original ?? null
      : [...others, { name: 'image.tag', value: tag, forceString: true }];
  await argo(stack, 'PATCH', `/api/v1/applications/${APP}`, {
    patchType: 'merge',
    patch: JSON.stringify({ spec: { source: { helm: { parameters } } } }),
  });
}

const devVersion = async (page: Page) =>
  (await page.locator('[data-testid="env-version-dev"]').textContent())?.trim();

/** Waits until dev shows `version`; returns ms since `t0`. Throws after the deadline. */
async function untilDevShows(page: Page, version: string, t0: number) {
  await page.waitForFunction(
    v => {
      const el = document.querySelector('[data-testid="env-version-dev"]');
      return !!el && (el.textContent || '').trim() === v;
    },
    version,
    { timeout: PUSH_DEADLINE_MS, polling: 'raf' },
  );
  return Date.now() - t0;
}

export async function liveUpdate(o: {
  page: Page;
  stack: Stack;
  artifacts: string;
  log: (s: string) => void;
}) {
  const { page, stack } = o;
  // the recorder must be there before the app opens its signals socket
  await page.addInitScript({ content: RECORD_SIGNALS });
  await page.goto(
    `${stack.baseUrl}/catalog/default/component/python-api-base/gitops`,
  );
  await page.locator('[data-testid="env-version-dev"]').waitFor();
  const before = await devVersion(page);
  if (!before || before === NEW_TAG)
    throw new Error(`dev shows ${before}; expected another version first`);
  // the tab has sent its subscription on an open socket
  await page.waitForFunction(
    ch => (window.__gitopsSubscribed || []).indexOf(ch) >= 0,
    CHANNEL,
  );
  await page.evaluate(() => {
    window.__liveUpdateMarker = 'no reload';
  });
  const envRequests: number[] = [];
  const onRequest = (r: { url(): string }) => {
    if (/\/api\/gitops\/entities\/.*\/environments$/.test(r.url()))
      envRequests.push(Date.now());
  };
  page.on('request', onRequest);
  const app = await argo(stack, 'GET', `/api/v1/applications/${APP}`);
  const original = app.spec?.source?.helm?.parameters as
    | Array<{ name: string; value: string }>
    | undefined;

  try {
    const figures: string[] = [];
    for (const [label, tag, expected] of [
      ['change', NEW_TAG, NEW_TAG],
      ['undo', undefined, before],
    ] as const) {
      const t0 = Date.now();
      await setImageTag(stack, original, tag);
      const renderedMs = await untilDevShows(page, expected, t0).catch(
        async e => {
          throw new Error(
            `${label}: dev did not show ${expected} within ${PUSH_DEADLINE_MS} ms of the Argo CD change (it shows ${await devVersion(
              page,
            )}): ${(e as Error).message.split('\n')[0]}`,
          );
        },
      );
      const signals = (await page.evaluate(
        () => window.__gitopsSignals || [],
      )) as RecordedSignal[];
      const first = signals.find(s => s.channel === CHANNEL && s.at >= t0);
      if (!first)
        throw new Error(
          `${label}: the card updated but no signal on ${CHANNEL} reached the page`,
        );
      const polled = envRequests.filter(t => t >= t0 && t < first.at);
      if (polled.length)
        throw new Error(
          `${label}: ${polled.length} GET …/environments left the page before the first signal: a poll, not a push`,
        );
      figures.push(
        `${label}: signal in Chromium ${
          first.at - t0
        } ms after the Argo CD change (backend observed it at +${
          (first.observedAt ?? NaN) - t0
        } ms, sent at +${
          (first.sentAt ?? NaN) - t0
        } ms); ${expected} rendered at ${renderedMs} ms; ${
          signals.filter(s => s.channel === CHANNEL && s.at >= t0).length
        } message(s)`,
      );
      if (label === 'change')
        await page.screenshot({
          path: path.join(o.artifacts, '01d-live-update.png'),
          fullPage: true,
        });
    }
    const marker = await page.evaluate(() => window.__liveUpdateMarker);
    if (marker !== 'no reload')
      throw new Error('the page was reloaded during the live update');
    for (const f of figures) o.log(`live update: ${f}`);
  } finally {
    page.off('request', onRequest);
    // leave dev as it was, whatever happened
    const now = await argo(stack, 'GET', `/api/v1/applications/${APP}`);
    const params = now.spec?.source?.helm?.parameters as
      | Array<{ name: string; value: string }>
      | undefined;
    if (params?.some(p => p.name === 'image.tag' && p.value === NEW_TAG))
      await setImageTag(stack, original, undefined);
  }
}
