/**
 * Contract tests: every response the plugin reads validates against Argo CD's
 * swagger (strict: no undeclared fields, documented wire quirks allowed), and a
 * real recorded Application loads into the emulator and comes back out equal.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { replaceTag } from './seed';
import { startEmulator, EmulatorHandle } from './startEmulator';
import { httpRequest, waitFor } from './testing/http';
import { SwaggerValidator, TEST_DATA } from './__testUtils__/swaggerValidator';

// ---------------------------------------------------------------- tests

jest.setTimeout(30_000);

let emu: EmulatorHandle;
let validator: SwaggerValidator;
const get = async (p: string, token: string | null = emu.token) =>
  httpRequest('GET', `${emu.url}${p}`, { token: token ?? undefined });
const post = async (p: string, body: unknown) =>
  httpRequest('POST', `${emu.url}${p}`, { token: emu.token, body });

function expectValid(definition: string, value: unknown) {
  expect({ definition, errors: validator.errors(definition, value) }).toEqual({
    definition,
    errors: [],
  });
}

beforeAll(async () => {
  validator = new SwaggerValidator();
  emu = await startEmulator({
    clock: { now: () => new Date('2026-11-23T10:00:00Z') },
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000,
    adminApi: true,
    users: { admin: 'pw' },
  });
});

afterAll(async () => {
  await emu.stop();
});

describe('the validator itself', () => {
  it('accepts a real recorded sync response (hook.force quirk, int64 ids as numbers)', () => {
    const recorded = JSON.parse(
      fs.readFileSync(
        path.join(TEST_DATA, 'argocd-samples/sync-response.json'),
        'utf8',
      ),
    );
    expectValid('v1alpha1Application', recorded);
  });

  it('rejects misspelt fields and wrong types', () => {
    expect(
      validator.errors('applicationApplicationSyncRequest', {
        syncOptions: ['Validate=false'],
      }),
    ).not.toEqual([]);
    expect(
      validator.errors('v1alpha1Application', {
        status: { history: [{ id: 'x' }] },
      }),
    ).not.toEqual([]);
    expect(
      validator.errors('v1alpha1Application', { spec: { retry: {} } }),
    ).not.toEqual([]);
    expect(validator.errors('v1alpha1RevisionHistory', { id: '12' })).toEqual(
      [],
    );
  });
});

describe('responses validate against the Argo CD v3.5.1 swagger', () => {
  it('applications: list, get, refresh', async () => {
    expectValid(
      'v1alpha1ApplicationList',
      (await get('/api/v1/applications')).body,
    );
    expectValid(
      'v1alpha1Application',
      (await get('/api/v1/applications/python-api-base-prod')).body,
    );
    expectValid(
      'v1alpha1Application',
      (await get('/api/v1/applications/python-api-base-dev?refresh=hard')).body,
    );
  });

  it('sync, operation states, rollback, terminate', async () => {
    const sync = await post('/api/v1/applications/python-api-base-prod/sync', {
      dryRun: true,
      prune: true,
      infos: [{ name: 'gitops-change', value: 'x' }],
      strategy: { apply: { force: false } },
      syncOptions: { items: ['Validate=false'] },
      retryStrategy: {
        limit: 2,
        backoff: { duration: '5s', factor: 2, maxDuration: '1m' },
      },
    });
    expect(sync.status).toBe(200);
    expectValid('applicationApplicationSyncRequest', {
      dryRun: true,
      syncOptions: { items: ['Validate=false'] },
      strategy: { hook: { force: true } },
      resources: [
        { group: 'apps', kind: 'Deployment', name: 'x', namespace: 'y' },
      ],
    });
    expectValid('v1alpha1Application', sync.body);
    const running = await waitFor(async () => {
      const a = (await get('/api/v1/applications/python-api-base-prod')).body;
      return a.status.operationState ? a : undefined;
    }, 'operationState');
    expectValid('v1alpha1Application', running);
    const done = await waitFor(async () => {
      const a = (await get('/api/v1/applications/python-api-base-prod')).body;
      return a.operation ? undefined : a;
    }, 'finished');
    expectValid('v1alpha1Application', done);
    const rb = await post(
      '/api/v1/applications/python-api-base-prod/rollback',
      { id: 0, dryRun: true },
    );
    expect(rb.status).toBe(200);
    expectValid('v1alpha1Application', rb.body);
    const term = await httpRequest(
      'DELETE',
      `${emu.url}/api/v1/applications/python-api-base-prod/operation`,
      { token: emu.token },
    );
    expect(term.status).toBe(200);
    expectValid('applicationOperationTerminateResponse', term.body);
  });

  it('spec updates', async () => {
    const app = (await get('/api/v1/applications/python-api-base-staging'))
      .body;
    const spec = await httpRequest(
      'PUT',
      `${emu.url}/api/v1/applications/python-api-base-staging/spec`,
      { token: emu.token, body: app.spec },
    );
    expectValid('v1alpha1ApplicationSpec', spec.body);
    const patched = await httpRequest(
      'PATCH',
      `${emu.url}/api/v1/applications/python-api-base-staging`,
      {
        token: emu.token,
        body: {
          patch: JSON.stringify({ metadata: { annotations: { a: 'b' } } }),
          patchType: 'merge',
        },
      },
    );
    expectValid('v1alpha1Application', patched.body);
  });

  it('managed-resources, resource-tree, manifests, revision metadata, sync windows', async () => {
    const name = 'python-api-base-prod';
    expectValid(
      'applicationManagedResourcesResponse',
      (await get(`/api/v1/applications/${name}/managed-resources`)).body,
    );
    expectValid(
      'v1alpha1ApplicationTree',
      (await get(`/api/v1/applications/${name}/resource-tree`)).body,
    );
    const manifests = (
      await get(`/api/v1/applications/${name}/manifests?revision=main`)
    ).body;
    expectValid('repositoryManifestResponse', manifests);
    expectValid(
      'v1alpha1RevisionMetadata',
      (
        await get(
          `/api/v1/applications/${name}/revisions/${manifests.revision}/metadata`,
        )
      ).body,
    );
    expectValid(
      'applicationApplicationSyncWindowsResponse',
      (await get(`/api/v1/applications/${name}/syncwindows`)).body,
    );
  });

  it('projects, session, userinfo, version, errors', async () => {
    expectValid('v1alpha1AppProjectList', (await get('/api/v1/projects')).body);
    expectValid(
      'v1alpha1AppProject',
      (await get('/api/v1/projects/shop')).body,
    );
    expectValid(
      'projectSyncWindowsResponse',
      (await get('/api/v1/projects/shop/syncwindows')).body,
    );
    const session = await post('/api/v1/session', {
      username: 'admin',
      password: 'pw',
    });
    expectValid('sessionSessionResponse', session.body);
    expectValid(
      'sessionGetUserInfoResponse',
      (await get('/api/v1/session/userinfo')).body,
    );
    expectValid('versionVersionMessage', (await get('/api/version')).body);
    for (const res of [
      await get('/api/v1/applications', null),
      await get('/api/v1/applications/nope'),
      await get('/api/v1/applications/nope?project=shop'),
      await post('/api/v1/applications/python-api-base-dev/rollback', {
        id: 0,
      }),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectValid('runtimeError', res.body);
      expect(Object.keys(res.body).sort()).toEqual([
        'code',
        'error',
        'message',
      ]);
    }
  });
});

describe('the application stream', () => {
  it('emits v1alpha1ApplicationWatchEvent results', async () => {
    const http = require('node:http') as typeof import('node:http');
    const u = new URL(emu.url.replace('localhost', '127.0.0.1'));
    const lines: string[] = [];
    const req = http.request({
      agent: new http.Agent(),
      host: u.hostname,
      port: u.port,
      path: '/api/v1/stream/applications?selector=env%3Ddev',
      headers: { authorization: `Bearer ${emu.token}` },
    });
    let buf = '';
    req.on('response', res =>
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts.filter(Boolean));
      }),
    );
    req.on('error', () => undefined);
    req.end();
    try {
      await waitFor(async () => lines.length >= 1, 'a stream event');
      for (const l of lines)
        expectValid('v1alpha1ApplicationWatchEvent', JSON.parse(l).result);
    } finally {
      req.destroy();
    }
  });
});

describe('the recorded Application (argocd-samples/application-with-history.yaml)', () => {
  function leaves(value: unknown, prefix = ''): [string, unknown][] {
    if (value && typeof value === 'object') {
      const entries = Array.isArray(value)
        ? value.map((v, i) => [String(i), v] as const)
        : Object.entries(value);
      if (entries.length === 0) return [[prefix, value]];
      return entries.flatMap(([k, v]) => leaves(v, `${prefix}/${k}`));
    }
    return [[prefix, value]];
  }

  it('loads into the emulator and comes back out equal in the fields it defines', async () => {
    const recorded = parseYaml(
      fs.readFileSync(
        path.join(TEST_DATA, 'argocd-samples/application-with-history.yaml'),
        'utf8',
      ),
    );
    // The REST API returns the object without apiVersion/kind.
    const { apiVersion: _a, kind: _k, ...rest } = recorded;
    const loaded = await post('/emulator/admin/applications', rest);
    expect(loaded.status).toBe(200);
    const out = (await get('/api/v1/applications/velero-test')).body;
    expectValid('v1alpha1Application', out);
    const actual = new Map(leaves(out));
    const mismatches = leaves(rest).filter(
      ([p, v]) => JSON.stringify(actual.get(p)) !== JSON.stringify(v),
    );
    expect(mismatches).toEqual([]);
    expect(out.status.history.map((h: any) => h.id)).toEqual([
      14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    ]);
    // it also lists, filters by label, and answers the existence rules like any other app
    const list = (
      await get(
        '/api/v1/applications?selector=cluster_name%3Dgke-alpha-01-europe-west1',
      )
    ).body;
    expect(list.items.map((a: any) => a.metadata.name)).toEqual([
      'velero-test',
    ]);
    expect(
      (await get('/api/v1/applications/velero-test?project=shop')).status,
    ).toBe(404);
    expect(
      (await get('/api/v1/applications/velero-test?project=sre')).status,
    ).toBe(200);
  });
});

describe('troubleshooting reads (resource tree with pod status, events, logs, a failing hook)', () => {
  const commit = (app: string, tag: string) => {
    const file = path.join(emu.repoDir, 'apps', app, 'values.yaml');
    fs.writeFileSync(file, replaceTag(fs.readFileSync(file, 'utf8'), tag));
    execFileSync('git', [
      '-C',
      emu.repoDir,
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-q',
      '-m',
      tag,
      '--',
      `apps/${app}/values.yaml`,
    ]);
  };
  const settle = async (app: string, done: (a: any) => boolean) => {
    await get(`/api/v1/applications/${app}?refresh=hard`);
    await post(`/api/v1/applications/${app}/sync`, {});
    return waitFor(async () => {
      const a = (await get(`/api/v1/applications/${app}`)).body;
      return done(a) ? a : undefined;
    }, `${app} settled`);
  };
  const streamLines = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l));

  it('an unbuilt tag: tree, pod events, app events, logs and the waiting error', async () => {
    const name = 'python-api-base-staging';
    commit(name, 'v9.9.9');
    await settle(name, a => a.status.health.status === 'Degraded');
    const tree = (await get(`/api/v1/applications/${name}/resource-tree`)).body;
    expectValid('v1alpha1ApplicationTree', tree);
    const pod = tree.nodes.find((n: any) => n.kind === 'Pod');
    expect(pod.info).toContainEqual({
      name: 'Status Reason',
      value: 'ImagePullBackOff',
    });
    const podEvents = (
      await get(
        `/api/v1/applications/${name}/events?resourceName=${pod.name}&resourceNamespace=${pod.namespace}&resourceUID=${pod.uid}`,
      )
    ).body;
    expectValid('eventsEventList', podEvents);
    expect(podEvents.items.length).toBeGreaterThan(0);
    const rs = tree.nodes.find((n: any) => n.kind === 'ReplicaSet');
    expectValid(
      'eventsEventList',
      (
        await get(
          `/api/v1/applications/${name}/events?resourceUID=${rs.uid}&resourceName=${rs.name}`,
        )
      ).body,
    );
    expectValid(
      'eventsEventList',
      (await get(`/api/v1/applications/${name}/events`)).body,
    );
    const waiting = await get(
      `/api/v1/applications/${name}/logs?podName=${pod.name}&container=python-api-base`,
    );
    const [error] = streamLines(waiting.text);
    expectValid('runtimeStreamError', error.error);
  });

  it('log entries of a running pod, and the last entry', async () => {
    const name = 'python-api-base-dev';
    const tree = (await get(`/api/v1/applications/${name}/resource-tree`)).body;
    const pod = tree.nodes.find((n: any) => n.kind === 'Pod');
    const res = await get(
      `/api/v1/applications/${name}/logs?podName=${pod.name}&tailLines=5`,
    );
    const lines = streamLines(res.text);
    expect(lines.length).toBe(6);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['result']);
      expectValid('applicationLogEntry', l.result);
    }
    expect(lines[5].result.last).toBe(true);
  });

  it('a failed PreSync hook in the operation state', async () => {
    const name = 'python-api-base-prod';
    commit(name, 'v1.4.0-hookfail');
    const app = await settle(
      name,
      a => a.status.operationState?.phase === 'Failed',
    );
    expectValid('v1alpha1Application', app);
    expect(app.status.operationState.syncResult.resources[0]).toMatchObject({
      hookType: 'PreSync',
      hookPhase: 'Failed',
    });
  });
});

describe('the fidelity shapes validate against the swagger (issue 12)', () => {
  it('sidecar pods, lists without resource health, multi-source, another namespace, managedFields', async () => {
    const list = (await get('/api/v1/applications')).body;
    expectValid('v1alpha1ApplicationList', list);
    const names = list.items.map((a: any) => a.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'checkout-api-prod',
        'storefront-web-prod',
        'inventory-api-prod',
      ]),
    );
    // (a loaded recording, if another test loaded one, keeps its own metadata)
    for (const a of list.items.filter(
      (i: any) => i.metadata.name !== 'velero-test',
    )) {
      expect(a.metadata.managedFields).toHaveLength(2);
      for (const r of a.status.resources ?? [])
        expect(r).not.toHaveProperty('health');
    }
    const checkout = (await get('/api/v1/applications/checkout-api-prod')).body;
    expectValid('v1alpha1Application', checkout);
    expect(checkout.status.summary.images).toHaveLength(4);
    expectValid(
      'v1alpha1ApplicationTree',
      (await get('/api/v1/applications/checkout-api-prod/resource-tree')).body,
    );
    const multi = (await get('/api/v1/applications/storefront-web-prod')).body;
    expectValid('v1alpha1Application', multi);
    expect(multi.status.sync.revisions).toHaveLength(2);
    const other = (
      await get(
        '/api/v1/applications/inventory-api-prod?appNamespace=team-inventory',
      )
    ).body;
    expectValid('v1alpha1Application', other);
    expect(other.metadata.namespace).toBe('team-inventory');
  });

  it('a multi-source sync response, project windows with a time zone, anonymous version, an invalid session', async () => {
    const sync = await post('/api/v1/applications/storefront-web-prod/sync', {
      dryRun: true,
    });
    expect(sync.status).toBe(200);
    expectValid('v1alpha1Application', sync.body);
    expect(sync.body.operation.sync.revisions).toHaveLength(2);
    const project = (await get('/api/v1/projects/checkout')).body;
    expectValid('v1alpha1AppProject', project);
    expect(project.spec.syncWindows[0].timeZone).toBe('America/New_York');
    const windows = (await get('/api/v1/projects/checkout/syncwindows')).body;
    expectValid('projectSyncWindowsResponse', windows);
    const anon = await get('/api/version', null);
    expectValid('versionVersionMessage', anon.body);
    expect(Object.keys(anon.body)).toEqual(['Version']);
    const invalid = await get('/api/v1/applications', 'a.b.c');
    expect(invalid.status).toBe(401);
    expectValid('runtimeError', invalid.body);
  });
});
