import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdClient } from './ArgoCdClient';

const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  ArgoCdClient.create({
    instances: [
      {
        name: 'local',
        url: 'http://argo.test',
        externalUrl: 'http://argo.test',
        token: 'a.b.c',
        timeoutMs: 2000,
        concurrency: 2,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 5000 }),
  });

describe('ArgoCdClient.listProjects', () => {
  it('lists the AppProjects (v1alpha1AppProjectList) with their windows, never from the cache', async () => {
    let calls = 0;
    server.use(
      http.get('http://argo.test/api/v1/projects', () => {
        calls += 1;
        return HttpResponse.json({
          metadata: { resourceVersion: '42' },
          items: [
            {
              metadata: { name: 'shop', namespace: 'argocd' },
              spec: {
                syncWindows: [
                  {
                    kind: 'deny',
                    schedule: '0 22 * * *',
                    duration: '2h',
                    timeZone: 'Europe/Berlin',
                    namespaces: ['shop*'],
                    clusters: null,
                    andOperator: true,
                  },
                ],
              },
            },
            { metadata: { name: 'default' }, spec: {} },
          ],
        });
      }),
    );
    const c = client();
    const list = await c.listProjects('local');
    expect(list.map(p => p.metadata.name)).toEqual(['shop', 'default']);
    expect(list[0].spec?.syncWindows?.[0]).toMatchObject({
      kind: 'deny',
      timeZone: 'Europe/Berlin',
      namespaces: ['shop*'],
      clusters: undefined,
      andOperator: true,
    });
    await c.listProjects('local');
    expect(calls).toBe(2);
  });

  it('an empty list (items null) is no project; a wrong shape is an error', async () => {
    server.use(
      http.get('http://argo.test/api/v1/projects', () =>
        HttpResponse.json({ metadata: {}, items: null }),
      ),
    );
    await expect(client().listProjects('local')).resolves.toEqual([]);
    server.use(
      http.get('http://argo.test/api/v1/projects', () =>
        HttpResponse.json({ items: [{ spec: {} }] }),
      ),
    );
    await expect(client().listProjects('local')).rejects.toThrow(
      /ServiceUnavailable|metadata/,
    );
  });
});
