/* eslint-disable no-console */
/**
 * Visual check (a development aid, not a test): the real app and backend with the
 * GitOps API answered from the component tests' fixtures through Playwright
 * routing, so every state can be looked at. Screenshots go to artifacts/e2e/visual/.
 *
 * Run: node --require @backstage/cli/config/nodeTransform.cjs e2e/visual.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Page } from 'playwright-core';
import { REPO_ROOT, buildApp, startStack } from './stack';
import {
  blockedPreview,
  diff,
  history,
  makeChange,
  makeDetail,
  makeState,
  preview,
} from '../src/__testUtils__/fixtures';

const OUT = path.join(REPO_ROOT, 'artifacts/e2e/visual');

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  buildApp(console.log);
  const stack = await startStack(console.log);
  const ctx = await chromium.launchPersistentContext(
    fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-visual-')),
    {
      executablePath: '/usr/bin/chromium',
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
    },
  );
  const page: Page = ctx.pages()[0] ?? (await ctx.newPage());
  try {
    await drive(page, stack.baseUrl);
  } finally {
    await ctx.close().catch(() => {});
    await stack.stop();
  }
  console.log(`screenshots in ${OUT}`);
}

async function drive(page: Page, baseUrl: string) {
  const now = Date.now();
  const iso = (h: number) => new Date(now - h * 3600_000).toISOString();
  const pending = makeChange({ createdAt: iso(0.5), updatedAt: iso(0.5) });
  let showPending = false;
  const state = makeState({
    dev: {
      lastDeployedAt: iso(2),
      operation: {
        phase: 'Running',
        revision: '9f8e7d6c5b4a39281706',
        message: 'waiting for healthy state of apps/Deployment/python-api-base',
      },
      health: { status: 'Progressing' },
    },
    staging: {
      lastDeployedAt: iso(26),
      syncStatus: 'OutOfSync',
      health: {
        status: 'Degraded',
        message: 'Back-off restarting failed container',
      },
      unhealthyResources: 1,
    },
    prod: {
      lastDeployedAt: iso(140),
      window: {
        open: false,
        nextOpen: new Date(now + 17 * 3600_000).toISOString(),
        message: 'outside the window; next opens Mon 06:00 UTC',
      },
    },
  });
  const changeItems = () => [
    ...(showPending ? [pending] : []),
    makeChange({
      id: 'old',
      environment: 'staging',
      state: 'succeeded',
      version: 'v1.2.0-rc.1',
      fromVersion: 'v1.1.4-rc.2',
      requestedBy: 'user:default/alice',
      createdAt: iso(26),
      updatedAt: iso(26),
    }),
  ];
  await page.route('**/api/gitops/**', async route => {
    const url = new URL(route.request().url());
    const p = url.pathname.replace(/^.*\/api\/gitops/, '');
    const json = (b: unknown) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify(b),
      });
    const entityState = {
      ...state,
      entityRef: 'component:default/python-api-base',
    };
    if (/\/environments$/.test(p)) return json(entityState);
    // the tab opens with one request (GET …/overview)
    if (/\/overview$/.test(p))
      return json({
        state: entityState,
        changes: changeItems(),
        pendingForMe: showPending ? [pending.id] : [],
      });
    if (/\/history$/.test(p)) return json(history);
    if (/\/diff$/.test(p)) return json(diff);
    if (p === '/changes' && route.request().method() === 'POST') {
      const body = route.request().postDataJSON();
      return json(
        body.version === 'latest'
          ? blockedPreview
          : {
              ...preview,
              requiredApprovals: body.environment === 'prod' ? 1 : 0,
            },
      );
    }
    if (p === '/changes') return json({ items: changeItems() });
    if (p === '/approvals/pending')
      return json({ items: showPending ? [pending] : [] });
    if (p.startsWith('/changes/'))
      return json(
        makeDetail({
          ...pending,
          events: [
            {
              id: 1,
              changeId: 'chg-1',
              type: 'created',
              actor: 'user:default/alice',
              at: iso(0.5),
              message: 'promote v1.2.0 from staging',
            },
          ],
        }),
      );
    return route.continue();
  });
  await page.goto(baseUrl);
  await page.locator('[data-testid="sign-in-as-bob"]').click();
  await page
    .locator('nav[aria-label="sidebar nav"]')
    .waitFor({ state: 'attached' });
  await page.goto(`${baseUrl}/catalog/default/component/python-api-base`);
  await page.waitForTimeout(3000);
  await page.screenshot({
    path: path.join(OUT, 'overview.png'),
    fullPage: true,
  });
  await page.goto(
    `${baseUrl}/catalog/default/component/python-api-base/gitops`,
  );
  await page.locator('[data-testid="env-version-prod"]').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUT, 'tab.png'), fullPage: true });
  await page
    .locator('[data-testid="env-card-dev"]')
    .getByRole('button', { name: 'Promote to staging', exact: true })
    .click();
  await page
    .getByRole('dialog')
    .getByText(/^The policy allows/)
    .waitFor();
  await page.waitForTimeout(1500);
  console.log(
    'submit enabled:',
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Request/ })
      .isEnabled(),
  );
  await page.screenshot({
    path: path.join(OUT, 'promote-dialog.png'),
    fullPage: true,
  });
  await page.getByRole('dialog').getByLabel('Version to run').fill('latest');
  await page
    .getByRole('dialog')
    .getByText(/^The policy does not allow/)
    .waitFor();
  await page.screenshot({
    path: path.join(OUT, 'promote-blocked.png'),
    fullPage: true,
  });
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel' })
    .click();
  await page
    .locator('[data-testid="env-card-prod"]')
    .getByRole('button', { name: 'Emergency override' })
    .click();
  await page
    .getByRole('dialog')
    .getByText(/^The policy allows/)
    .waitFor();
  await page.screenshot({
    path: path.join(OUT, 'override-dialog.png'),
    fullPage: true,
  });
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel' })
    .click();
  await page
    .locator('[data-testid="env-card-prod"]')
    .getByRole('button', { name: 'Rollback', exact: true })
    .click();
  await page.getByRole('dialog').getByRole('radio').first().check();
  await page
    .getByRole('dialog')
    .getByText(/^The policy allows/)
    .waitFor();
  await page.screenshot({
    path: path.join(OUT, 'rollback-dialog.png'),
    fullPage: true,
  });
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel' })
    .click();
  showPending = true;
  await page.reload();
  await page.locator('[data-testid="env-version-prod"]').waitFor();
  await page.screenshot({
    path: path.join(OUT, 'tab-pending.png'),
    fullPage: true,
  });
  await page
    .locator('[data-testid="env-card-prod"]')
    .getByRole('button', { name: /^Change awaiting/ })
    .click();
  await page.getByRole('dialog').getByText('Steps and events').waitFor();
  await page.screenshot({
    path: path.join(OUT, 'change-detail.png'),
    fullPage: true,
  });
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('list', { name: 'History prod' }).waitFor();
  await page.screenshot({
    path: path.join(OUT, 'history.png'),
    fullPage: true,
  });
  await page.getByRole('tab', { name: 'Diff' }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(OUT, 'diff.png'), fullPage: true });
  await page.goto(`${baseUrl}/gitops/approvals`);
  await page.getByRole('table', { name: 'Approvals' }).waitFor();
  await page.screenshot({
    path: path.join(OUT, 'approvals.png'),
    fullPage: true,
  });
  await page.goto(`${baseUrl}/catalog/default/component/docs-site`);
  await page.waitForTimeout(2000);
  await page.screenshot({
    path: path.join(OUT, 'docs-site.png'),
    fullPage: true,
  });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
