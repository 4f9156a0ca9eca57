/**
 * The troubleshooting reads of the emulator against a running instance:
 * a tag never built ends Degraded with pods in ImagePullBackOff and their
 * events; pod logs are deterministic (tail, since, follow, filter); a
 * `hookfail` tag fails its PreSync hook.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { replaceTag } from '../../seed';
import { EmulatorHandle, startEmulator } from '../../startEmulator';
import { httpRequest, waitFor } from '../../testing/http';
import { MAX_LOG_LINES } from './logs';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-23T10:00:00Z');
let emu: EmulatorHandle;
let offsetMs = 0;

const get = async (p: string) =>
  httpRequest('GET', `${emu.url}${p}`, { token: emu.token });
const post = async (p: string, body: unknown) =>
  httpRequest('POST', `${emu.url}${p}`, { token: emu.token, body });

function commitTag(app: string, tag: string) {
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
    `promote ${tag}`,
    '--',
    `apps/${app}/values.yaml`,
  ]);
}

async function deploy(app: string, tag: string) {
  commitTag(app, tag);
  await get(`/api/v1/applications/${app}?refresh=hard`);
  await post(`/api/v1/applications/${app}/sync`, {});
  return waitFor(async () => {
    const a = (await get(`/api/v1/applications/${app}`)).body;
    return a.status.operationState?.phase !== 'Running' &&
      a.status.health.status !== 'Progressing'
      ? a
      : undefined;
  }, `${app} settled`);
}

function ndjson(text: string): any[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(l => JSON.parse(l));
}

/** Reads a streaming answer for `ms`, then hangs up. */
function readFor(p: string, ms: number): Promise<string> {
  const u = new URL(`${emu.url.replace('//localhost:', '//127.0.0.1:')}${p}`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = http.get(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        headers: { authorization: `Bearer ${emu.token}` },
        agent: false,
      },
      res => {
        res.on('data', c => chunks.push(c));
        setTimeout(() => {
          req.destroy();
          resolve(Buffer.concat(chunks).toString('utf8'));
        }, ms);
      },
    );
    req.on('error', e =>
      e.message.includes('socket hang up') ? undefined : reject(e),
    );
  });
}

beforeAll(async () => {
  emu = await startEmulator({
    clock: { now: () => new Date(NOW.getTime() + offsetMs) },
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000,
    users: { admin: 'pw' },
  });
});

afterAll(async () => {
  await emu.stop();
});

async function podOf(app: string) {
  const tree = (await get(`/api/v1/applications/${app}/resource-tree`)).body;
  return { tree, pod: tree.nodes.find((n: any) => n.kind === 'Pod') };
}

describe('a tag that was never built', () => {
  it('ends Degraded with the pod in ImagePullBackOff and its events', async () => {
    const app = await deploy('python-api-base-staging', 'v9.9.9');
    expect(app.status.health.status).toBe('Degraded');
    const { tree, pod } = await podOf('python-api-base-staging');
    const rs = tree.nodes.find((n: any) => n.uid === pod.parentRefs[0].uid);
    expect(rs.kind).toBe('ReplicaSet');
    expect(
      tree.nodes.find((n: any) => n.uid === rs.parentRefs[0].uid).kind,
    ).toBe('Deployment');
    expect(pod.health).toEqual({
      status: 'Degraded',
      message:
        'Back-off pulling image "example.org/shop/python-api-base:v9.9.9"',
    });
    expect(pod.info).toEqual(
      expect.arrayContaining([
        { name: 'Status Reason', value: 'ImagePullBackOff' },
        { name: 'Containers', value: '0/1' },
      ]),
    );

    const events = (
      await get(
        `/api/v1/applications/python-api-base-staging/events?resourceName=${pod.name}&resourceNamespace=${pod.namespace}&resourceUID=${pod.uid}`,
      )
    ).body.items;
    expect(
      events.map((e: any) => `${e.type} ${e.reason}: ${e.message}`),
    ).toEqual(
      expect.arrayContaining([
        'Warning Failed: Error: ErrImagePull',
        'Warning Failed: Error: ImagePullBackOff',
        'Normal BackOff: Back-off pulling image "example.org/shop/python-api-base:v9.9.9"',
      ]),
    );
    expect(events.every((e: any) => e.involvedObject.uid === pod.uid)).toBe(
      true,
    );

    const logs = await get(
      `/api/v1/applications/python-api-base-staging/logs?podName=${pod.name}&namespace=${pod.namespace}&container=python-api-base`,
    );
    expect(logs.status).toBe(200);
    expect(ndjson(logs.text)).toEqual([
      {
        error: expect.objectContaining({
          message: `container "python-api-base" in pod "${pod.name}" is waiting to start: trying and failing to pull image`,
        }),
      },
    ]);
  });

  it('events of a resource of another app or unknown are empty; app events name the syncs', async () => {
    const none = (
      await get(
        '/api/v1/applications/python-api-base-staging/events?resourceName=nope',
      )
    ).body;
    expect(none.items).toEqual([]);
    const own = (
      await get('/api/v1/applications/python-api-base-staging/events')
    ).body.items;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e: any) => e.involvedObject.kind === 'Application')).toBe(
      true,
    );
    expect(own.map((e: any) => e.reason)).toContain('OperationCompleted');
  });
});

describe('pod logs', () => {
  it('are deterministic, with tail, since and filter, and end with a last entry', async () => {
    offsetMs = 0;
    const { pod } = await podOf('python-api-base-dev');
    const url = (q: string) =>
      `/api/v1/applications/python-api-base-dev/logs?podName=${pod.name}&${q}`;
    offsetMs = 10 * 60_000; // ten minutes later: 61 lines at one per 10 s
    const all = ndjson((await get(url('container=python-api-base'))).text);
    expect(all[all.length - 1]).toEqual({
      result: { content: '', podName: pod.name, last: true },
    });
    const lines = all.slice(0, -1).map(l => l.result);
    // the pod started a day ago: only the latest MAX_LOG_LINES are kept
    expect(lines).toHaveLength(MAX_LOG_LINES);
    expect(lines[lines.length - 1].timeStamp).toBe('2026-11-23T10:10:00Z');
    expect(
      lines.every((l: any) =>
        /^python-api-base: GET \/[a-z/]+ (200|500) \d+ms$/.test(l.content),
      ),
    ).toBe(true);
    const again = ndjson((await get(url('container=python-api-base'))).text);
    expect(again).toEqual(all);

    const tail = ndjson(
      (await get(url('container=python-api-base&tailLines=3'))).text,
    );
    expect(tail.slice(0, -1).map(l => l.result)).toEqual(lines.slice(-3));
    const since = ndjson(
      (await get(url('container=python-api-base&sinceSeconds=30'))).text,
    );
    expect(since.slice(0, -1).map(l => l.result)).toEqual(lines.slice(-4));
    const filtered = ndjson(
      (await get(url('container=python-api-base&filter=healthz'))).text,
    ).slice(0, -1);
    expect(filtered.every(l => l.result.content.includes('/healthz'))).toBe(
      true,
    );
    const bad = await get(url('tailLines=ten'));
    expect(bad.status).toBe(400);
    const other = await get(
      `/api/v1/applications/python-api-base-dev/logs?podName=not-a-pod`,
    );
    expect(other.status).toBe(403);
    // the same through /pods/{podName}/logs
    const byPath = ndjson(
      (
        await get(
          `/api/v1/applications/python-api-base-dev/pods/${pod.name}/logs?tailLines=3`,
        )
      ).text,
    );
    expect(byPath).toEqual(tail);
    offsetMs = 0;
  });

  it('follow keeps the stream open and sends new lines as they are written', async () => {
    offsetMs = 0;
    const { pod } = await podOf('python-api-base-dev');
    const p = `/api/v1/applications/python-api-base-dev/logs?podName=${pod.name}&follow=true&tailLines=1`;
    const pending = readFor(p, 2500);
    setTimeout(() => (offsetMs = 60_000), 300); // a minute passes: 6 more lines
    const lines = ndjson(await pending);
    offsetMs = 0;
    expect(lines.some(l => l.result?.last)).toBe(false);
    expect(lines.length).toBeGreaterThanOrEqual(7);
    const stamps = lines.map(l => l.result.timeStamp);
    expect([...stamps].sort()).toEqual(stamps);
  });
});

describe('a failing PreSync hook', () => {
  it('fails the operation with the hook result, and applies nothing', async () => {
    const before = (await get('/api/v1/applications/python-api-base-prod'))
      .body;
    commitTag('python-api-base-prod', 'v1.4.0-hookfail');
    await get('/api/v1/applications/python-api-base-prod?refresh=hard');
    await post('/api/v1/applications/python-api-base-prod/sync', {});
    const app = await waitFor(async () => {
      const a = (await get('/api/v1/applications/python-api-base-prod')).body;
      return a.status.operationState?.phase === 'Failed' ? a : undefined;
    }, 'Failed');
    expect(app.status.operationState.message).toMatch(
      /Job has reached the specified backoff limit/,
    );
    expect(app.status.operationState.syncResult.resources).toEqual([
      expect.objectContaining({
        kind: 'Job',
        name: 'python-api-base-prod-db-migrate',
        hookType: 'PreSync',
        hookPhase: 'Failed',
      }),
    ]);
    expect(app.status.summary.images).toEqual(before.status.summary.images);
    const events = (
      await get('/api/v1/applications/python-api-base-prod/events')
    ).body.items;
    expect(events.map((e: any) => `${e.type} ${e.reason}`)).toContain(
      'Warning OperationCompleted',
    );
  });
});
