import { HistoryEntry } from '@internal/plugin-gitops-common';
import { lineageCheck } from './lineageChecks';
import { EnvironmentPolicy } from './types';

const staging: EnvironmentPolicy = {
  name: 'staging',
  order: 1,
  promotesFrom: 'dev',
  configPath: 'gitops.pipelines.standard.environments[1]',
  forbiddenTags: ['latest'],
  requireSemver: true,
  sourceMustBeHealthy: false,
  dryRunRequired: false,
  manualSyncRequired: false,
  windows: [],
  useArgoCdWindows: false,
  requireLineage: true,
};

const row = (version: string, deployedAt: string): HistoryEntry => ({
  source: 'argocd',
  id: deployedAt,
  version,
  deployedAt,
});

describe('lineageCheck', () => {
  it('passes when dev runs the same X.Y.Z now', () => {
    expect(
      lineageCheck(staging, 'v1.2.0-rc.2', {
        running: 'v1.2.0-dev.3',
        history: [],
        recorded: [],
      }),
    ).toEqual({
      id: 'lineage',
      status: 'pass',
      message: 'v1.2.0-rc.2 shares 1.2.0 with v1.2.0-dev.3, which dev runs now',
    });
  });

  it('passes on the newest history row or recorded deployment of the X.Y.Z', () => {
    expect(
      lineageCheck(staging, 'v1.1.4-rc.3', {
        running: 'v1.2.0-dev.3',
        history: [
          row('v1.1.4-dev.1', '2026-11-10T10:00:00Z'),
          row('v1.1.4-dev.2', '2026-11-12T10:00:00Z'),
          row('v1.2.0-dev.3', '2026-11-20T10:00:00Z'),
        ],
        recorded: [],
      }).message,
    ).toBe(
      'v1.1.4-rc.3 shares 1.1.4 with v1.1.4-dev.2, which ran in dev (deployed 2026-11-12T10:00:00Z)',
    );
    expect(
      lineageCheck(staging, 'v1.0.9-rc.1', {
        running: 'v1.2.0-dev.3',
        history: [],
        recorded: [
          {
            version: 'v1.0.9-dev.7',
            changeId: 'c1',
            finishedAt: '2026-10-01T10:00:00Z',
          },
        ],
      }),
    ).toMatchObject({ status: 'pass' });
  });

  it('refuses v9.9.9-rc.1 while dev only ever ran 1.2.0 (field version)', () => {
    expect(
      lineageCheck(staging, 'v9.9.9-rc.1', {
        running: 'v1.2.0-dev.3',
        history: [row('v1.2.0-dev.2', '2026-11-12T10:00:00Z')],
        recorded: [],
      }),
    ).toEqual({
      id: 'lineage',
      status: 'fail',
      field: 'version',
      message:
        'no 9.9.9 version ever ran in dev (dev runs v1.2.0-dev.3); staging takes only versions built from what ran in dev',
    });
  });

  it('refuses what is not a semantic version; unknown running version is said', () => {
    expect(
      lineageCheck(staging, 'main', { history: [], recorded: [] }).message,
    ).toBe(
      "'main' is not a semantic version, so its lineage in dev cannot be checked",
    );
    expect(
      lineageCheck(staging, 'v2.0.0-rc.1', { history: [], recorded: [] })
        .message,
    ).toMatch(/\(dev runs an unknown version\)/);
  });
});
