/**
 * Browser step of the image registry (issue "image identity"): with
 * staging running v1.2.0-rc.2, the prod promote dialog lists the registry's
 * release tags with their digests (v1.2.0 "ran in staging as v1.2.0-rc.2":
 * same digest), and a tag missing from the registry (v9.9.9, never built)
 * is refused by the policy preview with the image-exists check failing;
 * nothing is requested.
 */
import path from 'node:path';
import { Page } from 'playwright-core';

export const MISSING_TAG = 'v9.9.9';

export async function missingTagRefused(page: Page, artifacts: string) {
  await page
    .locator('[data-testid="env-card-staging"]')
    .getByRole('button', { name: 'Promote to prod', exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  const tags = dialog.getByRole('list', {
    name: 'Tags in the registry (example.org/shop/python-api-base)',
  });
  const release = tags.getByRole('button', { name: 'Use v1.2.0' });
  await release.waitFor();
  const text = await release.innerText();
  if (
    !/sha256:[0-9a-f]{12}/.test(text) ||
    !text.includes('ran in staging as v1.2.0-rc.2')
  )
    throw new Error(
      `v1.2.0 in the tag list: expected its digest and "ran in staging as v1.2.0-rc.2", got: ${text}`,
    );
  if (
    (await tags.getByRole('button', { name: `Use ${MISSING_TAG}` }).count()) > 0
  )
    throw new Error(
      `${MISSING_TAG} is listed although the registry does not have it`,
    );

  await dialog.getByLabel('Version to run').fill(MISSING_TAG);
  await dialog.getByLabel('Reason', { exact: true }).fill('Release 9.9.9');
  await dialog.getByText(/^The policy does not allow this change/).waitFor();
  const checks = dialog.getByRole('list', { name: 'Policy checks' });
  await checks
    .getByText(
      `example.org/shop/python-api-base:${MISSING_TAG} does not exist in the registry; push the image before promoting it to prod`,
    )
    .waitFor();
  const submit = dialog.getByRole('button', { name: 'Request promotion' });
  if (await submit.isEnabled())
    throw new Error(
      'Request promotion is enabled for a tag missing from the registry',
    );
  await page.screenshot({
    path: path.join(artifacts, '04a-missing-tag-refused.png'),
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
}
