import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { gitopsFleetPage } from '../../alpha';

describe('gitopsFleetPage', () => {
  it('adds the fleet page at /gitops/fleet with a title for the sidebar (nav item page:gitops/fleet)', () => {
    const tester = createExtensionTester(gitopsFleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/gitops/fleet');
    expect(tester.get(coreExtensionData.title)).toBe('Fleet');
    // the sidebar (packages/app) takes it by this id, beside page:gitops (Approvals)
    expect(String(gitopsFleetPage)).toContain('kind=page');
    expect(String(gitopsFleetPage)).toContain('name=fleet');
  });
});
