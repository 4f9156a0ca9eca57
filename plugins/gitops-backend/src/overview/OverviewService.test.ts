import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityGitOpsState,
  EnvironmentVerification,
} from '@internal/plugin-gitops-common';
import type { StoredChange } from '../store/ChangeStore';
import { OverviewService, OverviewSources } from './OverviewService';
import { ViewStamps } from './ViewStamps';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
};
const REF = 'component:default/payments';

function state(
  source: 'mirror' | 'direct' = 'mirror',
  stale = false,
): EntityGitOpsState {
  return {
    entityRef: REF,
    pipeline: 'standard',
    environments: ['dev', 'prod'].map((name, order) => ({
      name,
      order,
      version: `v1.${order}.0`,
      freshness: { source, stale },
    })) as EntityGitOpsState['environments'],
  };
}

function change(over: Partial<StoredChange>): StoredChange {
  return {
    id: over.id ?? '00000000-0000-4000-8000-000000000001',
    entityRef: REF,
    environment: 'prod',
    pipeline: 'standard',
    kind: 'promote',
    state: 'awaiting_approval',
    requestedBy: 'user:default/alice',
    approverRefs: ['group:default/platform-team'],
    approvals: [],
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    ...over,
  } as StoredChange;
}

const bob = {
  credentials: mockCredentials.user('user:default/bob'),
  userEntityRef: 'user:default/bob',
  claims: ['user:default/bob', 'group:default/platform-team'],
};
const carol = {
  credentials: mockCredentials.user('user:default/carol'),
  userEntityRef: 'user:default/carol',
  claims: ['user:default/carol', 'group:default/qa'],
};

function setup(
  o: {
    ttlMs?: number;
    source?: 'mirror' | 'direct';
    stale?: boolean;
    changes?: StoredChange[];
  } = {},
) {
  let now = 1_000_000;
  const calls = {
    state: 0,
    entityChanges: 0,
    open: 0,
    verification: 0,
    digests: 0,
    visible: 0,
  };
  const stored = o.changes ?? [change({})];
  const sources: OverviewSources = {
    state: {
      getEnvironments: async () => {
        calls.state += 1;
        return state(o.source, o.stale);
      },
    },
    changes: {
      listChanges: async filter => {
        if (filter.entityRef) {
          calls.entityChanges += 1;
          return stored.filter(c => c.entityRef === filter.entityRef);
        }
        calls.open += 1;
        return stored.filter(c => filter.states?.includes(c.state));
      },
    },
    visible: async items => {
      calls.visible += 1;
      return items;
    },
    verification: async (_e, environment) => {
      calls.verification += 1;
      return {
        entityRef: REF,
        environment,
        configured: environment === 'prod',
        decisions: [],
        canSignOff: false,
        ...(environment === 'prod'
          ? { signOff: { status: 'pending', groups: ['group:default/qa'] } }
          : {}),
      } as EnvironmentVerification;
    },
    digests: async () => {
      calls.digests += 1;
      return { digests: { 'v1.0.0': 'sha256:aa' } };
    },
  };
  const stamps = new ViewStamps();
  const service = new OverviewService({
    sources,
    stamps,
    ttlMs: o.ttlMs ?? 10_000,
    now: () => now,
  });
  return {
    service,
    stamps,
    calls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('OverviewService', () => {
  it('answers every part the tab shows, canSignOff and pending for the caller', async () => {
    const { service } = setup();
    const forBob = await service.get(entity, bob);
    expect(forBob.state.environments.map(e => e.version)).toEqual([
      'v1.0.0',
      'v1.1.0',
    ]);
    expect(forBob.changes.map(c => c.id)).toEqual([
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(forBob.pendingForMe).toEqual([
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(forBob.verification?.prod.canSignOff).toBe(false);
    expect(forBob.digests?.dev.digests['v1.0.0']).toBe('sha256:aa');
    expect(forBob.partErrors).toBeUndefined();

    const forCarol = await service.get(entity, carol);
    expect(forCarol.pendingForMe).toEqual([]);
    expect(forCarol.verification?.prod.canSignOff).toBe(true);
  });

  it('reads once while nothing changed, and again after an environment event, a change movement or the TTL', async () => {
    const { service, stamps, calls, advance } = setup();
    await service.get(entity, bob);
    await service.get(entity, carol);
    await service.get(entity, bob);
    expect(calls).toMatchObject({
      state: 1,
      entityChanges: 1,
      open: 1,
      verification: 2,
      digests: 2,
    });
    expect(service.stats).toMatchObject({ hits: 2, misses: 1 });

    stamps.entityChanged('Component:default/Payments');
    await service.get(entity, bob);
    expect(calls.state).toBe(2);
    expect(calls.open).toBe(1);

    stamps.changeMoved(REF);
    await service.get(entity, bob);
    expect(calls.state).toBe(3);
    expect(calls.open).toBe(2);

    advance(9_999);
    await service.get(entity, bob);
    expect(calls.state).toBe(3);
    advance(1);
    await service.get(entity, bob);
    expect(calls.state).toBe(4);
    expect(calls.open).toBe(3);
  });

  it('another entity moving does not rebuild this one, but moves pending approvals', async () => {
    const { service, stamps, calls } = setup();
    await service.get(entity, bob);
    stamps.entityChanged('component:default/other');
    await service.get(entity, bob);
    expect(calls.state).toBe(1);
    stamps.changeMoved('component:default/other');
    await service.get(entity, bob);
    expect(calls.state).toBe(1);
    expect(calls.open).toBe(2);
  });

  it('an event during a read leaves that read unserved afterwards', async () => {
    const { service, stamps, calls } = setup();
    const first = service.get(entity, bob);
    stamps.entityChanged(REF);
    await first;
    await service.get(entity, bob);
    expect(calls.state).toBe(2);
  });

  it('shares one read between concurrent requests', async () => {
    const { service, calls } = setup();
    await Promise.all([
      service.get(entity, bob),
      service.get(entity, carol),
      service.get(entity, bob),
    ]);
    expect(calls.state).toBe(1);
  });

  it.each([
    ['read directly from Argo CD', { source: 'direct' as const }],
    ['from a mirror that is down', { stale: true }],
    ['with the cache off (ttl 0)', { ttlMs: 0 }],
  ])('keeps nothing %s', async (_name, o) => {
    const { service, calls } = setup(o);
    await service.get(entity, bob);
    await service.get(entity, bob);
    expect(calls.state).toBe(2);
  });

  it('names a part that failed and does not keep it', async () => {
    let reads = 0;
    const overview = new OverviewService({
      sources: {
        state: { getEnvironments: async () => state() },
        changes: {
          listChanges: async () => {
            reads += 1;
            throw new Error('database is away');
          },
        },
        visible: async items => items,
      },
      stamps: new ViewStamps(),
      ttlMs: 10_000,
    });
    const o = await overview.get(entity, bob);
    expect(o.partErrors).toEqual({
      changes: 'database is away',
      pendingForMe: 'database is away',
    });
    expect(o.changes).toEqual([]);
    expect(o.pendingForMe).toEqual([]);
    expect(o.verification).toBeUndefined();
    await overview.get(entity, bob);
    expect(reads).toBe(4);
  });

  it('offers as pending neither an expired change nor the caller’s own request, and only what the caller may see', async () => {
    const stored = [
      change({}),
      change({
        id: '00000000-0000-4000-8000-000000000002',
        requestedBy: 'user:default/bob',
      }),
      change({
        id: '00000000-0000-4000-8000-000000000003',
        expiresAt: '1970-01-01T00:00:00.000Z',
      }),
      change({
        id: '00000000-0000-4000-8000-000000000004',
        entityRef: 'component:default/secret',
      }),
      change({
        id: '00000000-0000-4000-8000-000000000005',
        entityRef: 'component:default/public',
      }),
    ];
    const seen: string[][] = [];
    const overview = new OverviewService({
      sources: {
        state: { getEnvironments: async () => state() },
        changes: {
          listChanges: async f =>
            f.entityRef
              ? stored.filter(c => c.entityRef === f.entityRef)
              : stored,
        },
        visible: async (items, credentials) => {
          expect(credentials).toBe(bob.credentials);
          seen.push(items.map(c => c.id));
          return items.filter(c => c.entityRef !== 'component:default/secret');
        },
      },
      stamps: new ViewStamps(),
      ttlMs: 10_000,
      now: () => Date.parse('2026-12-02T00:00:00Z'),
    });
    const o = await overview.get(entity, bob);
    expect(o.pendingForMe).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000005',
    ]);
    expect(seen[0]).toHaveLength(3);
  });
});
