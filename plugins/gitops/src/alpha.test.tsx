import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  gitopsApprovalsPage,
  gitopsEntityCard,
  gitopsEntityContent,
} from './alpha';
import { gitopsLegacyPlugin } from './plugin';
import { entity, unconfiguredEntity } from './__testUtils__/fixtures';

describe('new frontend system exports', () => {
  it('is the gitops plugin', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('gitops');
  });

  it('adds the GitOps tab at gitops, only for configured entities', () => {
    const tester = createExtensionTester(gitopsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('gitops');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('GitOps');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity)).toBe(true);
    expect(filter?.(unconfiguredEntity)).toBe(false);
  });

  it('adds an info card for the overview, only for configured entities', () => {
    const tester = createExtensionTester(gitopsEntityCard);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    expect(
      tester.get(EntityCardBlueprint.dataRefs.filterFunction)?.(
        unconfiguredEntity,
      ),
    ).toBe(false);
  });

  it('adds the approvals page at /gitops/approvals with a title for the sidebar', () => {
    const tester = createExtensionTester(gitopsApprovalsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/gitops/approvals');
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');
  });
});

describe('legacy exports', () => {
  it('is the gitops plugin', () => {
    expect(gitopsLegacyPlugin.getId()).toBe('gitops');
  });
});
