import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, EmulatorHandle } from './startEmulator';
import { httpRequest, waitFor } from './testing/http';
import { replaceTag, SEEDS } from './seed';
import { decodeRelease } from './helm/release';

const MONDAY_10 = new Date('2026-11-23T10:00:00Z');
const SATURDAY_10 = new Date('2026-11-28T10:00:00Z');

let now = MONDAY_10;
const clock = { now: () => now };
let emu: EmulatorHandle;

jest.setTimeout(30_000);

/** `token` null = send no Authorization header. */
const api = (
  method: string,
  p: string,
  body?: unknown,
  token: string | null = emu.token,
) => httpRequest(method, `${emu.url}${p}`, { token: token ?? undefined, body });
const getApp = async (name: string) =>
  (await api('GET', `/api/v1/applications/${name}`)).body;

function commitTag(
  app: string,
  tag: string,
  message = `promote ${app} to ${tag}`,
): string {
  const file = path.join(emu.repoDir, 'apps', app, 'values.yaml');
  fs.writeFileSync(file, replaceTag(fs.readFileSync(file, 'utf8'), tag));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', emu.repoDir, ...args], {
      encoding: 'utf8',
    }).trim();
  git(
    '-c',
    'user.name=Backend',
    '-c',
    'user.email=backend@example.org',
    'commit',
    '-q',
    '-m',
    message,
    '--',
    `apps/${app}/values.yaml`,
  );
  return git('rev-parse', 'HEAD');
}

async function waitForPhase(
  name: string,
  phases: string[] = ['Succeeded', 'Failed', 'Error'],
) {
  return waitFor(async () => {
    const a = await getApp(name);
    return !a.operation && phases.includes(a.status?.operationState?.phase)
      ? a
      : undefined;
  }, `${name} operation to finish`);
}

function expectArgoError(
  res: { status: number; body: any },
  status: number,
  code: number,
  message: string | RegExp,
) {
  expect(res.status).toBe(status);
  expect(res.body.code).toBe(code);
  expect(res.body.error).toBe(res.body.message);
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else expect(res.body.message).toMatch(message);
}

beforeEach(async () => {
  now = MONDAY_10;
  emu = await startEmulator({
    clock,
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000, // tests drive reconciles explicitly
    adminApi: true,
    users: { admin: 'secret-pw' },
  });
});

afterEach(async () => {
  await emu.stop();
});

describe('seed', () => {
  it('serves the example catalog apps with labels, images, history and a git-backed source', async () => {
    const list = await api(
      'GET',
      '/api/v1/applications?selector=app.kubernetes.io/part-of=python-api-base',
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: any) => a.metadata.name)).toEqual([
      'python-api-base-dev',
      'python-api-base-prod',
      'python-api-base-staging',
    ]);
    const byName = Object.fromEntries(
      list.body.items.map((a: any) => [a.metadata.name, a]),
    );
    expect(byName['python-api-base-dev'].status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0-dev.3',
    ]);
    expect(byName['python-api-base-staging'].status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0-rc.1',
    ]);
    const prod = byName['python-api-base-prod'];
    expect(prod.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.1.4',
    ]);
    expect(prod.status.sync.status).toBe('Synced');
    expect(prod.status.health.status).toBe('Healthy');
    expect(prod.status.history).toHaveLength(3);
    expect(prod.status.history.map((h: any) => h.initiatedBy)).toEqual([
      { username: 'bob' },
      { username: 'alice' },
      { username: 'alice' },
    ]);
    expect(prod.status.operationState).toMatchObject({
      phase: 'Succeeded',
      syncResult: { revision: prod.status.history[2].revision },
    });
    expect(prod.spec.syncPolicy.automated).toBeUndefined();
    expect(byName['python-api-base-dev'].spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
    expect(prod.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'python-api-base',
      env: 'prod',
    });
    expect(prod.spec.source).toMatchObject({
      repoURL: `file://${emu.repoDir}`,
      path: 'apps/python-api-base-prod',
      targetRevision: 'main',
    });
    const head = execFileSync('git', ['-C', emu.repoDir, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    expect(prod.status.sync.revision).toBe(head);
    expect(
      fs.readFileSync(
        path.join(emu.repoDir, 'apps/python-api-base-prod/values.yaml'),
        'utf8',
      ),
    ).toContain('# Desired version for prod.');
  });

  it('lists by env label and project', async () => {
    const res = await api(
      'GET',
      '/api/v1/applications?selector=env%3Dprod&projects=shop&projects=other',
    );
    expect(res.body.items.map((a: any) => a.metadata.name)).toEqual([
      'python-api-base-prod',
    ]);
    expect(
      (await api('GET', '/api/v1/applications?projects=nothing')).body.items,
    ).toEqual([]);
  });

  it('shares one repository between the local and secondary instances', async () => {
    const dataDir = fs.mkdtempSync(
      path.join(require('node:os').tmpdir(), 'emu-shared-'),
    );
    // started concurrently: seeding takes turns on a lock file
    const [a, b] = await Promise.all([
      startEmulator({
        dataDir,
        instance: 'local',
        reconcileIntervalMs: 3_600_000,
      }),
      startEmulator({
        dataDir,
        instance: 'secondary',
        reconcileIntervalMs: 3_600_000,
        users: { admin: 'pw' },
      }),
    ]);
    try {
      expect(
        fs.readdirSync(path.join(dataDir, 'gitops-repo/apps')).sort(),
      ).toEqual([
        'checkout-api-prod',
        'checkout-api-staging',
        'inventory-api-prod',
        'payments-worker-dev',
        'payments-worker-prod',
        'python-api-base-dev',
        'python-api-base-prod',
        'python-api-base-staging',
        'storefront-web-prod',
      ]);
      const login = await httpRequest('POST', `${b.url}/api/v1/session`, {
        body: { username: 'admin', password: 'pw' },
      });
      const list = await httpRequest(
        'GET',
        `${b.url}/api/v1/applications?selector=app.kubernetes.io/part-of=payments-worker`,
        { token: login.body.token },
      );
      expect(
        list.body.items.map((x: any) => [
          x.metadata.name,
          x.metadata.labels.env,
          x.status.sync.status,
        ]),
      ).toEqual([
        ['payments-worker-dev', 'dev', 'Synced'],
        ['payments-worker-prod', 'prod', 'Synced'],
      ]);
      // a restart on the same data dir does not add commits
      const count = execFileSync(
        'git',
        ['-C', a.repoDir, 'rev-list', '--count', 'HEAD'],
        { encoding: 'utf8' },
      );
      await a.stop();
      const again = await startEmulator({
        dataDir,
        instance: 'local',
        reconcileIntervalMs: 3_600_000,
      });
      expect(
        execFileSync('git', ['-C', a.repoDir, 'rev-list', '--count', 'HEAD'], {
          encoding: 'utf8',
        }),
      ).toBe(count);
      await again.stop();
    } finally {
      await a.stop();
      await b.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('§G error table', () => {
  it('no token -> 401 no session information', async () => {
    expectArgoError(
      await api('GET', '/api/v1/applications', undefined, null),
      401,
      16,
      'no session information',
    );
  });

  it('a bearer value that is not JWT-shaped is ignored -> 401 no session information', async () => {
    expectArgoError(
      await api('GET', '/api/v1/applications', undefined, 'not-a-jwt'),
      401,
      16,
      'no session information',
    );
  });

  it('invalid or expired token -> 401 invalid session: <reason>', async () => {
    expectArgoError(
      await api('GET', '/api/v1/applications', undefined, 'a.b.c'),
      401,
      16,
      /^invalid session: /,
    );
    const login = await api(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: 'secret-pw' },
      null,
    );
    expect(login.status).toBe(200);
    expect(login.headers['set-cookie']?.[0]).toMatch(/^argocd\.token=/);
    expect(
      (
        await api(
          'GET',
          '/api/v1/session/userinfo',
          undefined,
          login.body.token,
        )
      ).body,
    ).toMatchObject({ loggedIn: true, username: 'admin' });
    now = new Date(MONDAY_10.getTime() + 25 * 3600_000);
    expectArgoError(
      await api('GET', '/api/v1/applications', undefined, login.body.token),
      401,
      16,
      // golang-jwt v5's text, as Argo CD v3.5.1 answers it
      'invalid session: token has invalid claims: token is expired',
    );
  });

  it('a configured token is accepted verbatim and acts as its JWT subject', async () => {
    const b64 = (o: object) =>
      Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'HS256' })}.${b64({
      sub: 'backstage',
      iss: 'x',
    })}.c2ln`;
    const other = await startEmulator({
      instance: 'none',
      token,
      reconcileIntervalMs: 3_600_000,
    });
    try {
      const info = await httpRequest(
        'GET',
        `${other.url}/api/v1/session/userinfo`,
        { token },
      );
      expect(info.body).toMatchObject({
        loggedIn: true,
        username: 'backstage',
      });
      expect(other.token).toBe(token);
    } finally {
      await other.stop();
    }
  });

  it('wrong password -> 401', async () => {
    const res = await api(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: 'nope' },
      null,
    );
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(16);
  });

  it('the argocd.token cookie authenticates too', async () => {
    const login = await api(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: 'secret-pw' },
      null,
    );
    const res = await httpRequest('GET', `${emu.url}/api/v1/applications`, {
      headers: { cookie: `argocd.token=${login.body.token}` },
    });
    expect(res.status).toBe(200);
  });

  it('unknown app without project -> 403 permission denied (existence hiding)', async () => {
    expectArgoError(
      await api('GET', '/api/v1/applications/nope'),
      403,
      7,
      'permission denied',
    );
    expectArgoError(
      await api('POST', '/api/v1/applications/nope/sync', {}),
      403,
      7,
      'permission denied',
    );
  });

  it('unknown app or app of another project with project param -> 404', async () => {
    expectArgoError(
      await api('GET', '/api/v1/applications/nope?project=shop'),
      404,
      5,
      'applications.argoproj.io "nope" not found',
    );
    expectArgoError(
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod?project=payments',
      ),
      404,
      5,
      'applications.argoproj.io "python-api-base-prod" not found',
    );
    expect(
      (
        await api(
          'GET',
          '/api/v1/applications/python-api-base-prod?project=shop',
        )
      ).status,
    ).toBe(200);
  });

  it('GET with several projects -> 400 multiple projects specified', async () => {
    expectArgoError(
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod?project=a&project=b',
      ),
      400,
      3,
      'multiple projects specified - the get endpoint accepts either zero or one project',
    );
  });

  it('sync blocked by a window, dry-run too -> 403 cannot sync: blocked by sync window', async () => {
    const project = (await api('GET', '/api/v1/projects/shop')).body;
    project.spec.syncWindows[0].manualSync = false;
    expect(
      (await api('PUT', '/api/v1/projects/shop', { project })).status,
    ).toBe(200);
    now = SATURDAY_10;
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {}),
      403,
      7,
      'cannot sync: blocked by sync window',
    );
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
        dryRun: true,
      }),
      403,
      7,
      'cannot sync: blocked by sync window',
    );
    now = MONDAY_10;
    expect(
      (
        await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
          dryRun: true,
        })
      ).status,
    ).toBe(200);
  });

  it('sync with an unparsable window -> 403 cannot sync: invalid sync window', async () => {
    emu.upsertProject({
      metadata: { name: 'shop' },
      spec: {
        syncWindows: [
          {
            kind: 'allow',
            schedule: 'not a cron',
            duration: '1h',
            applications: ['*'],
          },
        ],
      },
    });
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {}),
      403,
      7,
      /^cannot sync: invalid sync window: cannot parse schedule 'not a cron'/,
    );
  });

  it('sync to another revision while auto-sync is on -> 400 Cannot sync to <rev>', async () => {
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-dev/sync', {
        revision: 'HEAD~1',
      }),
      400,
      9,
      'Cannot sync to HEAD~1: auto-sync currently set to main',
    );
    // a dry-run to another revision is allowed
    expect(
      (
        await api('POST', '/api/v1/applications/python-api-base-dev/sync', {
          revision: 'HEAD~1',
          dryRun: true,
        })
      ).status,
    ).toBe(200);
  });

  it('sync to a revision that does not exist -> 400 unable to resolve', async () => {
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
        revision: 'no-such-branch',
      }),
      400,
      9,
      /unable to resolve 'no-such-branch' to a commit SHA/,
    );
  });

  it('sync or rollback while an operation is set -> 400 another operation is already in progress', async () => {
    const slow = emu.setFaults({ slowOperationsMs: 60_000 });
    expect(slow.slowOperationsMs).toBe(60_000);
    expect(
      (await api('POST', '/api/v1/applications/python-api-base-prod/sync', {}))
        .status,
    ).toBe(200);
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {}),
      400,
      9,
      /another operation is already in progress/,
    );
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/rollback', {
        id: 0,
      }),
      400,
      9,
      /another operation is already in progress/,
    );
  });

  it('sync or rollback on an app being deleted -> 400 application is deleting', async () => {
    emu.setFaults({ slowOperationsMs: 0 });
    const slowEmu = await startEmulator({
      clock,
      operationDurationMs: 60_000,
      reconcileIntervalMs: 3_600_000,
    });
    try {
      const del = await httpRequest(
        'DELETE',
        `${slowEmu.url}/api/v1/applications/python-api-base-prod`,
        { token: slowEmu.token },
      );
      expect(del.status).toBe(200);
      const sync = await httpRequest(
        'POST',
        `${slowEmu.url}/api/v1/applications/python-api-base-prod/sync`,
        { token: slowEmu.token, body: {} },
      );
      expectArgoError(sync, 400, 9, 'application is deleting');
      const rb = await httpRequest(
        'POST',
        `${slowEmu.url}/api/v1/applications/python-api-base-prod/rollback`,
        { token: slowEmu.token, body: { id: 0 } },
      );
      expectArgoError(rb, 400, 9, 'application is deleting');
    } finally {
      await slowEmu.stop();
    }
  });

  it('rollback with auto-sync enabled -> 400 rollback cannot be initiated when auto-sync is enabled', async () => {
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-dev/rollback', {
        id: 0,
      }),
      400,
      9,
      'rollback cannot be initiated when auto-sync is enabled',
    );
    // automated.enabled=false counts as off (3.1+)
    const patch = await api(
      'PATCH',
      '/api/v1/applications/python-api-base-staging',
      {
        patch: JSON.stringify({
          spec: { syncPolicy: { automated: { enabled: false } } },
        }),
        patchType: 'merge',
      },
    );
    expect(patch.status).toBe(200);
    expect(
      (
        await api(
          'POST',
          '/api/v1/applications/python-api-base-staging/rollback',
          { id: 0 },
        )
      ).status,
    ).toBe(200);
  });

  it('rollback to an unknown history id -> 400 does not have deployment with id', async () => {
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/rollback', {
        id: 99,
      }),
      400,
      3,
      'application argocd/python-api-base-prod does not have deployment with id 99',
    );
  });

  it('terminate with nothing running -> 400 Unable to terminate operation', async () => {
    expectArgoError(
      await api(
        'DELETE',
        '/api/v1/applications/python-api-base-prod/operation',
      ),
      400,
      3,
      'Unable to terminate operation. No operation is in progress',
    );
  });

  it('PATCH with an unknown patchType -> 400 Patch type is not supported', async () => {
    expectArgoError(
      await api('PATCH', '/api/v1/applications/python-api-base-prod', {
        patch: '{}',
        patchType: 'strategic',
      }),
      400,
      3,
      "Patch type 'strategic' is not supported",
    );
  });

  it('wrongly typed request fields -> 400 naming the field', async () => {
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
        syncOptions: ['Validate=false'],
      }),
      400,
      3,
      /^invalid ApplicationSyncRequest: syncOptions: Expected object, received array$/,
    );
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
        dryRun: 'yes',
      }),
      400,
      3,
      /^invalid ApplicationSyncRequest: dryRun: /,
    );
    expectArgoError(
      await api('POST', '/api/v1/applications/python-api-base-prod/rollback', {
        id: 'first',
      }),
      400,
      3,
      /^invalid ApplicationRollbackRequest: id: /,
    );
    expectArgoError(
      await api('PATCH', '/api/v1/applications/python-api-base-prod', {
        patch: { spec: {} },
        patchType: 'merge',
      }),
      400,
      3,
      /^invalid ApplicationPatchRequest: patch: /,
    );
    expectArgoError(
      await api('PATCH', '/api/v1/applications/python-api-base-prod', {
        patch: '{',
        patchType: 'merge',
      }),
      400,
      3,
      /error unmarshaling patch/,
    );
  });

  it('controller: an operation blocked by a window stays Running with the window message', async () => {
    const project = (await api('GET', '/api/v1/projects/shop')).body;
    project.spec.syncWindows[0].manualSync = false;
    await api('PUT', '/api/v1/projects/shop', { project });
    now = SATURDAY_10;
    // rollback is not window-checked by the API server, only by the controller
    const rb = await api(
      'POST',
      '/api/v1/applications/python-api-base-prod/rollback',
      { id: 0 },
    );
    expect(rb.status).toBe(200);
    const blocked = await waitFor(async () => {
      const a = await getApp('python-api-base-prod');
      return a.status.operationState?.message ===
        'Sync operation blocked by sync window'
        ? a
        : undefined;
    }, 'the blocked message');
    expect(blocked.status.operationState.phase).toBe('Running');
    expect(blocked.operation).toBeDefined();
    // the window opens: the next reconcile lets it run
    now = MONDAY_10;
    await emu.reconcile();
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.operationState.phase).toBe('Succeeded');
  });
});

describe('RBAC (projectScopes)', () => {
  it('hides apps of other projects: 403 without project, 403 for a project without rights, 404 with rights; lists drop them', async () => {
    const scoped = await startEmulator({
      instance: 'local',
      reconcileIntervalMs: 3_600_000,
      users: { alice: 'alice-pw', admin: 'admin-pw' },
      projectScopes: { alice: ['default'] },
    });
    try {
      const login = await httpRequest('POST', `${scoped.url}/api/v1/session`, {
        body: { username: 'alice', password: 'alice-pw' },
      });
      const as = (p: string) =>
        httpRequest('GET', `${scoped.url}${p}`, { token: login.body.token });
      expect((await as('/api/v1/applications')).body.items).toEqual([]);
      expectArgoError(
        await as('/api/v1/applications/python-api-base-prod'),
        403,
        7,
        'permission denied',
      );
      expectArgoError(
        await as('/api/v1/applications/python-api-base-prod?project=shop'),
        403,
        7,
        'permission denied',
      );
      expectArgoError(
        await as('/api/v1/applications/python-api-base-prod?project=default'),
        404,
        5,
        'applications.argoproj.io "python-api-base-prod" not found',
      );
      expectArgoError(
        await as('/api/v1/projects/shop'),
        403,
        7,
        'permission denied',
      );
      expect(
        (await as('/api/v1/projects')).body.items.map(
          (p: any) => p.metadata.name,
        ),
      ).toEqual(['default']);
      // the unrestricted token still sees everything
      expect(
        (
          await httpRequest('GET', `${scoped.url}/api/v1/applications`, {
            token: scoped.token,
          })
        ).body.items,
      ).toHaveLength(SEEDS.local.apps.length); // python-api-base x3 and the fidelity apps
      // account tokens (apiKey) authenticate as the account
      const t = await httpRequest(
        'POST',
        `${scoped.url}/api/v1/account/alice/token`,
        { token: login.body.token, body: { name: 'ci', expiresIn: 3600 } },
      );
      expect(t.status).toBe(200);
      expect(
        (
          await httpRequest('GET', `${scoped.url}/api/v1/session/userinfo`, {
            token: t.body.token,
          })
        ).body.username,
      ).toBe('alice');
      expect(
        (
          await httpRequest(
            'POST',
            `${scoped.url}/api/v1/account/nobody/token`,
            { token: scoped.token, body: {} },
          )
        ).status,
      ).toBe(404);
    } finally {
      await scoped.stop();
    }
  });
});

describe('operations', () => {
  it('sync: response has operation and no operationState, then Running -> Succeeded, history, images, health', async () => {
    const sha = commitTag('python-api-base-prod', 'v1.2.0');
    const refreshed = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod?refresh=normal',
      )
    ).body;
    expect(refreshed.status.sync).toMatchObject({
      status: 'OutOfSync',
      revision: sha,
    });
    const res = await api(
      'POST',
      '/api/v1/applications/python-api-base-prod/sync',
      {
        revision: 'main',
        prune: true,
        infos: [{ name: 'gitops-change', value: 'cr-1' }],
        strategy: { hook: { syncStrategyApply: { force: false } } },
        syncOptions: { items: ['ServerSideApply=true'] },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.status.operationState).toBeUndefined();
    expect(res.body.operation).toEqual({
      sync: {
        revision: sha,
        prune: true,
        syncStrategy: { hook: { force: false } },
        syncOptions: ['ServerSideApply=true'],
      },
      initiatedBy: { username: 'admin' },
      info: [{ name: 'gitops-change', value: 'cr-1' }],
    });
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.operationState).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      operation: { info: [{ name: 'gitops-change', value: 'cr-1' }] },
      syncResult: { revision: sha },
    });
    expect(
      done.status.operationState.syncResult.resources.map(
        (r: any) => r.message,
      ),
    ).toEqual([
      'service/python-api-base serverside-applied',
      'deployment.apps/python-api-base serverside-applied',
    ]);
    expect(done.status.sync).toMatchObject({ status: 'Synced', revision: sha });
    expect(done.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0',
    ]);
    expect(done.status.history).toHaveLength(4);
    expect(done.status.history[3]).toMatchObject({
      id: 3,
      revision: sha,
      initiatedBy: { username: 'admin' },
    });
    expect(['Progressing', 'Healthy']).toContain(done.status.health.status);
    const healthy = await waitFor(async () => {
      const a = await getApp('python-api-base-prod');
      return a.status.health.status === 'Healthy' ? a : undefined;
    }, 'Healthy');
    expect(
      healthy.status.resources.find((r: any) => r.kind === 'Deployment').health
        .status,
    ).toBe('Healthy');
  });

  it('a broken tag ends Degraded; a syncfail tag makes the operation Failed', async () => {
    commitTag('python-api-base-prod', 'v1.2.1');
    await api('GET', '/api/v1/applications/python-api-base-prod?refresh=hard');
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {});
    await waitForPhase('python-api-base-prod');
    const degraded = await waitFor(async () => {
      const a = await getApp('python-api-base-prod');
      return a.status.health.status === 'Degraded' ? a : undefined;
    }, 'Degraded');
    expect(degraded.status.sync.status).toBe('Synced');
    const tree = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod/resource-tree',
      )
    ).body;
    expect(
      tree.nodes
        .filter((n: any) => n.kind === 'Pod')
        .every((p: any) => p.health.status === 'Degraded'),
    ).toBe(true);

    commitTag('python-api-base-prod', 'v1.3.0-syncfail');
    await api(
      'GET',
      '/api/v1/applications/python-api-base-prod?refresh=normal',
    );
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {});
    const failed = await waitForPhase('python-api-base-prod');
    expect(failed.status.operationState).toMatchObject({
      phase: 'Failed',
      message: 'one or more objects failed to apply',
    });
    expect(failed.status.history).toHaveLength(4); // the failed sync is not recorded
    expect(failed.status.sync.status).toBe('OutOfSync');
  });

  it('unrenderable values: sync status Unknown with a ComparisonError, and a sync ends in Error', async () => {
    const file = path.join(
      emu.repoDir,
      'apps/python-api-base-prod/values.yaml',
    );
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace(/^\s+tag:.*$/m, ''),
    );
    execFileSync('git', [
      '-C',
      emu.repoDir,
      'commit',
      '-q',
      '-am',
      'drop the tag',
    ]);
    const app = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod?refresh=normal',
      )
    ).body;
    expect(app.status.sync.status).toBe('Unknown');
    expect(app.status.conditions[0]).toMatchObject({
      type: 'ComparisonError',
      message: expect.stringContaining('image.tag must be set'),
    });
    expect(app.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.1.4',
    ]); // live unchanged
    expect(
      (await api('POST', '/api/v1/applications/python-api-base-prod/sync', {}))
        .status,
    ).toBe(200);
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.operationState.phase).toBe('Error');
    expect(done.status.operationState.message).toMatch(
      /^ComparisonError: .*image\.tag must be set/,
    );
    expect(done.status.history).toHaveLength(3);
  });

  it('targetRevision may be a git tag; a sync to an older tag works when auto-sync is off', async () => {
    const app = await getApp('python-api-base-prod');
    const spec = {
      ...app.spec,
      source: {
        ...app.spec.source,
        targetRevision: 'python-api-base-prod/v1.1.3',
      },
    };
    await api('PUT', '/api/v1/applications/python-api-base-prod/spec', spec);
    const outOfSync = await getApp('python-api-base-prod');
    expect(outOfSync.status.sync.status).toBe('OutOfSync');
    expect(outOfSync.status.sync.revision).toBe(app.status.history[1].revision);
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
      revision: 'python-api-base-prod/v1.1.2',
    });
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.operationState.syncResult.revision).toBe(
      app.status.history[0].revision,
    );
    expect(done.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.1.2',
    ]);
    expect(done.status.sync.status).toBe('OutOfSync');
  });

  it('dry-run and partial syncs are not recorded in history and dry-run leaves live state alone', async () => {
    commitTag('python-api-base-prod', 'v1.2.0');
    await api(
      'GET',
      '/api/v1/applications/python-api-base-prod?refresh=normal',
    );
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
      dryRun: true,
    });
    const dry = await waitForPhase('python-api-base-prod');
    expect(dry.status.operationState.phase).toBe('Succeeded');
    expect(
      dry.status.operationState.syncResult.resources.find(
        (r: any) => r.kind === 'Deployment',
      ).message,
    ).toBe('deployment.apps/python-api-base configured (dry run)');
    expect(dry.status.history).toHaveLength(3);
    expect(dry.status.sync.status).toBe('OutOfSync');
    expect(dry.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.1.4',
    ]);

    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
      resources: [
        {
          group: 'apps',
          kind: 'Deployment',
          name: 'python-api-base',
          namespace: 'shop-prod',
        },
      ],
    });
    const partial = await waitForPhase('python-api-base-prod');
    expect(partial.status.operationState.syncResult.resources).toHaveLength(1);
    expect(partial.status.history).toHaveLength(3);
    expect(partial.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0',
    ]);
  });

  it('history is capped at 10 with increasing ids', async () => {
    for (let i = 0; i < 9; i++) {
      expect(
        (
          await api(
            'POST',
            '/api/v1/applications/python-api-base-prod/sync',
            {},
          )
        ).status,
      ).toBe(200);
      await waitForPhase('python-api-base-prod');
    }
    const app = await getApp('python-api-base-prod');
    expect(app.status.history).toHaveLength(10);
    expect(app.status.history.map((h: any) => h.id)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
  });

  it('rollback by history id deploys the old revision, leaves the app OutOfSync and appends history', async () => {
    const before = await getApp('python-api-base-prod');
    const first = before.status.history[0];
    const res = await api(
      'POST',
      '/api/v1/applications/python-api-base-prod/rollback',
      { id: String(first.id), prune: true },
    );
    expect(res.status).toBe(200);
    expect(res.body.operation.sync).toMatchObject({
      revision: first.revision,
      source: first.source,
      prune: true,
    });
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.operationState.phase).toBe('Succeeded');
    expect(done.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.1.2',
    ]);
    expect(done.status.sync.status).toBe('OutOfSync');
    expect(done.status.history.at(-1)).toMatchObject({
      id: 3,
      revision: first.revision,
    });
  });

  it('terminate: Running -> Terminating -> Failed "Operation terminated"', async () => {
    emu.setFaults({ slowOperationsMs: 60_000 });
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {});
    await waitFor(
      async () =>
        (await getApp('python-api-base-prod')).status.operationState?.phase ===
        'Running',
      'Running',
    );
    expect(
      (
        await api(
          'DELETE',
          '/api/v1/applications/python-api-base-prod/operation',
        )
      ).body,
    ).toEqual({});
    const done = await waitForPhase('python-api-base-prod', ['Failed']);
    expect(done.status.operationState.message).toBe('Operation terminated');
    expect(done.status.history).toHaveLength(3);
  });

  it('auto-sync picks up a new commit on reconcile; self-heal undoes drift', async () => {
    const sha = commitTag('python-api-base-dev', 'v1.2.0-dev.4');
    await emu.reconcile();
    const synced = await waitFor(async () => {
      const a = await getApp('python-api-base-dev');
      return !a.operation &&
        a.status.operationState?.phase === 'Succeeded' &&
        a.status.sync.revision === sha
        ? a
        : undefined;
    }, 'auto-sync');
    expect(synced.status.operationState.operation.initiatedBy).toEqual({
      automated: true,
    });
    expect(synced.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0-dev.4',
    ]);
    expect(synced.status.history.at(-1).initiatedBy).toEqual({
      automated: true,
    });

    const drift = await api(
      'POST',
      '/emulator/admin/applications/python-api-base-dev/drift',
      { image: 'evil/image:latest' },
    );
    expect(drift.status).toBe(200);
    expect((await getApp('python-api-base-dev')).status.sync.status).toBe(
      'OutOfSync',
    );
    await emu.reconcile();
    const healed = await waitFor(async () => {
      const a = await getApp('python-api-base-dev');
      return !a.operation && a.status.sync.status === 'Synced' ? a : undefined;
    }, 'self-heal');
    expect(healed.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0-dev.4',
    ]);
  });

  it('auto-sync is not applied to manual apps, and a Helm parameter override (PATCH) wins over values.yaml', async () => {
    const patch = JSON.stringify([
      {
        op: 'add',
        path: '/spec/source/helm/parameters',
        value: [{ name: 'image.tag', value: 'v1.2.0' }],
      },
    ]);
    const res = await api(
      'PATCH',
      '/api/v1/applications/python-api-base-prod',
      { name: 'python-api-base-prod', patch, patchType: 'json' },
    );
    expect(res.status).toBe(200);
    expect(res.body.spec.source.helm.parameters).toEqual([
      { name: 'image.tag', value: 'v1.2.0' },
    ]);
    expect(res.body.status.sync.status).toBe('OutOfSync');
    await emu.reconcile();
    expect((await getApp('python-api-base-prod')).operation).toBeUndefined();
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {});
    const done = await waitForPhase('python-api-base-prod');
    expect(done.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0',
    ]);
    expect(done.status.history.at(-1).source.helm.parameters).toEqual([
      { name: 'image.tag', value: 'v1.2.0' },
    ]);
  });

  it('PUT /spec takes the bare spec and returns it', async () => {
    const app = await getApp('python-api-base-prod');
    const spec = {
      ...app.spec,
      source: {
        ...app.spec.source,
        helm: {
          ...app.spec.source.helm,
          parameters: [{ name: 'image.tag', value: 'v1.1.3' }],
        },
      },
    };
    const res = await api(
      'PUT',
      '/api/v1/applications/python-api-base-prod/spec',
      spec,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(spec);
    const after = await getApp('python-api-base-prod');
    expect(after.status.sync.status).toBe('OutOfSync');
    expect(after.metadata.generation).toBe(2);
    const bad = await api(
      'PUT',
      '/api/v1/applications/python-api-base-prod/spec',
      { ...spec, project: 'nope' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/project nope which does not exist/);
  });
});

describe('read endpoints', () => {
  it('syncwindows: assigned/active windows and canSync', async () => {
    const mon = (
      await api('GET', '/api/v1/applications/python-api-base-prod/syncwindows')
    ).body;
    expect(mon).toEqual({
      assignedWindows: [
        {
          kind: 'allow',
          schedule: '0 6 * * 1-5',
          duration: '12h',
          manualSync: true,
        },
      ],
      activeWindows: [
        {
          kind: 'allow',
          schedule: '0 6 * * 1-5',
          duration: '12h',
          manualSync: true,
        },
      ],
      canSync: true,
    });
    now = SATURDAY_10;
    const sat = (
      await api('GET', '/api/v1/applications/python-api-base-prod/syncwindows')
    ).body;
    expect(sat).toEqual({
      assignedWindows: mon.assignedWindows,
      canSync: true,
    });
    expect(
      (await api('GET', '/api/v1/applications/python-api-base-dev/syncwindows'))
        .body,
    ).toEqual({ canSync: true });
    expect(
      (await api('GET', '/api/v1/projects/shop/syncwindows')).body,
    ).toEqual({});
    now = MONDAY_10;
    expect(
      (await api('GET', '/api/v1/projects/shop/syncwindows')).body.windows,
    ).toHaveLength(1);
  });

  it('managed-resources: JSON string states, modified after a new commit', async () => {
    const synced = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod/managed-resources',
      )
    ).body;
    expect(synced.items.map((i: any) => [i.kind, i.modified])).toEqual([
      ['Service', false],
      ['Deployment', false],
    ]);
    commitTag('python-api-base-prod', 'v1.2.0');
    await api(
      'GET',
      '/api/v1/applications/python-api-base-prod?refresh=normal',
    );
    const res = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod/managed-resources?kind=Deployment',
      )
    ).body;
    expect(res.items).toHaveLength(1);
    const d = res.items[0];
    expect(d.modified).toBe(true);
    for (const k of [
      'liveState',
      'targetState',
      'normalizedLiveState',
      'predictedLiveState',
    ])
      expect(typeof d[k]).toBe('string');
    expect(
      JSON.parse(d.targetState).spec.template.spec.containers[0].image,
    ).toBe('example.org/shop/python-api-base:v1.2.0');
    expect(JSON.parse(d.liveState).spec.template.spec.containers[0].image).toBe(
      'example.org/shop/python-api-base:v1.1.4',
    );
    expect(JSON.parse(d.liveState).status.readyReplicas).toBe(3);
    expect(JSON.parse(d.normalizedLiveState).status).toBeUndefined();
  });

  it('resource-tree: Deployment, ReplicaSet, Pods, Service with health and images', async () => {
    const tree = (
      await api(
        'GET',
        '/api/v1/applications/python-api-base-prod/resource-tree',
      )
    ).body;
    const kinds = tree.nodes.map((n: any) => n.kind);
    expect(kinds.filter((k: string) => k === 'Pod')).toHaveLength(3);
    expect(new Set(kinds)).toEqual(
      new Set(['Deployment', 'ReplicaSet', 'Pod', 'Service']),
    );
    const rs = tree.nodes.find((n: any) => n.kind === 'ReplicaSet');
    const deploy = tree.nodes.find((n: any) => n.kind === 'Deployment');
    expect(rs.parentRefs[0].uid).toBe(deploy.uid);
    const pod = tree.nodes.find((n: any) => n.kind === 'Pod');
    expect(pod.parentRefs[0].name).toBe(rs.name);
    expect(pod.images).toEqual(['example.org/shop/python-api-base:v1.1.4']);
    expect(pod.health.status).toBe('Healthy');
  });

  it('manifests?revision= renders that commit; revision metadata comes from git', async () => {
    const app = await getApp('python-api-base-prod');
    const oldest = app.status.history[0].revision;
    const m = (
      await api(
        'GET',
        `/api/v1/applications/python-api-base-prod/manifests?revision=${oldest}`,
      )
    ).body;
    expect(m.revision).toBe(oldest);
    expect(m.manifests.map((s: string) => JSON.parse(s).kind)).toEqual([
      'Service',
      'Deployment',
    ]);
    expect(
      JSON.parse(m.manifests[1]).spec.template.spec.containers[0].image,
    ).toBe('example.org/shop/python-api-base:v1.1.2');
    const meta = (
      await api(
        'GET',
        `/api/v1/applications/python-api-base-prod/revisions/${oldest}/metadata`,
      )
    ).body;
    expect(meta).toMatchObject({
      author: 'Bob <bob@example.org>',
      message:
        'feat(python-api-base-prod): add python-api-base to prod at v1.1.2',
      tags: ['python-api-base-prod/v1.1.2'],
    });
    expect(meta.date).toBe(
      new Date(MONDAY_10.getTime() - 21 * 24 * 3600_000)
        .toISOString()
        .replace('.000Z', 'Z'),
    );
    const sha = commitTag(
      'python-api-base-prod',
      'v1.2.0',
      'promote prod to v1.2.0\n\nchange-request: cr-7',
    );
    const meta2 = (
      await api(
        'GET',
        `/api/v1/applications/python-api-base-prod/revisions/${sha}/metadata`,
      )
    ).body;
    expect(meta2).toMatchObject({
      author: 'Backend <backend@example.org>',
      message: 'promote prod to v1.2.0\n\nchange-request: cr-7',
    });
    expect(meta2.tags).toBeUndefined();
    const missing = await api(
      'GET',
      '/api/v1/applications/python-api-base-prod/revisions/deadbeef/metadata',
    );
    expect(missing.status).toBe(500);
  });

  it('stream/applications: ADDED for current apps, then MODIFIED as an operation runs', async () => {
    const http = require('node:http') as typeof import('node:http');
    const events: any[] = [];
    const u = new URL(emu.url.replace('localhost', '127.0.0.1'));
    const req = http.request({
      agent: new http.Agent(),
      host: u.hostname,
      port: u.port,
      path: '/api/v1/stream/applications?name=python-api-base-prod',
      headers: { authorization: `Bearer ${emu.token}` },
    });
    let buf = '';
    req.on('response', res => {
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) if (l) events.push(JSON.parse(l).result);
      });
    });
    req.on('error', () => undefined);
    req.end();
    try {
      await waitFor(async () => events.length >= 1, 'initial event');
      expect(events[0].type).toBe('ADDED');
      expect(events[0].application.metadata.name).toBe('python-api-base-prod');
      await api('POST', '/api/v1/applications/python-api-base-prod/sync', {
        dryRun: true,
      });
      await waitFor(
        async () =>
          events.some(
            e =>
              e.type === 'MODIFIED' &&
              e.application.status.operationState?.phase === 'Succeeded',
          ),
        'Succeeded event',
      );
      expect(
        events.every(
          e => e.application.metadata.name === 'python-api-base-prod',
        ),
      ).toBe(true);
    } finally {
      req.destroy();
    }
  });

  it('GET /api/version answers with capitalised keys', async () => {
    const v = (await api('GET', '/api/version')).body;
    expect(v.Version).toMatch(/^v3\.5\.1/);
  });
});

describe('Kubernetes Secrets slice (Helm storage)', () => {
  const kube = (
    p: string,
    token: string | undefined = emu.kubeToken,
    method = 'GET',
    body?: unknown,
  ) => httpRequest(method, `${emu.url}${p}`, { token, body });

  it('lists release secrets by Helm labels and decodes them', async () => {
    const list = await kube(
      '/api/v1/namespaces/shop/secrets?labelSelector=owner%3Dhelm%2Cname%3Dpython-api-base-migrations',
    );
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ kind: 'SecretList', apiVersion: 'v1' });
    expect(
      list.body.items.map((s: any) => [
        s.metadata.name,
        s.metadata.labels.status,
        s.type,
      ]),
    ).toEqual([
      [
        'sh.helm.release.v1.python-api-base-migrations.v1',
        'superseded',
        'helm.sh/release.v1',
      ],
      [
        'sh.helm.release.v1.python-api-base-migrations.v2',
        'superseded',
        'helm.sh/release.v1',
      ],
      [
        'sh.helm.release.v1.python-api-base-migrations.v3',
        'deployed',
        'helm.sh/release.v1',
      ],
    ]);
    const one = await kube(
      '/api/v1/namespaces/shop/secrets/sh.helm.release.v1.python-api-base-migrations.v3',
    );
    const release = decodeRelease(
      Buffer.from(one.body.data.release, 'base64').toString('utf8'),
    );
    expect(release).toMatchObject({
      name: 'python-api-base-migrations',
      namespace: 'shop',
      version: 3,
      info: { status: 'deployed' },
    });
    const all = await kube(
      '/api/v1/secrets?labelSelector=owner%3Dhelm,status%3Ddeployed',
    );
    expect(all.body.items).toHaveLength(1);
  });

  it('answers Kubernetes Status errors', async () => {
    const unauth = await kube('/api/v1/namespaces/shop/secrets', emu.token);
    expect(unauth.status).toBe(401);
    expect(unauth.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    const nf = await kube('/api/v1/namespaces/shop/secrets/nope');
    expect(nf.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
      message: 'secrets "nope" not found',
    });
  });

  it('supports create / replace / delete as Helm rollback needs', async () => {
    const get = await kube(
      '/api/v1/namespaces/shop/secrets/sh.helm.release.v1.python-api-base-migrations.v2',
    );
    const v4 = {
      ...get.body,
      metadata: {
        name: 'sh.helm.release.v1.python-api-base-migrations.v4',
        labels: {
          ...get.body.metadata.labels,
          version: '4',
          status: 'pending-rollback',
        },
      },
    };
    const created = await kube(
      '/api/v1/namespaces/shop/secrets',
      undefined,
      'POST',
      v4,
    );
    expect(created.status).toBe(201);
    expect(
      (await kube('/api/v1/namespaces/shop/secrets', undefined, 'POST', v4))
        .body.reason,
    ).toBe('AlreadyExists');
    const updated = await kube(
      `/api/v1/namespaces/shop/secrets/${v4.metadata.name}`,
      undefined,
      'PUT',
      {
        ...created.body,
        metadata: {
          ...created.body.metadata,
          labels: { ...created.body.metadata.labels, status: 'deployed' },
        },
      },
    );
    expect(updated.body.metadata.labels.status).toBe('deployed');
    expect(
      (
        await kube(
          `/api/v1/namespaces/shop/secrets/${v4.metadata.name}`,
          undefined,
          'DELETE',
        )
      ).status,
    ).toBe(200);
  });
});

describe('faults and admin', () => {
  it('errorRate 1 answers 503 Unavailable; down resets connections; admin endpoint sets faults', async () => {
    expect(
      (await api('POST', '/emulator/admin/faults', { errorRate: 1 })).body,
    ).toMatchObject({ errorRate: 1 });
    const res = await api('GET', '/api/v1/applications');
    expectArgoError(res, 503, 14, /emulated fault/);
    expect(
      (await api('POST', '/emulator/admin/faults', { errorRate: 2 })).status,
    ).toBe(400);
    await api('DELETE', '/emulator/admin/faults');
    emu.setFaults({ down: true });
    await expect(api('GET', '/api/v1/applications')).rejects.toThrow();
    emu.setFaults({ down: false, latencyMs: 5, jitterMs: 5 });
    expect((await api('GET', '/api/v1/applications')).status).toBe(200);
    expect((await api('GET', '/emulator/admin/faults')).body).toEqual({
      down: false,
      latencyMs: 5,
      jitterMs: 5,
    });
  });

  it('admin broken-tags makes a tag end Degraded at run time', async () => {
    expect((await api('GET', '/emulator/admin/broken-tags')).body.tags).toEqual(
      ['v1.2.1', 'v1.2.1-dev.1', 'v1.2.1-rc.1'],
    );
    expect(
      (await api('PUT', '/emulator/admin/broken-tags', { tags: 'v1.2.0' }))
        .status,
    ).toBe(400);
    expect(
      (await api('PUT', '/emulator/admin/broken-tags', { tags: ['v1.2.0'] }))
        .body.tags,
    ).toEqual(['v1.2.0']);
    commitTag('python-api-base-prod', 'v1.2.0');
    await api(
      'GET',
      '/api/v1/applications/python-api-base-prod?refresh=normal',
    );
    await api('POST', '/api/v1/applications/python-api-base-prod/sync', {});
    await waitForPhase('python-api-base-prod');
    const degraded = await waitFor(async () => {
      const a = await getApp('python-api-base-prod');
      return a.status.health.status === 'Degraded' ? a : undefined;
    }, 'Degraded');
    expect(degraded.status.summary.images).toEqual([
      'example.org/shop/python-api-base:v1.2.0',
    ]);
  });

  it('logRequest gets method, path, status and time, never the token or query', async () => {
    const lines: string[] = [];
    const logged = await startEmulator({
      instance: 'none',
      reconcileIntervalMs: 3_600_000,
      logRequest: l => lines.push(l),
    });
    try {
      await httpRequest(
        'GET',
        `${logged.url}/api/v1/applications?selector=a%3Db`,
        { token: logged.token },
      );
      await waitFor(async () => lines.length > 0, 'a log line');
      expect(lines[0]).toMatch(/^GET \/api\/v1\/applications 200 \d+ms$/);
      expect(lines.join('\n')).not.toContain(logged.token);
    } finally {
      await logged.stop();
    }
  });

  it('the admin API is off unless enabled', async () => {
    const plain = await startEmulator({
      instance: 'none',
      reconcileIntervalMs: 3_600_000,
    });
    try {
      const res = await httpRequest(
        'GET',
        `${plain.url}/emulator/admin/faults`,
        { token: plain.token },
      );
      expect(res.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it('admin clock offset moves window evaluation', async () => {
    const res = await api('POST', '/emulator/admin/clock', {
      now: SATURDAY_10.toISOString(),
    });
    expect(res.body.now).toBe(SATURDAY_10.toISOString());
    const w = (
      await api('GET', '/api/v1/applications/python-api-base-prod/syncwindows')
    ).body;
    expect(w.activeWindows).toBeUndefined();
  });
});

describe('persistState', () => {
  it('keeps history, live state, project edits and Helm secrets across a restart', async () => {
    const dataDir = fs.mkdtempSync(
      path.join(require('node:os').tmpdir(), 'emu-persist-'),
    );
    const opts = {
      dataDir,
      clock,
      persistState: true,
      operationDurationMs: 20,
      healthProgressingMs: 20,
      reconcileIntervalMs: 3_600_000,
    };
    try {
      const first = await startEmulator(opts);
      const call = (
        e: EmulatorHandle,
        method: string,
        p: string,
        body?: unknown,
      ) => httpRequest(method, `${e.url}${p}`, { token: e.token, body });
      // a synced new version, a window removed, a Helm revision added
      const file = path.join(
        first.repoDir,
        'apps/python-api-base-prod/values.yaml',
      );
      fs.writeFileSync(
        file,
        replaceTag(fs.readFileSync(file, 'utf8'), 'v1.2.0'),
      );
      execFileSync('git', [
        '-C',
        first.repoDir,
        'commit',
        '-q',
        '-am',
        'prod v1.2.0',
      ]);
      await call(
        first,
        'GET',
        '/api/v1/applications/python-api-base-prod?refresh=normal',
      );
      await call(
        first,
        'POST',
        '/api/v1/applications/python-api-base-prod/sync',
        {},
      );
      await waitFor(
        async () =>
          (
            await call(
              first,
              'GET',
              '/api/v1/applications/python-api-base-prod',
            )
          ).body.status.history.length === 4,
        'sync',
      );
      const project = (await call(first, 'GET', '/api/v1/projects/shop')).body;
      project.spec.syncWindows = [];
      await call(first, 'PUT', '/api/v1/projects/shop', { project });
      // an unsynced commit while running: must stay OutOfSync after the restart
      fs.writeFileSync(
        file,
        replaceTag(fs.readFileSync(file, 'utf8'), 'v1.2.1'),
      );
      execFileSync('git', [
        '-C',
        first.repoDir,
        'commit',
        '-q',
        '-am',
        'prod v1.2.1',
      ]);
      await first.stop();

      const second = await startEmulator(opts);
      try {
        const prod = (
          await call(second, 'GET', '/api/v1/applications/python-api-base-prod')
        ).body;
        expect(prod.status.history).toHaveLength(4);
        expect(prod.status.summary.images).toEqual([
          'example.org/shop/python-api-base:v1.2.0',
        ]);
        expect(prod.status.sync.status).toBe('OutOfSync');
        expect(
          (await call(second, 'GET', '/api/v1/projects/shop')).body.spec
            .syncWindows ?? [],
        ).toEqual([]);
        const secrets = await httpRequest(
          'GET',
          `${second.url}/api/v1/secrets?labelSelector=owner%3Dhelm`,
          { token: second.kubeToken },
        );
        expect(secrets.body.items).toHaveLength(3);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
