import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { ApplicationReads } from './ApplicationReads';

const app = (
  name: string,
  ns: string,
  labels: Record<string, string>,
  project = 'shop',
) =>
  ({
    metadata: { name, namespace: ns, labels },
    spec: { project, destination: {} },
  } as ArgoApplication);

const held = [
  app('api-dev', 'argocd', { env: 'dev', team: 'a' }),
  app('api-prod', 'argocd', { env: 'prod', team: 'a' }),
  app('ops', 'argocd', { env: 'prod' }, 'ops'),
  app('dup', 'argocd', {}),
  app('dup', 'team-x', {}),
];

function fakes(live: boolean) {
  const client = {
    getApplication: jest.fn(async (_i: string, name: string) =>
      app(name, 'argocd', {}),
    ),
    listApplications: jest.fn(async () => [app('direct', 'argocd', {})]),
  };
  const byName = (name: string, ns?: string) => {
    const all = held.filter(
      a => a.metadata.name === name && (!ns || a.metadata.namespace === ns),
    );
    if (all.length === 1) return all[0];
    return all.length === 0 ? null : undefined;
  };
  const mirrors = {
    enabled: true,
    isLive: () => live,
    getApplication: (_i: string, name: string, ns?: string) =>
      live ? byName(name, ns) : undefined,
    listApplications: () => (live ? held : undefined),
  };
  return {
    client,
    reads: new ApplicationReads(
      client as unknown as ArgoCdClient,
      mirrors as unknown as ApplicationMirrors,
    ),
  };
}

describe('ApplicationReads', () => {
  it('a live mirror answers single reads without a call, with the project check of Argo CD', async () => {
    const { client, reads } = fakes(true);
    await expect(reads.get('local', 'api-dev', {})).resolves.toMatchObject({
      app: { metadata: { name: 'api-dev' } },
      freshness: { source: 'mirror', stale: false },
    });
    await expect(
      reads.get('local', 'api-dev', { project: 'shop' }),
    ).resolves.toBeDefined();
    await expect(
      reads.get('local', 'api-dev', { project: 'ops' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(reads.get('local', 'missing', {})).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      reads.get('local', 'dup', { appNamespace: 'team-x' }),
    ).resolves.toMatchObject({
      app: { metadata: { namespace: 'team-x' } },
    });
    expect(client.getApplication).not.toHaveBeenCalled();
    // same name in two namespaces and no namespace given: Argo CD decides
    await expect(reads.get('local', 'dup', {})).resolves.toMatchObject({
      freshness: { source: 'direct', stale: false },
    });
    expect(client.getApplication).toHaveBeenCalledWith('local', 'dup', {
      cached: true,
    });
  });

  it('a live mirror answers lists by selector, projects and namespace without a call', async () => {
    const { client, reads } = fakes(true);
    const names = async (q: object) =>
      (await reads.list('local', q)).apps.map(
        a => `${a.metadata.namespace}/${a.metadata.name}`,
      );
    expect(await names({ selector: 'team=a' })).toEqual([
      'argocd/api-dev',
      'argocd/api-prod',
    ]);
    expect(await names({ selector: 'env=prod', projects: ['ops'] })).toEqual([
      'argocd/ops',
    ]);
    expect(await names({ appNamespace: 'team-x' })).toEqual(['team-x/dup']);
    expect(
      await names({ selector: 'env in (dev)', projects: ['shop', 'ops'] }),
    ).toEqual(['argocd/api-dev']);
    expect((await reads.list('local', {})).freshness).toEqual({
      source: 'mirror',
      stale: false,
    });
    expect(client.listApplications).not.toHaveBeenCalled();
    // a selector we cannot evaluate goes to Argo CD (which answers the error)
    await reads.list('local', { selector: 'env in (' });
    expect(client.listApplications).toHaveBeenCalledWith('local', {
      selector: 'env in (',
      cached: true,
    });
  });

  it('while the mirror is down: Argo CD through the cache, marked stale', async () => {
    const { client, reads } = fakes(false);
    await expect(
      reads.get('local', 'api-dev', { project: 'shop' }),
    ).resolves.toMatchObject({
      freshness: { source: 'direct', stale: true },
    });
    expect(client.getApplication).toHaveBeenCalledWith('local', 'api-dev', {
      project: 'shop',
      cached: true,
    });
    await expect(
      reads.list('local', { selector: 'a=b' }),
    ).resolves.toMatchObject({
      freshness: { source: 'direct', stale: true },
    });
  });

  it('without mirrors: Argo CD through the cache, not stale', async () => {
    const client = {
      getApplication: jest.fn(async () => app('x', 'argocd', {})),
    };
    const reads = new ApplicationReads(client as unknown as ArgoCdClient);
    await expect(reads.get('local', 'x', {})).resolves.toMatchObject({
      freshness: { source: 'direct', stale: false },
    });
  });
});
