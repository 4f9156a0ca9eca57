import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider, mockApis } from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import type { EntityGitOpsOverview } from '@internal/plugin-gitops-common';
import { gitopsApiRef, type GitopsApi } from '../api';
import { useEntityGitOps } from './useEntityGitOps';
import { ENTITY_REF, makeChange, makeState } from '../__testUtils__/fixtures';

const ENTITY = {
  kind: 'component',
  namespace: 'default',
  name: 'python-api-base',
};

const older = makeChange({ id: 'chg-1', createdAt: '2026-11-20T10:00:00Z' });
const newer = makeChange({ id: 'chg-2', createdAt: '2026-11-27T10:00:00Z' });

function overview(
  over: Partial<EntityGitOpsOverview> = {},
): EntityGitOpsOverview {
  return {
    state: makeState(),
    changes: [older, newer],
    pendingForMe: ['chg-2', 'chg-other-entity'],
    verification: {
      staging: {
        entityRef: ENTITY_REF,
        environment: 'staging',
        configured: true,
        version: 'v1.2.0-rc.1',
        decisions: [],
        canSignOff: false,
      },
    },
    digests: { staging: { digests: { 'v1.2.0-rc.1': 'sha256:ab' } } },
    ...over,
  };
}

/** An API of mocks: every per-part method fails the test when called. */
function mockApi(getOverview?: jest.Mock) {
  const unexpected = (name: string): jest.Mock<Promise<unknown>> =>
    jest.fn(() => Promise.reject(new Error(`unexpected ${name}`)));
  const mocks = {
    getEnvironments: unexpected('getEnvironments'),
    listChanges: unexpected('listChanges'),
    getPendingApprovals: unexpected('getPendingApprovals'),
  };
  const api = {
    ...(getOverview ? { getOverview } : {}),
    ...mocks,
  } as unknown as GitopsApi;
  return { api, ...mocks };
}

function render(api: GitopsApi) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [gitopsApiRef, api],
        [configApiRef, mockApis.config()],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  return renderHook(() => useEntityGitOps(ENTITY, ENTITY_REF), { wrapper });
}

describe('useEntityGitOps', () => {
  it('with getOverview: one call, changes newest first, pendingForMe as a set, verification and digests by environment', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview());
    const api = mockApi(getOverview);
    const { result } = render(api.api);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(getOverview).toHaveBeenCalledTimes(1);
    expect(getOverview).toHaveBeenCalledWith(ENTITY);
    expect(api.getEnvironments).not.toHaveBeenCalled();
    expect(api.listChanges).not.toHaveBeenCalled();
    expect(api.getPendingApprovals).not.toHaveBeenCalled();
    expect(result.current.state?.environments).toHaveLength(3);
    expect(result.current.changes.map(c => c.id)).toEqual(['chg-2', 'chg-1']);
    expect(result.current.pendingForMe).toEqual(
      new Set(['chg-2', 'chg-other-entity']),
    );
    expect(result.current.verification?.staging.version).toBe('v1.2.0-rc.1');
    expect(result.current.digests?.staging.digests).toEqual({
      'v1.2.0-rc.1': 'sha256:ab',
    });
    expect(result.current.error).toBeUndefined();
    expect(result.current.changesError).toBeUndefined();
  });

  it('a part error of the changes sets changesError and keeps the changes shown', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview());
    const { result } = render(mockApi(getOverview).api);
    await waitFor(() => expect(result.current.changes).toHaveLength(2));
    getOverview.mockResolvedValue(
      overview({
        changes: [],
        pendingForMe: [],
        partErrors: {
          changes: 'the change store did not answer',
          pendingForMe: 'the change store did not answer',
        },
      }),
    );
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.changesError?.message).toBe(
        'the change store did not answer',
      ),
    );
    expect(getOverview).toHaveBeenCalledTimes(2);
    expect(result.current.changes.map(c => c.id)).toEqual(['chg-2', 'chg-1']);
    expect(result.current.pendingForMe).toEqual(
      new Set(['chg-2', 'chg-other-entity']),
    );
  });

  it('a failed overview keeps the previous data and sets error', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview());
    const { result } = render(mockApi(getOverview).api);
    await waitFor(() => expect(result.current.state).toBeDefined());
    const before = result.current;
    getOverview.mockRejectedValue(new Error('Argo CD did not answer'));
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Argo CD did not answer'),
    );
    expect(result.current.state).toBe(before.state);
    expect(result.current.changes).toBe(before.changes);
    expect(result.current.pendingForMe).toBe(before.pendingForMe);
    expect(result.current.verification).toBe(before.verification);
    expect(result.current.digests).toBe(before.digests);
  });

  it('without getOverview: environments, changes and pending approvals, as before', async () => {
    const api = mockApi();
    api.getEnvironments.mockResolvedValue(makeState());
    api.listChanges.mockResolvedValue({ items: [older, newer] });
    api.getPendingApprovals.mockResolvedValue({ items: [newer] });
    const { result } = render(api.api);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(api.getEnvironments).toHaveBeenCalledWith(ENTITY);
    expect(api.listChanges).toHaveBeenCalledWith({ entityRef: ENTITY_REF });
    expect(api.getPendingApprovals).toHaveBeenCalledTimes(1);
    expect(result.current.changes.map(c => c.id)).toEqual(['chg-2', 'chg-1']);
    expect(result.current.pendingForMe).toEqual(new Set(['chg-2']));
    expect(result.current.verification).toBeUndefined();
    expect(result.current.digests).toBeUndefined();
  });
});
