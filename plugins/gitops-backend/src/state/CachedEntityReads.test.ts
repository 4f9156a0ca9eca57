import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { cachedEntityReads } from './CachedEntityReads';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
};

function setup(ttlMs = 5_000) {
  let t = 0;
  const reads: string[] = [];
  const visible = new Set(['user:default/alice', 'user:default/bob']);
  const catalog = {
    getEntityByRef: async (_ref: unknown, o: { credentials: any }) => {
      reads.push(o.credentials.principal.userEntityRef ?? 'service');
      return visible.has(o.credentials.principal.userEntityRef ?? '')
        ? entity
        : undefined;
    },
    getEntities: async () => ({ items: [entity] }),
  } as unknown as CatalogService;
  const cached = cachedEntityReads(catalog, ttlMs, () => t);
  return {
    cached,
    reads,
    visible,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const alice = { credentials: mockCredentials.user('user:default/alice') };
const bob = { credentials: mockCredentials.user('user:default/bob') };
const carol = { credentials: mockCredentials.user('user:default/carol') };

describe('cachedEntityReads', () => {
  it('reuses a read for the same caller and entity within the TTL, never across callers', async () => {
    const { cached, reads, advance } = setup();
    expect(
      await cached.getEntityByRef('component:default/payments', alice),
    ).toBe(entity);
    expect(
      await cached.getEntityByRef('Component:default/Payments', alice),
    ).toBe(entity);
    expect(reads).toEqual(['user:default/alice']);
    expect(await cached.getEntityByRef('component:default/payments', bob)).toBe(
      entity,
    );
    expect(reads).toEqual(['user:default/alice', 'user:default/bob']);
    advance(4_999);
    await cached.getEntityByRef('component:default/payments', alice);
    expect(reads).toHaveLength(2);
    advance(1);
    await cached.getEntityByRef('component:default/payments', alice);
    expect(reads).toHaveLength(3);
  });

  it('does not keep a miss: a caller who cannot see the entity is asked again, and sees it once allowed', async () => {
    const { cached, reads, visible } = setup();
    expect(
      await cached.getEntityByRef('component:default/payments', carol),
    ).toBeUndefined();
    visible.add('user:default/carol');
    expect(
      await cached.getEntityByRef('component:default/payments', carol),
    ).toBe(entity);
    expect(reads).toEqual(['user:default/carol', 'user:default/carol']);
  });

  it('a revoked visibility is seen after the TTL at the latest', async () => {
    const { cached, visible, advance } = setup(5_000);
    await cached.getEntityByRef('component:default/payments', bob);
    visible.delete('user:default/bob');
    advance(5_000);
    expect(
      await cached.getEntityByRef('component:default/payments', bob),
    ).toBeUndefined();
  });

  it('passes other calls through, and with TTL 0 is the catalog itself', async () => {
    const { cached } = setup();
    expect((await cached.getEntities({}, alice)).items).toEqual([entity]);
    const off = setup(0);
    await off.cached.getEntityByRef('component:default/payments', alice);
    await off.cached.getEntityByRef('component:default/payments', alice);
    expect(off.reads).toHaveLength(2);
  });
});
