import { isCommitRevision, mergeHistory, toArgoHistoryEntry } from './history';

describe('history', () => {
  it('asks for commit metadata only for git commits, never for Helm chart versions', () => {
    expect(
      isCommitRevision({
        id: 1,
        revision: 'a'.repeat(40),
        source: { repoURL: 'r', path: 'p' },
      }),
    ).toBe(true);
    expect(
      isCommitRevision({
        id: 1,
        revision: '1.2.3',
        source: { repoURL: 'r', chart: 'c' },
      }),
    ).toBe(false);
    expect(
      isCommitRevision({
        id: 1,
        revision: 'abcdef0',
        source: { repoURL: 'r', chart: 'c' },
      }),
    ).toBe(false);
    expect(isCommitRevision({ id: 1, revision: 'main' })).toBe(false);
  });

  it('takes the version from a (prefixed) semver git tag, else from the Helm parameters, else the chart version', () => {
    const h = {
      id: 3,
      revision: 'a'.repeat(40),
      source: {
        repoURL: 'r',
        helm: { parameters: [{ name: 'image.tag', value: 'v2.0.0' }] },
      },
    };
    const noParams = {
      id: 3,
      revision: 'a'.repeat(40),
      source: { repoURL: 'r' },
    };
    expect(
      toArgoHistoryEntry(
        noParams,
        { sha: 'x', tags: ['app-prod/v1.0.0'] },
        undefined,
        { appNames: ['app-prod'] },
      ).version,
    ).toBe('v1.0.0');
    expect(
      toArgoHistoryEntry(h, { sha: 'x', tags: ['latest'] }, undefined).version,
    ).toBe('v2.0.0');
    expect(
      toArgoHistoryEntry(
        { id: 1, revision: '0.3.1', source: { repoURL: 'r', chart: 'c' } },
        undefined,
        undefined,
      ).version,
    ).toBe('0.3.1');
  });

  it('merges rows newest first', () => {
    const rows = mergeHistory([
      { source: 'argocd', id: '1', deployedAt: '2026-01-01T00:00:00Z' },
      { source: 'helm', id: '2', deployedAt: '2026-02-01T00:00:00Z' },
      { source: 'argocd', id: '3' },
    ]);
    expect(rows.map(r => r.id)).toEqual(['2', '1', '3']);
  });
});
