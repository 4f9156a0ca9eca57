/* eslint-disable no-console */
/**
 * Browser tests of the GitOps tab: Playwright (playwright-core) driving Debian's
 * Chromium against the app served by the backend and the Argo CD emulator, all
 * started here on free ports. Screenshots of every step go to artifacts/e2e/.
 * Prints one line per step, the measured figures, and `N passed, N failed`.
 *
 * Run: yarn workspace @internal/plugin-gitops e2e
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, BrowserContext, Page, Response } from 'playwright-core';
import { REPO_ROOT, Stack, buildApp, startStack } from './stack';
import { fleetPage } from './steps/fleet';
import { missingTagRefused } from './steps/registry';
import { qaSignsOffStaging } from './steps/verification';
import { liveUpdate } from './steps/liveUpdate';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts/e2e');
const CHROMIUM = process.env.GITOPS_E2E_CHROMIUM ?? '/usr/bin/chromium';
const ENTITY = 'python-api-base';
const AFTER_HOURS = 'python-api-base-after-hours';
/** examples/entities.yaml: registered by platform-team, claims team-a's python-api-base. */
const ROGUE = 'bob-tools';
const STEP_TIMEOUT = 120_000;

const log = (s: string) => console.log(`[e2e] ${s}`);
/** Removed after a green run; kept (with the backend log) for a look after a red one. */
const tempDirs: string[] = [];

interface Figures {
  timeToDataMs: number[];
  /** Duration of the GET …/overview request (the tab's one request) in each measurement. */
  overviewApiMs: number[];
  tabChunks: Array<{ url: string; bytes: number; gzip: number }>;
  appBuildSeconds: number;
  stackStartSeconds: number;
}

async function newUser(
  stack: Stack,
  user: string,
  figures: Figures,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const userDataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `gitops-e2e-chromium-${user}-`),
  );
  tempDirs.push(userDataDir);
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    timezoneId: 'Europe/Berlin',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  ctx.setDefaultTimeout(30_000);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', e => log(`${user}: page error: ${e.message}`));
  await page.goto(stack.baseUrl);
  await page.locator(`[data-testid="sign-in-as-${user}"]`).click();
  await page
    .locator('nav[aria-label="sidebar nav"]')
    .waitFor({ state: 'attached' });
  void figures;
  return { ctx, page };
}

/** Opens the entity page, then the GitOps tab; returns ms from the click to the data shown. */
async function openTab(
  page: Page,
  stack: Stack,
  entity: string,
  chunks?: Figures['tabChunks'],
  apiMs?: number[],
): Promise<number> {
  const url = `${stack.baseUrl}/catalog/default/component/${entity}`;
  const end = Date.now() + 90_000;
  for (;;) {
    await page.goto(url);
    const tab = page
      .getByRole('tab', { name: 'GitOps' })
      .or(page.getByRole('link', { name: 'GitOps', exact: true }));
    try {
      await tab.first().waitFor({ timeout: 10_000 });
      break;
    } catch (e) {
      // the catalog may still be ingesting the example entities
      if (Date.now() > end) throw e;
    }
  }
  // let the overview finish loading, so only what the tab needs is counted
  const idle = await page
    .waitForLoadState('networkidle', { timeout: 60_000 })
    .then(
      () => true,
      () => false,
    );
  if (chunks && !idle)
    log(
      'the overview did not reach network idle within 60 s; chunk figures may include overview chunks',
    );
  if (chunks) await shot(page, '00-overview-summary-card');
  const responses: Response[] = [];
  const onResponse = (r: Response) => {
    if (/\/static\/.*\.js$/.test(r.url())) responses.push(r);
  };
  page.on('response', onResponse);
  const envResponse = page
    .waitForResponse(
      r => /\/api\/gitops\/entities\/.*\/overview$/.test(r.url()),
      { timeout: 60_000 },
    )
    .catch(() => undefined);
  const t0 = Date.now();
  await page
    .getByRole('tab', { name: 'GitOps' })
    .or(page.getByRole('link', { name: 'GitOps', exact: true }))
    .first()
    .click();
  await page.locator('[data-testid="env-version-prod"]').waitFor();
  const ms = Date.now() - t0;
  page.off('response', onResponse);
  const envRes = await envResponse;
  if (envRes && apiMs) {
    const timing = envRes.request().timing();
    if (timing.responseEnd > 0)
      apiMs.push(
        Math.round(timing.responseEnd - Math.max(0, timing.requestStart)),
      );
  }
  if (chunks) {
    for (const r of responses) {
      const body = await r.body().catch(() => undefined);
      if (body)
        chunks.push({
          url: new URL(r.url()).pathname,
          bytes: body.length,
          gzip: zlib.gzipSync(body, { level: 9 }).length,
        });
    }
  }
  return ms;
}

const card = (page: Page, env: string) =>
  page.locator(`[data-testid="env-card-${env}"]`);
const versionOf = async (page: Page, env: string) =>
  (
    await page.locator(`[data-testid="env-version-${env}"]`).textContent()
  )?.trim();

async function waitUntil(
  what: string,
  page: Page,
  fn: () => Promise<boolean>,
  timeoutMs = STEP_TIMEOUT,
) {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await page.waitForTimeout(500);
  }
}

async function shot(page: Page, name: string) {
  await page.screenshot({
    path: path.join(ARTIFACTS, `${name}.png`),
    fullPage: true,
  });
}

/** Fills the change dialog, waits for the policy preview, returns the dialog. */
async function requestChange(
  page: Page,
  o: {
    button: string;
    cardEnv: string;
    version?: string;
    rollbackTo?: RegExp;
    reason: string;
    screenshot: string;
  },
) {
  await card(page, o.cardEnv)
    .getByRole('button', { name: o.button, exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  if (o.version) {
    const field = dialog.getByLabel('Version to run');
    await field.fill(o.version);
  }
  if (o.rollbackTo) {
    await dialog.getByRole('radio', { name: o.rollbackTo }).check();
  }
  await dialog.getByLabel('Reason', { exact: true }).fill(o.reason);
  await dialog
    .getByText(/^The policy (allows|does not allow) this change/)
    .waitFor();
  await shot(page, o.screenshot);
  const allowed = await dialog
    .getByText(/^The policy allows this change/)
    .count();
  if (!allowed) {
    const checks = await dialog
      .getByRole('list', { name: 'Policy checks' })
      .innerText();
    throw new Error(`the policy refused the change:\n${checks}`);
  }
  await dialog
    .getByRole('button', { name: /^Request (promotion|sync|rollback)$/ })
    .click();
  const detail = page.getByRole('dialog', { name: /in (prod|staging|dev)$/ });
  await detail.waitFor();
  return detail;
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}`);
  const figures: Figures = {
    timeToDataMs: [],
    overviewApiMs: [],
    tabChunks: [],
    appBuildSeconds: 0,
    stackStartSeconds: 0,
  };
  figures.appBuildSeconds = buildApp(log);
  const t0 = Date.now();
  const stack = await startStack(log);
  figures.stackStartSeconds = (Date.now() - t0) / 1000;
  log(`stack up in ${figures.stackStartSeconds.toFixed(0)} s`);

  const results: Array<{
    name: string;
    ok: boolean;
    error?: string;
    ms: number;
  }> = [];
  let alice: { ctx: BrowserContext; page: Page } | undefined;
  let bob: { ctx: BrowserContext; page: Page } | undefined;
  let stopAll = false;
  const step = async (name: string, fn: () => Promise<void>) => {
    const s = Date.now();
    if (stopAll) {
      results.push({
        name,
        ok: false,
        error: 'not run: an earlier step failed',
        ms: 0,
      });
      console.log(`✗ ${name} (not run)`);
      return;
    }
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - s });
      console.log(`✓ ${name} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
    } catch (e) {
      stopAll = true;
      const msg = (e as Error).stack ?? String(e);
      results.push({ name, ok: false, error: msg, ms: Date.now() - s });
      console.log(`✗ ${name}\n${msg}`);
      for (const [who, u] of [
        ['alice', alice],
        ['bob', bob],
      ] as const) {
        if (u) await shot(u.page, `failure-${who}`).catch(() => {});
      }
    }
  };

  let stagingFrom = '';
  try {
    await step(
      'alice signs in and opens the GitOps tab: dev → staging → prod cards with data',
      async () => {
        alice = await newUser(stack, 'alice', figures);
        figures.timeToDataMs.push(
          await openTab(
            alice.page,
            stack,
            ENTITY,
            figures.tabChunks,
            figures.overviewApiMs,
          ),
        );
        const regions = await alice.page
          .getByRole('region', { name: /^Environment / })
          .evaluateAll(els => els.map(e => e.getAttribute('aria-label')));
        if (
          regions.join() !==
          'Environment dev,Environment staging,Environment prod'
        )
          throw new Error(`cards: ${regions.join()}`);
        await waitUntil(
          'prod shows Healthy',
          alice.page,
          async () =>
            (await card(alice!.page, 'prod')
              .getByLabel('Health: Healthy')
              .count()) > 0,
        );
        stagingFrom = (await versionOf(alice.page, 'staging')) ?? '';
        await shot(alice.page, '01-tab');
        // more measurements with warm caches
        for (let i = 0; i < 3; i++) {
          figures.timeToDataMs.push(
            await openTab(
              alice.page,
              stack,
              ENTITY,
              undefined,
              figures.overviewApiMs,
            ),
          );
        }
      },
    );

    await step(
      'a change made in Argo CD directly reaches the open tab without a reload, pushed (signals), well within the 30 s fallback poll',
      () =>
        liveUpdate({
          page: alice!.page,
          stack,
          artifacts: ARTIFACTS,
          log,
        }),
    );

    await step(
      "the example catalog's rogue entity bob-tools (claims team-a's python-api-base): every environment refused by the binding, no Promote",
      async () => {
        const page = alice!.page;
        await openTab(page, stack, ROGUE);
        for (const env of ['dev', 'staging', 'prod']) {
          await card(page, env)
            .getByRole('alert')
            .filter({
              hasText: new RegExp(
                `is not bound to component:default/${ROGUE}: it is bound to component:default/${ENTITY}`,
              ),
            })
            .waitFor();
        }
        // nothing can be requested from it: no enabled action on any card
        const actions = page
          .locator('[data-testid^="env-card-"] button:not([disabled])')
          .filter({ hasText: /^(Promote|Sync|Rollback|Emergency)/ });
        if ((await actions.count()) > 0)
          throw new Error(
            `the rogue entity offers: ${(await actions.allInnerTexts()).join(
              ', ',
            )}`,
          );
        await shot(page, '01a-rogue-entity-refused');
        // back to python-api-base, where the next steps work
        await openTab(page, stack, ENTITY);
      },
    );
    await step(
      'alice opens Fleet from the sidebar: python-api-base in dev, staging and prod with versions; filtered by owner team-a; the entity link opens its GitOps tab',
      () => fleetPage(alice!.page, ARTIFACTS),
    );

    await step(
      'alice promotes dev → staging (version defaults to the next rc of what dev runs; checks shown) and sees staging run it',
      async () => {
        const page = alice!.page;
        const devVersion = await versionOf(page, 'dev');
        await card(page, 'dev')
          .getByRole('button', { name: 'Promote to staging', exact: true })
          .click();
        const dialog = page.getByRole('dialog');
        const dflt = await dialog.getByLabel('Version to run').inputValue();
        // never dev's own -dev.N tag (staging's pattern refuses it): the next rc of its X.Y.Z
        const core = (devVersion ?? '').replace(/-.*$/, '');
        if (!dflt.startsWith(`${core}-rc.`) || !/-rc\.\d+$/.test(dflt))
          throw new Error(
            `version defaulted to ${dflt}, not an rc of dev's ${devVersion}`,
          );
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        const detail = await requestChange(page, {
          button: 'Promote to staging',
          cardEnv: 'dev',
          version: 'v1.2.0-rc.2',
          reason: 'QA: release candidate 2 of 1.2.0',
          screenshot: '02-promote-staging-dialog',
        });
        await detail.getByRole('button', { name: 'Close' }).click();
        await waitUntil(
          'staging runs v1.2.0-rc.2 and is Healthy',
          page,
          async () =>
            (await versionOf(page, 'staging')) === 'v1.2.0-rc.2' &&
            (await card(page, 'staging')
              .getByLabel('Health: Healthy')
              .count()) > 0,
        );
        if (stagingFrom === 'v1.2.0-rc.2')
          throw new Error(
            'staging already ran v1.2.0-rc.2 before the promotion',
          );
        await shot(page, '03-staging-promoted');
      },
    );

    await step(
      'alice cannot promote a tag missing from the registry to prod: image-exists fails; the dialog lists the registry tags with digests',
      () => missingTagRefused(alice!.page, ARTIFACTS),
    );

    await step(
      'erin (QA) signs off the rc running in staging; the prod preview then shows verified-in-staging passing',
      () =>
        qaSignsOffStaging({
          alice: alice!.page,
          newUser: u => newUser(stack, u, figures),
          openTab: p => openTab(p, stack, ENTITY),
          artifacts: ARTIFACTS,
        }),
    );

    let prodChangeRequested = false;
    await step(
      'alice requests staging → prod: pending approval, and cannot approve her own change',
      async () => {
        const page = alice!.page;
        const detail = await requestChange(page, {
          button: 'Promote to prod',
          cardEnv: 'staging',
          version: 'v1.2.0',
          reason: 'Release 1.2.0',
          screenshot: '04-promote-prod-dialog',
        });
        prodChangeRequested = true;
        await detail.getByText('awaiting approval', { exact: true }).waitFor();
        const approve = detail.getByRole('button', {
          name: /^Approve \(unavailable: You requested this change/,
        });
        await approve.waitFor();
        if (await approve.isEnabled())
          throw new Error('Approve is enabled for the requester');
        await shot(page, '05-own-change-cannot-approve');
        await detail.getByRole('button', { name: 'Close' }).click();
        await card(page, 'prod')
          .getByRole('button', { name: 'Change awaiting approval (0/1)' })
          .waitFor();
        if ((await versionOf(page, 'prod')) === 'v1.2.0')
          throw new Error('prod changed before approval');
      },
    );
    void prodChangeRequested;

    await step(
      'alice requests prod on a pipeline whose window is closed now',
      async () => {
        const page = alice!.page;
        await openTab(page, stack, AFTER_HOURS);
        await card(page, 'prod')
          .getByText(/^Window closed; opens /)
          .waitFor();
        const detail = await requestChange(page, {
          button: 'Promote to prod',
          cardEnv: 'staging',
          version: 'v1.2.0',
          reason: 'Release 1.2.0 (after hours)',
          screenshot: '06-after-hours-request',
        });
        await detail.getByText('awaiting approval', { exact: true }).waitFor();
        await detail.getByRole('button', { name: 'Close' }).click();
      },
    );

    await step(
      'bob sees both in his approvals inbox and approves the after-hours one there',
      async () => {
        bob = await newUser(stack, 'bob', figures);
        const page = bob.page;
        await page.goto(`${stack.baseUrl}/gitops/approvals`);
        // the inbox: a core-components Table inside the region named Approvals
        const table = page
          .getByRole('region', { name: 'Approvals' })
          .getByRole('table');
        await table.first().waitFor();
        await waitUntil(
          'two changes in the inbox',
          page,
          async () =>
            (await table.getByRole('button', { name: /^Review: / }).count()) ===
            2,
        );
        await shot(page, '07-approvals-inbox');
        await table
          .getByRole('button', {
            name: `Review: Promotion of component:default/${AFTER_HOURS} in prod`,
          })
          .click();
        const detail = page.getByRole('dialog', { name: 'Promotion in prod' });
        await detail.getByLabel('Comment').fill('ok for the next window');
        await detail
          .getByRole('button', { name: 'Approve', exact: true })
          .click();
        await detail
          .getByText('approved', { exact: true })
          .or(detail.getByText('waiting for window', { exact: true }))
          .first()
          .waitFor();
        await detail.getByRole('button', { name: 'Close' }).click();
      },
    );

    await step(
      "bob finds alice's prod request in his notifications and opens its review from there",
      async () => {
        const page = bob!.page;
        const link = page.getByRole('link', {
          name: new RegExp(
            `^Approval needed: ${ENTITY} promote v1\\.2\\.0 to prod$`,
          ),
        });
        await page.goto(`${stack.baseUrl}/notifications`);
        await waitUntil(
          'the approval notification is listed',
          page,
          async () => {
            if ((await link.count()) > 0) return true;
            await page.waitForTimeout(1500);
            await page.reload();
            return false;
          },
        );
        await shot(page, '07a-bob-notifications');
        const href = (await link.first().getAttribute('href')) ?? '';
        if (
          !new RegExp(
            `/catalog/default/component/${ENTITY}/gitops\\?change=[^&]+$`,
          ).test(href)
        )
          throw new Error(`the notification links to ${href}`);
        await link.first().click();
        await page.waitForURL(/\/gitops\?change=/);
        const detail = page.getByRole('dialog', { name: 'Promotion in prod' });
        await detail.getByText('awaiting approval', { exact: true }).waitFor();
        await detail
          .getByRole('button', { name: 'Approve', exact: true })
          .waitFor();
        await shot(page, '07b-review-from-notification');
        await detail.getByRole('button', { name: 'Close' }).click();
        await waitUntil(
          'closing the review drops ?change= from the address',
          page,
          async () => !new URL(page.url()).searchParams.has('change'),
        );
      },
    );

    await step(
      'bob approves the prod change on the tab → it runs with live progress → prod Healthy on v1.2.0',
      async () => {
        const page = bob!.page;
        await openTab(page, stack, ENTITY);
        await card(page, 'prod')
          .getByRole('button', { name: 'Change awaiting approval (0/1)' })
          .click();
        const detail = page.getByRole('dialog', { name: 'Promotion in prod' });
        await detail.getByLabel('Comment').fill('LGTM, staging is healthy');
        await shot(page, '08-approver-review');
        await detail
          .getByRole('button', { name: 'Approve', exact: true })
          .click();
        await detail
          .getByText(/^(approved|executing|succeeded)$/)
          .first()
          .waitFor();
        await detail.getByRole('button', { name: 'Close' }).click();
        // live progress: the card shows the running operation while it runs (best effort: it may be quick)
        await card(page, 'prod')
          .getByText(/^Syncing to |^Operation running/)
          .first()
          .waitFor({ timeout: 15_000 })
          .then(() => shot(page, '09-prod-syncing'))
          .catch(() =>
            log(
              'the prod operation finished before a screenshot of it running could be taken',
            ),
          );
        await waitUntil(
          'prod runs v1.2.0 and is Healthy',
          page,
          async () =>
            (await versionOf(page, 'prod')) === 'v1.2.0' &&
            (await card(page, 'prod').getByLabel('Health: Healthy').count()) >
              0 &&
            (await card(page, 'prod')
              .getByRole('button', { name: /^Change / })
              .count()) === 0,
        );
        await shot(page, '10-prod-healthy');
      },
    );

    await step(
      'alice sees the result in her notifications: her prod promotion was deployed',
      async () => {
        const page = alice!.page;
        const link = page.getByRole('link', {
          name: new RegExp(`^Deployed: ${ENTITY} promote v1\\.2\\.0 to prod$`),
        });
        await page.goto(`${stack.baseUrl}/notifications`);
        await waitUntil('the result notification is listed', page, async () => {
          if ((await link.count()) > 0) return true;
          await page.waitForTimeout(1500);
          await page.reload();
          return false;
        });
        const href = (await link.first().getAttribute('href')) ?? '';
        if (
          !new RegExp(
            `/catalog/default/component/${ENTITY}/gitops\\?change=[^&]+$`,
          ).test(href)
        )
          throw new Error(`the notification links to ${href}`);
        await shot(page, '10a-alice-result-notification');
      },
    );

    await step(
      'outside the window the approved change waits and says when it will run',
      async () => {
        const page = alice!.page;
        await openTab(page, stack, AFTER_HOURS);
        const badge = card(page, 'prod').getByRole('button', {
          name: /^Change waiting for window/,
        });
        await waitUntil('the change waits for the window', page, async () => {
          if ((await badge.count()) > 0) return true;
          await page.getByRole('button', { name: 'Refresh' }).click();
          return false;
        });
        const opens = new Date(stack.afterHoursOpensAt);
        const hhmm = `${String(opens.getUTCHours()).padStart(2, '0')}:${String(
          opens.getUTCMinutes(),
        ).padStart(2, '0')} UTC`;
        await card(page, 'prod')
          .getByText(new RegExp(`^Window closed; opens .*${hhmm}`))
          .waitFor();
        await badge.click();
        const detail = page.getByRole('dialog', { name: 'Promotion in prod' });
        await detail
          .getByText(
            new RegExp(
              `^Approved; waits for the sync window and runs when it opens: .*${hhmm}`,
            ),
          )
          .waitFor();
        await shot(page, '11-waiting-for-window');
        // clean up: the requester cancels it
        await detail.getByRole('button', { name: 'Cancel change' }).click();
        await detail.getByText('cancelled', { exact: true }).first().waitFor();
        await detail.getByRole('button', { name: 'Close' }).click();
      },
    );

    await step(
      'alice rolls prod back (history entry, diff) → approved by bob → prod Healthy on v1.1.4',
      async () => {
        const page = alice!.page;
        await openTab(page, stack, ENTITY);
        const detail = await requestChange(page, {
          button: 'Rollback',
          cardEnv: 'prod',
          rollbackTo: /^v1\.1\.4 /,
          reason: 'Roll back 1.2.0',
          screenshot: '12-rollback-dialog',
        });
        const stateChip = detail
          .getByText(
            /^(awaiting approval|approved|executing|succeeded|failed|blocked by policy)$/,
          )
          .first();
        await stateChip.waitFor();
        const needsApproval =
          (await stateChip.textContent()) === 'awaiting approval';
        await detail.getByRole('button', { name: 'Close' }).click();
        if (needsApproval) {
          const bp = bob!.page;
          await openTab(bp, stack, ENTITY);
          await card(bp, 'prod')
            .getByRole('button', { name: /^Change awaiting approval/ })
            .click();
          const d = bp.getByRole('dialog', { name: 'Rollback in prod' });
          await d.getByRole('button', { name: 'Approve', exact: true }).click();
          await d
            .getByText(/^(approved|executing|succeeded)$/)
            .first()
            .waitFor();
          await d.getByRole('button', { name: 'Close' }).click();
        }
        // alice's tab does not poll while the change only awaits someone else's approval (nothing runs):
        // she refreshes once, as a person would, and the tab follows live from then on
        await page.getByRole('button', { name: 'Refresh' }).click();
        await waitUntil(
          'prod runs v1.1.4 and is Healthy',
          page,
          async () =>
            (await versionOf(page, 'prod')) === 'v1.1.4' &&
            (await card(page, 'prod').getByLabel('Health: Healthy').count()) >
              0 &&
            (await card(page, 'prod')
              .getByRole('button', { name: /^Change / })
              .count()) === 0,
        );
        await page.getByRole('tab', { name: 'History' }).click();
        await page
          .getByRole('list', { name: 'History prod' })
          .getByText(/^Rollback v1\.2\.0 → v1\.1\.4/)
          .first()
          .waitFor();
        // the rollback left Git and the cluster in agreement: prod is Synced
        await waitUntil(
          'prod is Synced after the rollback',
          page,
          async () =>
            (await card(page, 'prod')
              .getByLabel('Sync status: Synced')
              .count()) > 0,
        );
        // every deployment row of prod names its version and who deployed it
        const rows = await page
          .getByRole('list', { name: 'History prod' })
          .getByRole('listitem')
          .evaluateAll(els => els.map(e => e.textContent ?? ''));
        const deployments = rows.filter(r => r.startsWith('Argo CD'));
        if (deployments.length === 0)
          throw new Error('prod history has no Argo CD rows');
        const incomplete = deployments.filter(
          r =>
            /version unknown|version ambiguous/.test(r) ||
            !/deployed by /.test(r),
        );
        if (incomplete.length > 0)
          throw new Error(
            `prod history rows without version or deployer: ${incomplete.join(
              ' | ',
            )}`,
          );
        await shot(page, '13-prod-rolled-back-history');
      },
    );

    await step(
      'alice promotes a tag that was never built to staging, sees staging Degraded, and "Why?" shows the pod, its ImagePullBackOff event and its logs',
      async () => {
        const page = alice!.page;
        // declared unbuilt by the emulator's seed (no image in the registry)
        const unbuilt = 'v1.3.0-rc.9';
        const detail = await requestChange(page, {
          button: 'Promote to staging',
          cardEnv: 'dev',
          version: unbuilt,
          reason: 'QA: release candidate 9 of 1.3.0',
          screenshot: '14-promote-unbuilt-tag-dialog',
        });
        await detail.getByRole('button', { name: 'Close' }).click();
        await waitUntil(
          `staging runs ${unbuilt} and is Degraded`,
          page,
          async () =>
            (await versionOf(page, 'staging')) === unbuilt &&
            (await card(page, 'staging')
              .getByLabel(/^Health: Degraded/)
              .count()) > 0,
        );
        await shot(page, '15-staging-degraded');
        await card(page, 'staging')
          .getByRole('button', { name: /^Why is staging / })
          .click();
        const why = page.getByRole('dialog', { name: /^Why is staging / });
        // the unhealthy path is open down to the pod, which is selected first
        await why
          .getByLabel(/^Pod python-api-base-staging-|^Pod python-api-base-/)
          .first()
          .waitFor();
        await why
          .getByRole('region', { name: /^Events of Pod / })
          .getByText(/Error: ImagePullBackOff/)
          .first()
          .waitFor();
        await why
          .getByRole('region', { name: /^Logs of pod / })
          .getByText(/is waiting to start: trying and failing to pull image/)
          .first()
          .waitFor();
        await shot(page, '16-why-staging-degraded');
        await why.getByRole('button', { name: 'Close' }).click();
        await why.waitFor({ state: 'detached' });
      },
    );
  } finally {
    for (const u of [alice, bob]) await u?.ctx.close().catch(() => {});
    await stack.stop();
  }

  // Figures
  const gitopsChunks = figures.tabChunks;
  const total = gitopsChunks.reduce((a, c) => a + c.gzip, 0);
  // the tab's own chunk is named by the webpackChunkName of its import in src/alpha.tsx
  const pluginChunks = gitopsChunks.filter(c =>
    path.basename(c.url).startsWith('gitops-tab.'),
  );

  console.log('');
  console.log('figures:');
  console.log(
    `  app build: ${
      figures.appBuildSeconds
        ? `${figures.appBuildSeconds.toFixed(0)} s`
        : 'cached'
    }; stack start (emulator + backend): ${figures.stackStartSeconds.toFixed(
      0,
    )} s`,
  );
  const [cold, ...warm] = figures.timeToDataMs;
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `  time from clicking the GitOps tab to data shown: ${
      cold ?? '-'
    } ms first (cold), ${
      warm.length
        ? `${median(warm)} ms median of ${warm.length} warm (${warm.join(
            ', ',
          )} ms)`
        : '-'
    }`,
  );
  console.log(
    `  of which the GET …/overview request took: ${
      figures.overviewApiMs.map(ms => `${ms} ms`).join(', ') || '-'
    }`,
  );
  for (const c of gitopsChunks)
    console.log(
      `  chunk loaded by the tab: ${c.url} ${c.bytes} B, ${c.gzip} B gzipped${
        pluginChunks.includes(c) ? " (the plugin's tab chunk)" : ''
      }`,
    );
  console.log(
    `  the plugin's lazily loaded tab chunk: ${
      pluginChunks.map(c => `${c.gzip} B gzipped (${c.bytes} B)`).join(', ') ||
      'not seen'
    }`,
  );
  console.log(
    `  JS loaded lazily when opening the tab: ${gitopsChunks.length} chunk(s), ${total} B gzipped`,
  );
  fs.writeFileSync(
    path.join(ARTIFACTS, 'results.json'),
    JSON.stringify({ results, figures }, null, 2),
  );
  const passed = results.filter(r => r.ok).length;
  const failed = results.length - passed;
  if (!failed) {
    for (const d of [...tempDirs, stack.dataDir])
      fs.rmSync(d, { recursive: true, force: true });
  } else {
    console.log(
      `kept for inspection: ${stack.dataDir} (backend.log, app-config.e2e.yaml)`,
    );
  }
  console.log(`screenshots: ${ARTIFACTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  console.error(`[e2e] ${(e as Error).stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
