/* eslint-disable no-console */
/**
 * Browser step of the live updates (issue "live state", part "pushed to the
 * browser"): with python-api-base's GitOps tab open, dev is changed behind
 * the portal's back: the image updater commits a new `image.tag` to dev's
 * values file in the GitOps repository, the emulator's Argo CD reconciles
 * (as after a git webhook) and auto-syncs, and the dev card shows the new
 * version without a reload, well before the fallback poll (30 s) could have
 * fetched it. Then the commit is undone the same way and the card follows
 * again. (A Helm parameter override would not do: Git would still say the old
 * tag, and the tab rightly calls that version ambiguous.)
 *
 * What proves it is pushed: the page is not reloaded (a marker on `window`
 * survives), no GET …/environments leaves the page between the commit and
 * the first signal message on `gitops:entity:<ref>` (so nothing polled), and
 * the card updates within {@link PUSH_DEADLINE_MS}.
 *
 * Figures printed (ms from the commit): the first signal message in Chromium
 * (recorded by an init script wrapping WebSocket), the backend's `observedAt`
 * and `sentAt` of that message, and the new version rendered.
 * Screenshot: 01d-live-update.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Page } from 'playwright-core';
import type { Stack } from '../stack';

const ENTITY_REF = 'component:default/python-api-base';
const VALUES = 'apps/python-api-base-dev/values.yaml';
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

/** Dev's `image.tag` in the GitOps repository. */
function gitTag(stack: Stack): string {
  const text = fs.readFileSync(path.join(stack.local.repoDir, VALUES), 'utf8');
  const m = /^\s+tag:\s*(\S+)\s*$/m.exec(text);
  if (!m) throw new Error(`no image tag in ${VALUES}`);
  return m[1];
}

/** Commits dev's new `image.tag` as the image updater would, then lets Argo CD reconcile (a git webhook). */
async function commitImageTag(stack: Stack, tag: string) {
  const file = path.join(stack.local.repoDir, VALUES);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/^(\s+tag:\s*)\S+\s*$/m, `$1${tag}`));
  execFileSync(
    'git',
    [
      '-c',
      'user.name=updater',
      '-c',
      'user.email=updater@example.org',
      'commit',
      '--quiet',
      '-m',
      `build: automatic update of python-api-base-dev to ${tag}`,
      '--',
      VALUES,
    ],
    { cwd: stack.local.repoDir },
  );
  await stack.local.reconcile();
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
  const original = gitTag(stack);
  if (original !== before)
    throw new Error(`dev shows ${before} but Git says ${original}`);

  try {
    const figures: string[] = [];
    for (const [label, expected] of [
      ['change', NEW_TAG],
      ['undo', original],
    ] as const) {
      const t0 = Date.now();
      await commitImageTag(stack, expected);
      const renderedMs = await untilDevShows(page, expected, t0).catch(
        async e => {
          throw new Error(
            `${label}: dev did not show ${expected} within ${PUSH_DEADLINE_MS} ms of the commit (it shows ${await devVersion(
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
      // a refetch right after t0 may still answer an earlier message; any other one would be a poll
      const answersSignal = (t: number) =>
        signals.some(
          s => s.channel === CHANNEL && s.at <= t && t - s.at < 1000,
        );
      const polled = envRequests.filter(
        t => t >= t0 && t < first.at && !answersSignal(t),
      );
      if (polled.length)
        throw new Error(
          `${label}: ${polled.length} GET …/environments left the page before the first signal after the commit, with no signal before them: a poll, not a push`,
        );
      figures.push(
        `${label}: signal in Chromium ${
          first.at - t0
        } ms after the commit (backend observed it at +${
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
    if (gitTag(stack) !== original) await commitImageTag(stack, original);
  }
}
