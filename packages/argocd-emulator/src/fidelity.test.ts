/**
 * The Argo CD shapes that hid backend bugs (issue 12), each as Argo CD v3.5.1
 * builds it (sources in the README's "Fidelity" section): pods with init
 * containers and sidecars, lists without per-resource health, windows with a
 * time zone, multi-source apps, apps in another namespace, managedFields, the
 * anonymous version and the session error texts.
 */
import crypto from 'node:crypto';
import { startEmulator, EmulatorHandle } from './startEmulator';
import { httpRequest, waitFor } from './testing/http';

const MONDAY_10_UTC = new Date('2026-11-23T10:00:00Z'); // 05:00 in New York
const MONDAY_15_UTC = new Date('2026-11-23T15:00:00Z'); // 10:00 in New York

let now = MONDAY_10_UTC;
let emu: EmulatorHandle;
jest.setTimeout(60_000);

const api = (
  method: string,
  p: string,
  body?: unknown,
  token?: string | null,
) =>
  httpRequest(method, `${emu.url}${p}`, {
    token: token === null ? undefined : token ?? emu.token,
    body,
  });

beforeAll(async () => {
  emu = await startEmulator({
    clock: { now: () => now },
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000,
    users: { admin: 'pw' },
  });
});
afterAll(() => emu.stop());
beforeEach(() => {
  now = MONDAY_10_UTC;
});

const CHECKOUT_IMAGES = [
  'example.org/mesh/proxyv2:1.24.2',
  'example.org/observability/fluent-bit:3.2.4',
  'example.org/shop/checkout-api:v2.3.1',
  'example.org/tools/busybox:1.36.1',
];

describe('pods with init containers and sidecars', () => {
  it('summary.images is the sorted set of every pod image, init containers and sidecars included', async () => {
    const app = (await api('GET', '/api/v1/applications/checkout-api-prod'))
      .body;
    expect(app.status.summary.images).toEqual(CHECKOUT_IMAGES);
    // the app's own image is not the first semver-tagged one
    expect(app.status.summary.images[0]).toBe(MESH_PROXY());
    const tree = (
      await api('GET', '/api/v1/applications/checkout-api-prod/resource-tree')
    ).body;
    const pods = tree.nodes.filter((n: any) => n.kind === 'Pod');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.images).toEqual(CHECKOUT_IMAGES);
      expect(pod.info).toContainEqual({ name: 'Containers', value: '3/3' });
    }
    const deployment = JSON.parse(
      (
        await api(
          'GET',
          '/api/v1/applications/checkout-api-prod/managed-resources?kind=Deployment',
        )
      ).body.items[0].liveState,
    );
    expect(
      deployment.spec.template.spec.initContainers.map((c: any) => c.name),
    ).toEqual(['istio-init', 'wait-for-db']);
    expect(
      deployment.spec.template.spec.containers.map((c: any) => c.name),
    ).toEqual(['checkout-api', 'istio-proxy', 'log-shipper']);
  });
});
function MESH_PROXY() {
  return 'example.org/mesh/proxyv2:1.24.2';
}

describe('resource health (resourceHealthSource: appTree)', () => {
  it('lists without per-resource health; get puts it back from the tree', async () => {
    const list = (
      await api(
        'GET',
        '/api/v1/applications?selector=app.kubernetes.io/part-of%3Dpython-api-base',
      )
    ).body;
    for (const a of list.items) {
      expect(a.status.resourceHealthSource).toBe('appTree');
      expect(a.status.health.status).toBeDefined(); // app health stays in the CR
      expect(a.status.resources.length).toBeGreaterThan(0);
      for (const r of a.status.resources)
        expect(r).not.toHaveProperty('health');
    }
    const one = (await api('GET', '/api/v1/applications/python-api-base-prod'))
      .body;
    expect(one.status.resources.map((r: any) => r.health?.status)).toEqual([
      'Healthy',
      'Healthy',
    ]);
  });

  it('with persistResourceHealth (controller.resource.health.persist) lists keep it', async () => {
    const persisted = await startEmulator({
      instance: 'secondary',
      reconcileIntervalMs: 3_600_000,
      persistResourceHealth: true,
    });
    try {
      const list = (
        await httpRequest('GET', `${persisted.url}/api/v1/applications`, {
          token: persisted.token,
        })
      ).body;
      for (const a of list.items) {
        expect(a.status).not.toHaveProperty('resourceHealthSource');
        for (const r of a.status.resources) expect(r.health).toBeDefined();
      }
    } finally {
      await persisted.stop();
    }
  });
});

describe('project windows with a time zone', () => {
  it('an America/New_York window is closed at 10:00 UTC and open at 15:00 UTC', async () => {
    const closed = (await api('GET', '/api/v1/projects/checkout/syncwindows'))
      .body;
    expect(closed).toEqual({}); // 05:00 in New York: before the 09:00 window
    let app = (
      await api('GET', '/api/v1/applications/checkout-api-prod/syncwindows')
    ).body;
    expect(app.activeWindows).toBeUndefined();
    // the app endpoint carries no timeZone (ApplicationSyncWindow has 4 fields)
    expect(app.assignedWindows).toEqual([
      {
        kind: 'allow',
        schedule: '0 9 * * 1-5',
        duration: '8h',
        manualSync: true,
      },
    ]);
    now = MONDAY_15_UTC;
    const open = (await api('GET', '/api/v1/projects/checkout/syncwindows'))
      .body;
    expect(open.windows).toEqual([
      expect.objectContaining({
        kind: 'allow',
        schedule: '0 9 * * 1-5',
        timeZone: 'America/New_York',
      }),
    ]);
    app = (
      await api('GET', '/api/v1/applications/checkout-api-prod/syncwindows')
    ).body;
    expect(app.activeWindows).toHaveLength(1);
    expect(app.canSync).toBe(true);
  });
});

describe('a multi-source application', () => {
  it('has spec.sources, sync.revisions, history revisions+sources; syncs, rolls back and reads metadata per source', async () => {
    const path = '/api/v1/applications/storefront-web-prod';
    const app = (await api('GET', path)).body;
    expect(app.spec.source).toBeUndefined();
    expect(app.spec.sources).toHaveLength(2);
    expect(app.spec.sources[1]).toMatchObject({ ref: 'values' });
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.sync.revision).toBeUndefined();
    expect(app.status.sync.revisions).toHaveLength(2);
    expect(app.status.sync.comparedTo.sources).toEqual(app.spec.sources);
    expect(app.status.summary.images).toEqual([
      'example.org/shop/storefront-web:v5.1.0',
    ]);
    for (const h of app.status.history) {
      expect(h.revision).toBeUndefined();
      expect(h.source).toBeUndefined();
      expect(h.revisions).toHaveLength(2);
      expect(h.sources).toEqual(app.spec.sources);
    }
    const [first] = app.status.history;
    const sync = await api('POST', `${path}/sync`, {});
    expect(sync.status).toBe(200);
    expect(sync.body.operation.sync.revisions).toEqual(
      app.status.sync.revisions,
    );
    expect(sync.body.operation.sync.revision).toBeUndefined();
    await waitFor(async () => {
      const a = (await api('GET', path)).body;
      return !a.operation && a.status.operationState.phase === 'Succeeded';
    }, 'multi-source sync');
    const rb = await api('POST', `${path}/rollback`, { id: first.id });
    expect(rb.status).toBe(200);
    expect(rb.body.operation.sync).toMatchObject({
      revisions: first.revisions,
      sources: first.sources,
    });
    const done = await waitFor(async () => {
      const a = (await api('GET', path)).body;
      return !a.operation && a.status.operationState.phase === 'Succeeded'
        ? a
        : undefined;
    }, 'multi-source rollback');
    expect(done.status.operationState.syncResult.revisions).toEqual(
      first.revisions,
    );
    expect(done.status.summary.images).toEqual([
      'example.org/shop/storefront-web:v5.0.0',
    ]);
    const rev = first.revisions[0];
    const meta = await api(
      'GET',
      `${path}/revisions/${rev}/metadata?sourceIndex=1`,
    );
    expect(meta.status).toBe(200);
    expect(meta.body.tags).toEqual(['storefront-web-prod/v5.0.0']);
    const bad = await api(
      'GET',
      `${path}/revisions/${rev}/metadata?sourceIndex=2`,
    );
    expect(bad.body.message).toBe(
      'error getting app source by source index and version ID: source index 2 not found because there are only 2 sources',
    );
  });
});

describe('an application outside the control-plane namespace', () => {
  it('lists with its metadata.namespace and needs appNamespace to be read', async () => {
    const all = (await api('GET', '/api/v1/applications')).body.items;
    const inv = all.find((a: any) => a.metadata.name === 'inventory-api-prod');
    expect(inv.metadata.namespace).toBe('team-inventory');
    expect(inv.status.controllerNamespace).toBe('argocd');
    const scoped = (
      await api('GET', '/api/v1/applications?appNamespace=team-inventory')
    ).body.items;
    expect(scoped.map((a: any) => a.metadata.name)).toEqual([
      'inventory-api-prod',
    ]);
    const hidden = await api('GET', '/api/v1/applications/inventory-api-prod');
    expect(hidden.status).toBe(403);
    expect(hidden.body.message).toBe('permission denied');
    const found = await api(
      'GET',
      '/api/v1/applications/inventory-api-prod?appNamespace=team-inventory',
    );
    expect(found.status).toBe(200);
    expect(found.body.metadata.namespace).toBe('team-inventory');
    const project = (await api('GET', '/api/v1/projects/checkout')).body;
    expect(project.spec.sourceNamespaces).toEqual(['team-inventory']);
  });
});

describe('metadata.managedFields', () => {
  it('argocd-server owns metadata/spec/operation, the controller owns status', async () => {
    const app = (await api('GET', '/api/v1/applications/python-api-base-prod'))
      .body;
    const fields = app.metadata.managedFields;
    expect(fields.map((f: any) => f.manager)).toEqual([
      'argocd-application-controller',
      'argocd-server',
    ]);
    for (const f of fields)
      expect(f).toMatchObject({
        operation: 'Update',
        apiVersion: 'argoproj.io/v1alpha1',
        fieldsType: 'FieldsV1',
        time: expect.stringMatching(/Z$/),
      });
    expect(Object.keys(fields[0].fieldsV1['f:status'])).toEqual(
      expect.arrayContaining(['f:sync', 'f:health', 'f:history']),
    );
    const server = fields[1].fieldsV1;
    expect(server['f:metadata']['f:finalizers']).toEqual({
      '.': {},
      'v:"resources-finalizer.argocd.argoproj.io"': {},
    });
    expect(server['f:spec']['f:source']['f:helm']['f:valueFiles']).toEqual({
      '.': {},
      'v:"values.yaml"': {},
    });
  });
});

describe('GET /api/version', () => {
  it('answers anonymous callers with the version only, signed-in ones with the build', async () => {
    const anon = await api('GET', '/api/version', undefined, null);
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ Version: 'v3.5.1+109ca7c' });
    const bad = await api('GET', '/api/version', undefined, 'x.y.z');
    expect(bad.body).toEqual({ Version: 'v3.5.1+109ca7c' });
    const full = (await api('GET', '/api/version')).body;
    expect(full).toMatchObject({
      Version: 'v3.5.1+109ca7c',
      GitCommit: expect.any(String),
      Platform: 'linux/amd64',
    });
  });
});

describe('invalid session texts (golang-jwt v5.3.1 through Argo CD v3.5.1)', () => {
  const b64 = (v: unknown) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = (
    claims: unknown,
    header: unknown = { alg: 'HS256', typ: 'JWT' },
  ) =>
    `${b64(header)}.${b64(claims)}.${crypto
      .randomBytes(32)
      .toString('base64url')}`;
  const claims = { iss: 'argocd', sub: 'admin', jti: 'x', iat: 1, nbf: 1 };

  it.each([
    [
      'a bad signature',
      unsigned(claims),
      'token signature is invalid: signature is invalid',
    ],
    [
      'another issuer (an SSO token, SSO not configured)',
      unsigned({ ...claims, iss: 'https://sso.example.org' }),
      'SSO is not configured',
    ],
    [
      'claims that are not JSON',
      `${b64({ alg: 'HS256' })}.${Buffer.from('nope').toString(
        'base64url',
      )}.c2ln`,
      "token is malformed: could not JSON decode claim: invalid character 'n' looking for beginning of value",
    ],
    [
      'a header that is not base64',
      `e*J.${b64(claims)}.c2ln`,
      'token is malformed: could not base64 decode header: illegal base64 data at input byte 1',
    ],
    [
      'an RSA-signed token',
      unsigned(claims, { alg: 'RS256' }),
      'token is unverifiable: error while executing keyfunc: unexpected signing method: RS256',
    ],
  ])('%s', async (_what, token, reason) => {
    const res = await api('GET', '/api/v1/applications', undefined, token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: `invalid session: ${reason}`,
      code: 16,
      message: `invalid session: ${reason}`,
    });
  });

  it('an expired session', async () => {
    const login = await api(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: 'pw' },
      null,
    );
    now = new Date(MONDAY_10_UTC.getTime() + 25 * 3600_000);
    expect(
      (await api('GET', '/api/v1/applications', undefined, login.body.token))
        .body.message,
    ).toBe('invalid session: token has invalid claims: token is expired');
  });
});
