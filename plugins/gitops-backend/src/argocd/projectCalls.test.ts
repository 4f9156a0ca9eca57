import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdClient } from './ArgoCdClient';

const server = setupServer();
registerMswTestHooks(server);

describe('ArgoCdClient.getProject', () => {
  it('reads the project windows with their time zones, cached', async () => {
    let calls = 0;
    server.use(
      http.get('http://argo.test/api/v1/projects/shop', () => {
        calls += 1;
        return HttpResponse.json({
          metadata: { name: 'shop', namespace: 'argocd', managedFields: [] },
          spec: {
            sourceRepos: ['*'],
            syncWindows: [
              {
                kind: 'allow',
                schedule: '0 9 * * 1-5',
                duration: '8h',
                timeZone: 'America/New_York',
                applications: ['*-prod'],
                manualSync: null,
              },
            ],
          },
        });
      }),
    );
    const client = ArgoCdClient.create({
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
    const p = await client.getProject('local', 'shop', { cached: true });
    expect(p.spec?.syncWindows?.[0]).toMatchObject({
      kind: 'allow',
      schedule: '0 9 * * 1-5',
      duration: '8h',
      timeZone: 'America/New_York',
      manualSync: undefined,
    });
    await client.getProject('local', 'shop', { cached: true });
    expect(calls).toBe(1);
  });
});
