import { mockApis } from '@backstage/test-utils';
import type { HistoryEntry } from '@internal/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { historyDeployer, historyVersion, mergeTimeline } from './timeline';
import { history, makeChange } from '../../__testUtils__/fixtures';

const snapshot = mockApis.translation().getTranslation(gitopsTranslationRef);
if (!snapshot.ready) throw new Error('translations not ready');
const { t } = snapshot;

const row = (o: Partial<HistoryEntry>): HistoryEntry => ({
  source: 'argocd',
  id: '7',
  revision: 'c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4',
  deployedAt: '2026-11-27T10:00:00Z',
  ...o,
});

describe('history rows', () => {
  it('name the version, or say it is unknown or ambiguous with the candidates', () => {
    expect(historyVersion(t, row({ version: 'v1.2.0' }))).toBe('v1.2.0');
    expect(historyVersion(t, row({}))).toBe('version unknown');
    expect(
      historyVersion(
        t,
        row({
          versionIdentity: {
            status: 'ambiguous',
            candidates: [
              { source: 'image', version: 'v1.2.0' },
              { source: 'git', version: 'v1.3.0' },
            ],
            message: 'image tag and Git disagree',
          },
        }),
      ),
    ).toBe('version ambiguous: v1.2.0 (image), v1.3.0 (git)');
  });

  it("name who deployed: our change's requester before Argo CD's initiator", () => {
    expect(
      historyDeployer(
        t,
        row({ deployedBy: 'user:default/carol', initiatedBy: 'admin' }),
      ),
    ).toBe('deployed by carol');
    expect(historyDeployer(t, row({ initiatedBy: 'automated' }))).toBe(
      'deployed by automated',
    );
    expect(historyDeployer(t, row({}))).toBe('deployer unknown');
  });

  it('show version, deployer and approvers on every Argo CD row, newest first', () => {
    const rows = mergeTimeline(
      t,
      {
        items: [
          row({
            id: '8',
            version: 'v1.2.0',
            deployedAt: '2026-11-28T10:00:00Z',
            deployedBy: 'user:default/carol',
            approvedBy: ['user:default/bob', 'user:default/dave'],
            changeId: 'chg-9',
          }),
          row({ id: '7', initiatedBy: 'image-updater' }),
        ],
        errors: [],
      },
      [
        makeChange({
          id: 'chg-9',
          state: 'succeeded',
          updatedAt: '2026-11-28T11:00:00Z',
        }),
      ],
    );
    expect(rows.map(r => [r.source, r.title, r.subtitle])).toEqual([
      ['change', 'Promotion v1.1.0 → v1.2.0', 'requested by alice'],
      [
        'argocd',
        'v1.2.0 · #8',
        '@c3d4e5f · deployed by carol · approved by bob, dave',
      ],
      [
        'argocd',
        'version unknown · #7',
        '@c3d4e5f · deployed by image-updater',
      ],
    ]);
  });

  it('keeps Helm releases as their own rows', () => {
    const rows = mergeTimeline(t, history, []);
    expect(rows.find(r => r.source === 'helm')?.title).toMatch(
      /^python-api-base-migrations revision 5: /,
    );
  });
});
