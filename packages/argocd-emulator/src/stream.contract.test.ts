/**
 * The application watch held to Argo CD (server/application Watch) and to
 * its API document (`ApplicationService_Watch`, `v1alpha1ApplicationWatchEvent`):
 * resourceVersion on the list and on every event, resuming from one,
 * `fields` projection, the filters.
 */
import http from 'node:http';
import { startEmulator, EmulatorHandle } from './startEmulator';
import { httpRequest, waitFor } from './testing/http';
import { SwaggerValidator } from './__testUtils__/swaggerValidator';

let emu: EmulatorHandle;
let validator: SwaggerValidator;
const get = (p: string) =>
  httpRequest('GET', `${emu.url}${p}`, { token: emu.token });
const post = (p: string, body: unknown) =>
  httpRequest('POST', `${emu.url}${p}`, { token: emu.token, body });

function expectValid(definition: string, value: unknown) {
  expect({ definition, errors: validator.errors(definition, value) }).toEqual({
    definition,
    errors: [],
  });
}

/** An open stream collecting its parsed lines. */
function watch(query: string) {
  const lines: any[] = [];
  const u = new URL(emu.url.replace('localhost', '127.0.0.1'));
  let status: number | undefined;
  let ended = false;
  const req = http.request({
    agent: new http.Agent(),
    host: u.hostname,
    port: u.port,
    path: `/api/v1/stream/applications${query}`,
    headers: { authorization: `Bearer ${emu.token}` },
  });
  let buf = '';
  req.on('response', res => {
    status = res.statusCode;
    res.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) if (l) lines.push(JSON.parse(l));
    });
    res.on('end', () => (ended = true));
    res.on('error', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  req.end();
  return {
    lines,
    status: () => status,
    ended: () => ended,
    close: () => req.destroy(),
  };
}

async function settled(name: string) {
  return waitFor(async () => {
    const a = (await get(`/api/v1/applications/${name}`)).body;
    return a.operation ? undefined : a;
  }, `${name} settled`);
}

beforeAll(async () => {
  validator = new SwaggerValidator();
  emu = await startEmulator({
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000,
  });
});

afterAll(async () => {
  await emu?.stop();
});

afterEach(() => {
  emu.setFaults({}, true);
});

describe('resourceVersion', () => {
  it('the list carries the current resourceVersion and every item its own, not above it', async () => {
    const list = (await get('/api/v1/applications')).body;
    expectValid('v1alpha1ApplicationList', list);
    const listRv = Number(list.metadata.resourceVersion);
    expect(listRv).toBeGreaterThan(0);
    for (const a of list.items) {
      expect(Number(a.metadata.resourceVersion)).toBeLessThanOrEqual(listRv);
    }
  });

  it('without resourceVersion: every app as ADDED (sorted), then changes with increasing resourceVersion', async () => {
    const all = (await get('/api/v1/applications')).body.items;
    const w = watch('');
    try {
      await waitFor(
        async () => w.lines.length >= all.length,
        'initial ADDED burst',
      );
      const burst = w.lines.slice(0, all.length);
      expect(burst.every(l => l.result.type === 'ADDED')).toBe(true);
      const names = burst.map(
        l =>
          `${l.result.application.metadata.namespace}/${l.result.application.metadata.name}`,
      );
      expect(names).toEqual([...names].sort());
      for (const l of burst)
        expectValid('v1alpha1ApplicationWatchEvent', l.result);
      const before = Number(
        burst.find(
          l => l.result.application.metadata.name === 'python-api-base-dev',
        ).result.application.metadata.resourceVersion,
      );
      await post('/api/v1/applications/python-api-base-dev/sync', {
        dryRun: true,
      });
      const changed = await waitFor(
        async () =>
          w.lines.find(
            l =>
              l.result.type === 'MODIFIED' &&
              l.result.application.metadata.name === 'python-api-base-dev',
          ),
        'MODIFIED event',
      );
      expectValid('v1alpha1ApplicationWatchEvent', changed.result);
      expect(
        Number(changed.result.application.metadata.resourceVersion),
      ).toBeGreaterThan(before);
    } finally {
      w.close();
    }
    await settled('python-api-base-dev');
  });

  it('resuming from a resourceVersion: no ADDED burst, only changes from then on, none older than it', async () => {
    const listRv = (await get('/api/v1/applications')).body.metadata
      .resourceVersion;
    const w = watch(`?resourceVersion=${listRv}`);
    try {
      await waitFor(async () => w.status() === 200, 'headers');
      await post('/api/v1/applications/python-api-base-staging/sync', {
        dryRun: true,
      });
      await waitFor(
        async () =>
          w.lines.some(
            l =>
              l.result.application.metadata.name === 'python-api-base-staging',
          ),
        'event after the resume',
      );
      expect(w.lines.some(l => l.result.type === 'ADDED')).toBe(false);
      for (const l of w.lines) {
        expectValid('v1alpha1ApplicationWatchEvent', l.result);
        expect(
          Number(l.result.application.metadata.resourceVersion),
        ).toBeGreaterThanOrEqual(Number(listRv));
      }
      expect(
        new Set(w.lines.map(l => l.result.application.metadata.name)),
      ).toEqual(new Set(['python-api-base-staging']));
    } finally {
      w.close();
    }
    await settled('python-api-base-staging');
  });

  it('a resourceVersion ahead of an application filters its events out (Argo CD compares versions)', async () => {
    const w = watch('?resourceVersion=999999999');
    const control = watch('?resourceVersion=1');
    try {
      await waitFor(
        async () => w.status() === 200 && control.status() === 200,
        'headers',
      );
      await post('/api/v1/applications/python-api-base-dev/sync', {
        dryRun: true,
      });
      await settled('python-api-base-dev');
      // the control stream saw the sync's events; the one ahead did not
      await waitFor(
        async () => control.lines.some(l => l.result.type === 'MODIFIED'),
        'control event',
      );
      expect(w.lines).toEqual([]);
    } finally {
      w.close();
      control.close();
    }
  });

  it('with name, the app comes as ADDED even when resuming, unless it is older than the version (as in Argo CD)', async () => {
    const app = (await get('/api/v1/applications/python-api-base-prod')).body;
    const own = app.metadata.resourceVersion;
    const w = watch(`?name=python-api-base-prod&resourceVersion=${own}`);
    const ahead = watch(
      `?name=python-api-base-prod&resourceVersion=${Number(own) + 1}`,
    );
    try {
      await waitFor(async () => w.lines.length >= 1, 'ADDED');
      expect(w.lines[0].result.type).toBe('ADDED');
      expect(w.lines[0].result.application.metadata.name).toBe(
        'python-api-base-prod',
      );
      await waitFor(async () => ahead.status() === 200, 'headers');
      expect(ahead.lines).toEqual([]);
    } finally {
      w.close();
      ahead.close();
    }
  });
});

describe('deletion', () => {
  it('DELETED carries the object as it was, at a new resourceVersion, filtered like other events', async () => {
    const source = (await get('/api/v1/applications/python-api-base-dev')).body;
    const { resourceVersion: _rv, uid: _uid, ...metadata } = source.metadata;
    await emu.loadApplication({
      ...source,
      metadata: {
        ...metadata,
        name: 'stream-deleteme',
        labels: { ...metadata.labels, doomed: 'yes' },
      },
    });
    const listRv = (await get('/api/v1/applications')).body.metadata
      .resourceVersion;
    const doomed = watch(`?resourceVersion=${listRv}&selector=doomed%3Dyes`);
    const others = watch(`?resourceVersion=${listRv}&selector=doomed%3Dno`);
    try {
      await waitFor(
        async () => doomed.status() === 200 && others.status() === 200,
        'headers',
      );
      const del = await httpRequest(
        'DELETE',
        `${emu.url}/api/v1/applications/stream-deleteme`,
        {
          token: emu.token,
        },
      );
      expect(del.status).toBe(200);
      const event = await waitFor(
        async () => doomed.lines.find(l => l.result.type === 'DELETED'),
        'DELETED event',
      );
      expectValid('v1alpha1ApplicationWatchEvent', event.result);
      expect(event.result.application.metadata.name).toBe('stream-deleteme');
      expect(event.result.application.spec.project).toBe(source.spec.project);
      expect(
        Number(event.result.application.metadata.resourceVersion),
      ).toBeGreaterThan(Number(listRv));
      expect(others.lines.filter(l => l.result.type === 'DELETED')).toEqual([]);
    } finally {
      doomed.close();
      others.close();
    }
  });
});

describe('fields projection', () => {
  it('keeps only the listed paths of each message (stream and list)', async () => {
    const fields = [
      'result.type',
      'result.application.metadata.name',
      'result.application.metadata.resourceVersion',
      'result.application.status.sync.status',
    ].join(',');
    const w = watch(
      `?name=python-api-base-dev&fields=${encodeURIComponent(fields)}`,
    );
    try {
      await waitFor(async () => w.lines.length >= 1, 'projected event');
      const [l] = w.lines;
      expect(Object.keys(l)).toEqual(['result']);
      expect(Object.keys(l.result).sort()).toEqual(['application', 'type']);
      expect(Object.keys(l.result.application).sort()).toEqual([
        'metadata',
        'status',
      ]);
      expect(Object.keys(l.result.application.metadata).sort()).toEqual([
        'name',
        'resourceVersion',
      ]);
      expect(l.result.application.status).toEqual({
        sync: { status: expect.any(String) },
      });
      expectValid('v1alpha1ApplicationWatchEvent', l.result);
    } finally {
      w.close();
    }
    const list = (
      await get(
        `/api/v1/applications?fields=${encodeURIComponent(
          'metadata.resourceVersion,items.metadata.name',
        )}`,
      )
    ).body;
    expectValid('v1alpha1ApplicationList', list);
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(list.items.length).toBeGreaterThan(1);
    for (const a of list.items)
      expect(a).toEqual({ metadata: { name: expect.any(String) } });
  });

  it('a leading minus excludes the listed paths', async () => {
    const w = watch(
      `?name=python-api-base-dev&fields=${encodeURIComponent(
        '-result.application.status,result.application.spec',
      )}`,
    );
    try {
      await waitFor(async () => w.lines.length >= 1, 'event');
      const a = w.lines[0].result.application;
      expect(a.metadata.name).toBe('python-api-base-dev');
      expect(a.status).toBeUndefined();
      expect(a.spec).toBeUndefined();
    } finally {
      w.close();
    }
  });
});

describe('filters', () => {
  it('selector, projects and name restrict the initial events', async () => {
    const all = (await get('/api/v1/applications')).body.items;
    const byLabel = all.filter((a: any) => a.metadata.labels?.env === 'dev');
    const w = watch('?selector=env%3Ddev');
    try {
      await waitFor(
        async () => w.lines.length >= byLabel.length,
        'selector burst',
      );
      expect(
        w.lines.every(l => l.result.application.metadata.labels.env === 'dev'),
      ).toBe(true);
    } finally {
      w.close();
    }
    const project = all[0].spec.project;
    const inProject = all.filter((a: any) => a.spec.project === project);
    const p = watch(`?projects=${encodeURIComponent(project)}`);
    try {
      await waitFor(
        async () => p.lines.length >= inProject.length,
        'project burst',
      );
      expect(
        p.lines.every(l => l.result.application.spec.project === project),
      ).toBe(true);
    } finally {
      p.close();
    }
    const none = watch('?projects=no-such-project');
    try {
      await waitFor(async () => none.status() === 200, 'headers');
      await post('/api/v1/applications/python-api-base-dev/sync', {
        dryRun: true,
      });
      await settled('python-api-base-dev');
      expect(none.lines).toEqual([]);
    } finally {
      none.close();
    }
  });

  it('an invalid selector is refused before the stream starts', async () => {
    const res = await get('/api/v1/stream/applications?selector=env%20in%20(');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectValid('runtimeError', res.body);
  });
});

describe('faults', () => {
  it('an open stream is cut when the server goes down', async () => {
    const w = watch('?name=python-api-base-dev');
    try {
      await waitFor(async () => w.lines.length >= 1, 'ADDED');
      emu.setFaults({ down: true });
      await waitFor(async () => w.ended(), 'stream cut');
      expect(w.ended()).toBe(true);
      expect(w.lines).toHaveLength(1);
    } finally {
      w.close();
    }
  });
});
