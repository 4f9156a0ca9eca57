/**
 * Browser step of verification (issue "the artifact QA verified in staging
 * is the one that reaches prod"): with staging running v1.2.0-rc.2 (promoted
 * by alice, its PostSync smoke test run by Argo CD), erin of group qa opens
 * the tab, sees the staging verification panel awaiting her sign-off with
 * Argo CD's automated checks passed, and signs the rc off with a comment.
 * Then alice's prod promotion preview of v1.2.0 shows the
 * `verified-in-staging` check passing: "v1.2.0-rc.2 was verified in staging
 * by erin …" (and the image digest check, when the registry has the tags).
 * Screenshots: 03a-qa-sign-off, 03b-prod-preview-verified.
 */
import path from 'node:path';
import { BrowserContext, Page } from 'playwright-core';

const RC = 'v1.2.0-rc.2';

export async function qaSignsOffStaging(o: {
  /** alice's page, on python-api-base's GitOps tab. */
  alice: Page;
  /** Signs a user in (a browser context of its own). */
  newUser(user: string): Promise<{ ctx: BrowserContext; page: Page }>;
  /** Opens python-api-base's GitOps tab on a page. */
  openTab(page: Page): Promise<unknown>;
  artifacts: string;
}) {
  const erin = await o.newUser('erin');
  try {
    const page = erin.page;
    await o.openTab(page);
    const panel = page.getByRole('region', {
      name: `Verification of ${RC} in staging`,
    });
    await panel.waitFor({ timeout: 60_000 });
    await panel.getByText('Awaiting sign-off').waitFor();
    // Argo CD ran staging's PostSync smoke test in alice's sync
    await panel
      .getByText('Automated checks passed')
      .waitFor({ timeout: 60_000 });
    await panel.getByText(/its PostSync hooks succeeded/).waitFor();
    await panel
      .getByLabel('Comment')
      .fill('checkout, login and payments tested on the rc');
    await panel.getByRole('button', { name: 'Sign off', exact: true }).click();
    await panel.getByText('Verified', { exact: true }).waitFor();
    await panel
      .getByRole('list', { name: 'Decisions' })
      .getByText(`${RC} verified by erin`, { exact: false })
      .waitFor();
    if (await panel.getByRole('button', { name: 'Sign off' }).isEnabled())
      throw new Error('Sign off is still enabled after the sign-off');
    await page.screenshot({
      path: path.join(o.artifacts, '03a-qa-sign-off.png'),
      fullPage: true,
    });
  } finally {
    await erin.ctx.close().catch(() => {});
  }

  const page = o.alice;
  await page
    .locator('[data-testid="env-card-staging"]')
    .getByRole('button', { name: 'Promote to prod', exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  const field = dialog.getByLabel('Version to run');
  // the dialog pre-fills the release of the rc staging runs
  const prefilled = await field.inputValue();
  if (prefilled !== 'v1.2.0')
    throw new Error(`prod's version pre-filled as '${prefilled}', not v1.2.0`);
  await dialog.getByLabel('Reason', { exact: true }).fill('Release 1.2.0');
  const checks = dialog.getByRole('list', { name: 'Policy checks' });
  // each check is a list item named "<status>: <sentence>"
  const verified = checks.getByRole('listitem', {
    name: /^(pass|fail|pending): .*verified in staging|^(pass|fail|pending): .*signed off in staging/,
  });
  await verified.first().waitFor({ timeout: 60_000 });
  const name = (await verified.first().getAttribute('aria-label')) ?? '';
  if (!name.startsWith(`pass: ${RC} was verified in staging by erin `))
    throw new Error(`verified-in-staging does not pass: ${name}`);
  const digest = checks.getByRole('listitem', { name: /digest/i });
  if ((await digest.count()) > 0) {
    const d = (await digest.first().getAttribute('aria-label')) ?? '';
    if (!d.startsWith('pass: '))
      throw new Error(`the image digest check does not pass: ${d}`);
  }
  await page.screenshot({
    path: path.join(o.artifacts, '03b-prod-preview-verified.png'),
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
}
