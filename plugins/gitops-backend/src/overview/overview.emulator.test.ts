/*
 * GET …/overview through the whole plugin (its own Argo CD client and mirror,
 * Backstage's HTTP stack with its compression middleware) against the
 * emulator: the same state as GET …/environments, gzip and identity bodies
 * equal, 304 on a matching entity tag, and a sync in Argo CD shows in the
 * overview through the mirror's event although the overview's time to live
 * is an hour.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import type {
  EntityGitOpsOverview,
  EntityGitOpsState,
} from '@internal/plugin-gitops-common';
import request from 'supertest';
import http from 'node:http';
import zlib from 'node:zlib';
import { gitopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: { 'gitops/app': 'python-api-base' },
  },
  spec: { type: 'service', owner: 'group:default/team-a' },
};
const base = '/api/gitops/entities/component/default/python-api-base';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    instance: 'local',
    operationDurationMs: 50,
    healthProgressingMs: 50,
    reconcileIntervalMs: 3_600_000,
  });
});
afterAll(async () => {
  await emu?.stop();
});

async function start() {
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            argocd: {
              instances: [{ name: 'local', url: emu.url, token: emu.token }],
            },
            defaultPipeline: 'standard',
            pipelines: {
              standard: {
                applicationName: '{app}-{env}',
                environments: [
                  { name: 'dev', instance: 'local' },
                  { name: 'staging', instance: 'local', promotesFrom: 'dev' },
                  { name: 'prod', instance: 'local', promotesFrom: 'staging' },
                ],
              },
            },
            cache: { ttl: '0s', overviewTtl: '1h' },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [entity] }),
    ],
  });
  return { server: backend.server, stop: () => backend.stop() };
}

/** Polls until a deadline (a wait, not a timing assertion). */
async function until<T>(what: string, fn: () => Promise<T | undefined>) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('GET …/overview against the emulator', () => {
  it('answers the state of …/environments in one body, kept until Argo CD changes it', async () => {
    const { server, stop } = await start();
    try {
      await until('the mirror is live', async () => {
        const res = await request(server).get('/api/gitops/mirror/status');
        return res.body?.items?.every((i: any) => i.live) || undefined;
      });
      const envs = await request(server).get(`${base}/environments`);
      expect(envs.status).toBe(200);
      const state = envs.body as EntityGitOpsState;

      const first = await request(server)
        .get(`${base}/overview`)
        .set('accept-encoding', 'gzip');
      expect(first.status).toBe(200);
      expect(first.headers['content-encoding']).toBe('gzip');
      expect(first.headers.vary).toMatch(/accept-encoding/i);
      const overview = first.body as EntityGitOpsOverview;
      expect(overview.state.environments.map(e => [e.name, e.version])).toEqual(
        state.environments.map(e => [e.name, e.version]),
      );
      expect(overview.state.environments.map(e => e.freshness)).toEqual([
        { source: 'mirror', stale: false },
        { source: 'mirror', stale: false },
        { source: 'mirror', stale: false },
      ]);
      expect(overview.changes).toEqual([]);
      expect(overview.pendingForMe).toEqual([]);
      expect(Object.keys(overview.digests ?? {}).sort()).toEqual([
        'dev',
        'prod',
        'staging',
      ]);

      // the same bytes without gzip
      const plain = await request(server)
        .get(`${base}/overview`)
        .set('accept-encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toEqual(overview);
      expect(plain.headers.etag).toBe(first.headers.etag);

      // a browser revalidating: 304, no body
      const again = await request(server)
        .get(`${base}/overview`)
        .set('if-none-match', first.headers.etag);
      expect(again.status).toBe(304);

      // a sync in Argo CD: the mirror's event ends the kept overview (its TTL is 1 h)
      const before = overview.state.environments.find(
        e => e.name === 'staging',
      )!.operation?.startedAt;
      const sync = await fetch(
        `${emu.url}/api/v1/applications/python-api-base-staging/sync`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${emu.token}`,
            'content-type': 'application/json',
          },
          body: '{}',
        },
      );
      expect(sync.status).toBe(200);
      const after = await until('the overview shows the sync', async () => {
        const res = await request(server).get(`${base}/overview`);
        const started = (
          res.body as EntityGitOpsOverview
        ).state.environments.find(e => e.name === 'staging')!.operation
          ?.startedAt;
        return started && started !== before ? res : undefined;
      });
      expect(after.headers.etag).not.toBe(first.headers.etag);
      // the gzip body is a plain gzip stream of the JSON (read undecoded)
      const { port } = server.address() as { port: number };
      const raw = await new Promise<Buffer>((resolve, reject) => {
        http
          .get(
            `http://127.0.0.1:${port}${base}/overview`,
            { headers: { 'accept-encoding': 'gzip' } },
            res => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(Buffer.concat(chunks)));
            },
          )
          .on('error', reject);
      });
      const decoded = JSON.parse(zlib.gunzipSync(raw).toString('utf8'));
      expect(decoded.state.entityRef).toBe('component:default/python-api-base');
      expect(decoded.state.environments).toHaveLength(3);
    } finally {
      await stop();
    }
  });

  it('answers 404 for an entity the catalog does not have, like …/environments', async () => {
    const { server, stop } = await start();
    try {
      const res = await request(server).get(
        '/api/gitops/entities/component/default/nobody/overview',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('component:default/nobody');
    } finally {
      await stop();
    }
  });
});
