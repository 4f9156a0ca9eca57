/* eslint-disable no-console */
/**
 * Browser step of the fleet page (issue "live state", part "a fleet page"):
 * alice opens Fleet from the sidebar (beside Approvals), sees
 * python-api-base's row with a version in dev, staging and prod, filters by
 * owner team-a (the backend answers `GET /api/gitops/fleet?owner=…`; the
 * platform team's bob-tools leaves the table), and the entity link leads to
 * the GitOps tab. Screenshots: 01b-fleet, 01c-fleet-owner-team-a.
 */
import path from 'node:path';
import { Page } from 'playwright-core';

const ENTITY = 'python-api-base';
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const TEAM_A = 'group:default/team-a';

const version = (page: Page, env: string) =>
  page.locator(`[data-testid="fleet-${ENTITY}-${env}-version"]`);

export async function fleetPage(page: Page, artifacts: string) {
  const firstLoad = page.waitForResponse(
    r => new URL(r.url()).pathname === '/api/gitops/fleet',
  );
  await page.getByRole('link', { name: 'Fleet', exact: true }).click();
  await page.waitForURL(/\/gitops\/fleet$/);
  const res = await firstLoad;
  if (res.status() !== 200)
    throw new Error(`GET /api/gitops/fleet answered ${res.status()}`);
  const body = await res.json();
  const region = page.getByRole('region', { name: 'Fleet' });
  await region.waitFor();
  // textContent, not innerText: the table's header style upper-cases what innerText returns
  const headers = await region.getByRole('columnheader').allTextContents();
  for (const env of ENVIRONMENTS) {
    if (!headers.map(h => h.trim().toLowerCase()).includes(env.toLowerCase()))
      throw new Error(`no ${env} column in the fleet: ${headers.join(', ')}`);
  }
  const versions: string[] = [];
  for (const env of ENVIRONMENTS) {
    const v = (await version(page, env).innerText()).trim();
    if (!/^v\d+\.\d+\.\d+/.test(v))
      throw new Error(`${ENTITY} ${env}: expected a version, got '${v}'`);
    versions.push(`${env} ${v}`);
  }
  const timing = res.request().timing();
  console.log(
    `[e2e] fleet: ${body.items.length} entities; ${ENTITY}: ${versions.join(
      ', ',
    )}; GET /api/gitops/fleet ${Math.round(
      timing.responseEnd - timing.requestStart,
    )} ms`,
  );
  await page.screenshot({
    path: path.join(artifacts, '01b-fleet.png'),
    fullPage: true,
  });

  const filtered = page.waitForResponse(r => {
    const u = new URL(r.url());
    return (
      u.pathname === '/api/gitops/fleet' &&
      u.searchParams.get('owner') === TEAM_A
    );
  });
  await page.getByLabel('Owner').selectOption(TEAM_A);
  const f = await filtered;
  if (f.status() !== 200)
    throw new Error(`GET /api/gitops/fleet?owner= answered ${f.status()}`);
  const owners = ((await f.json()).items as Array<{ owners: string[] }>).map(
    i => i.owners,
  );
  if (!owners.length || owners.some(o => !o.includes(TEAM_A)))
    throw new Error(`owner filter: rows owned by ${JSON.stringify(owners)}`);
  await region
    .getByRole('link', {
      name: 'Open the GitOps tab of component:default/bob-tools',
    })
    .waitFor({ state: 'detached' });
  await version(page, 'prod').waitFor();
  await page.screenshot({
    path: path.join(artifacts, '01c-fleet-owner-team-a.png'),
    fullPage: true,
  });

  await region
    .getByRole('link', {
      name: `Open the GitOps tab of component:default/${ENTITY}`,
      exact: true,
    })
    .click();
  await page.waitForURL(
    new RegExp(`/catalog/default/component/${ENTITY}/gitops`),
  );
  await page.getByRole('region', { name: 'Environment prod' }).waitFor();
  // the next steps read the cards' versions
  await page.locator('[data-testid="env-version-dev"]').waitFor();
}
