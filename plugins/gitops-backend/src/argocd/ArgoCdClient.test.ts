import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdClient } from './ArgoCdClient';
import { ArgoCdInstanceConfig } from './config';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.static-token-SECRET.sig';
const PASSWORD = 'pa55-SECRET-word';

const server = setupServer();
registerMswTestHooks(server);

function instances(): ArgoCdInstanceConfig[] {
  return [
    {
      name: 'tok',
      url: 'http://argo-tok.test',
      externalUrl: 'https://argo.example.com',
      token: TOKEN,
      timeoutMs: 2000,
      concurrency: 4,
    },
    {
      name: 'pw',
      url: 'http://argo-pw.test',
      externalUrl: 'http://argo-pw.test',
      username: 'admin',
      password: PASSWORD,
      timeoutMs: 2000,
      concurrency: 4,
    },
  ];
}

function makeClient(ttlMs = 0) {
  return ArgoCdClient.create({
    instances: instances(),
    cache: ReadCache.create({ defaultTtlMs: ttlMs }),
  });
}

const app = (name: string) => ({
  metadata: { name },
  spec: { project: 'default', destination: {} },
  status: { sync: { status: 'Synced' } },
});

describe('ArgoCdClient', () => {
  it('sends the bearer token and reads an application', async () => {
    let auth: string | null = null;
    server.use(
      http.get('http://argo-tok.test/api/v1/applications/a', ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(app('a'));
      }),
    );
    const client = makeClient();
    const res = await client.getApplication('tok', 'a');
    expect(res.metadata.name).toBe('a');
    expect(auth).toBe(`Bearer ${TOKEN}`);
    expect(client.getStats().upstreamCalls).toBe(1);
  });

  it('creates one session for username/password, reuses it, renews it once on 401', async () => {
    let sessions = 0;
    let valid = 'session-1';
    server.use(
      http.post('http://argo-pw.test/api/v1/session', async ({ request }) => {
        const body = (await request.json()) as any;
        expect(body).toEqual({ username: 'admin', password: PASSWORD });
        sessions += 1;
        return HttpResponse.json({ token: `session-${sessions}` });
      }),
      http.get(
        'http://argo-pw.test/api/v1/applications/:name',
        ({ request, params }) => {
          if (request.headers.get('authorization') !== `Bearer ${valid}`) {
            return HttpResponse.json(
              {
                error: 'invalid session: token is expired',
                code: 16,
                message: 'invalid session: token is expired',
              },
              { status: 401 },
            );
          }
          return HttpResponse.json(app(String(params.name)));
        },
      ),
    );
    const client = makeClient();
    await Promise.all([
      client.getApplication('pw', 'a'),
      client.getApplication('pw', 'b'),
      client.getApplication('pw', 'c'),
    ]);
    expect(sessions).toBe(1);
    valid = 'session-2';
    await client.getApplication('pw', 'a');
    expect(sessions).toBe(2);
    await client.getApplication('pw', 'b');
    expect(sessions).toBe(2);
  });

  it.each([
    [400, 'InputError', 'bad'],
    [400, 'ConflictError', 'another operation is already in progress'],
    [403, 'NotAllowedError', 'permission denied'],
    [404, 'NotFoundError', 'applications.argoproj.io "x" not found'],
    [401, 'ServiceUnavailableError', 'invalid session: token is expired'],
  ])(
    'maps HTTP %s to %s keeping the message',
    async (status, name, message) => {
      server.use(
        http.post('http://argo-tok.test/api/v1/applications/x/sync', () =>
          HttpResponse.json({ error: message, code: 9, message }, { status }),
        ),
      );
      const err = await makeClient()
        .sync('tok', 'x', { dryRun: true })
        .catch(e => e);
      expect(err.name).toBe(name);
      expect(err.message).toContain(message);
      expect(err.message).toContain("'tok'");
    },
  );

  it('never puts the token or password in an error', async () => {
    server.use(
      http.get('http://argo-tok.test/api/v1/applications/x', () =>
        HttpResponse.json(
          {
            error: `bad token ${TOKEN}`,
            code: 3,
            message: `bad token ${TOKEN}`,
          },
          { status: 400 },
        ),
      ),
      http.post('http://argo-pw.test/api/v1/session', () =>
        HttpResponse.json(
          { message: `wrong password ${PASSWORD}` },
          { status: 401 },
        ),
      ),
    );
    const client = makeClient();
    const e1 = await client.getApplication('tok', 'x').catch(e => e);
    const e2 = await client.getApplication('pw', 'x').catch(e => e);
    for (const e of [e1, e2]) {
      const text = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('static-token-SECRET');
      expect(text).not.toContain(PASSWORD);
    }
    expect(e1.message).toContain('[redacted]');
  });

  it('retries GETs on 503 and never retries writes', async () => {
    let gets = 0;
    let posts = 0;
    server.use(
      http.get('http://argo-tok.test/api/v1/applications/r', () => {
        gets += 1;
        return gets < 3
          ? HttpResponse.json({ message: 'unavailable' }, { status: 503 })
          : HttpResponse.json(app('r'));
      }),
      http.post('http://argo-tok.test/api/v1/applications/r/sync', () => {
        posts += 1;
        return HttpResponse.json({ message: 'unavailable' }, { status: 503 });
      }),
    );
    const client = makeClient();
    await expect(client.getApplication('tok', 'r')).resolves.toMatchObject({
      metadata: { name: 'r' },
    });
    expect(gets).toBe(3);
    await expect(client.sync('tok', 'r', {})).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect(posts).toBe(1);
  });

  it('coalesces identical in-flight GETs and caches when asked', async () => {
    let calls = 0;
    server.use(
      http.get('http://argo-tok.test/api/v1/applications', async () => {
        calls += 1;
        await new Promise(r => setTimeout(r, 20));
        return HttpResponse.json({ items: [app('a')] });
      }),
      http.post('http://argo-tok.test/api/v1/applications/a/sync', () =>
        HttpResponse.json(app('a')),
      ),
    );
    const client = ArgoCdClient.create({
      instances: instances(),
      cache: ReadCache.create({ defaultTtlMs: 60_000, cache: memoryCache() }),
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.listApplications('tok', { selector: 'a=b', cached: true }),
      ),
    );
    expect(results.every(r => r.length === 1)).toBe(true);
    expect(calls).toBe(1);
    await client.listApplications('tok', { selector: 'a=b', cached: true });
    expect(calls).toBe(1);
    // Uncached reads still coalesce but go upstream.
    await client.listApplications('tok', { selector: 'a=b' });
    expect(calls).toBe(2);
    // Our own write invalidates the instance's cached reads.
    await client.sync('tok', 'a', {});
    await client.listApplications('tok', { selector: 'a=b', cached: true });
    expect(calls).toBe(3);
  });

  it('sends repeated projects and the selector as query parameters', async () => {
    let url = '';
    server.use(
      http.get('http://argo-tok.test/api/v1/applications', ({ request }) => {
        url = request.url;
        return HttpResponse.json({ items: null });
      }),
    );
    const items = await makeClient().listApplications('tok', {
      selector: 'app.kubernetes.io/part-of=x,env=prod',
      projects: ['a', 'b'],
    });
    expect(items).toEqual([]);
    const u = new URL(url);
    expect(u.searchParams.getAll('projects')).toEqual(['a', 'b']);
    expect(u.searchParams.get('selector')).toBe(
      'app.kubernetes.io/part-of=x,env=prod',
    );
  });

  it('fails with ServiceUnavailableError naming the instance when it does not answer in time', async () => {
    server.use(
      http.get('http://argo-tok.test/api/v1/applications/slow', async () => {
        await new Promise(r => setTimeout(r, 5000));
        return HttpResponse.json(app('slow'));
      }),
    );
    const client = ArgoCdClient.create({
      instances: [{ ...instances()[0], timeoutMs: 100 }],
      cache: ReadCache.create({ defaultTtlMs: 0 }),
    });
    const err = await client.getApplication('tok', 'slow').catch(e => e);
    expect(err.name).toBe('ServiceUnavailableError');
    expect(err.message).toContain("'tok'");
  });

  it('rejects unknown instances', async () => {
    await expect(
      makeClient().getApplication('nope', 'a'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});

function memoryCache() {
  const store = new Map<string, unknown>();
  return {
    get: async (k: string) => store.get(k),
    set: async (k: string, v: unknown) => {
      store.set(k, v);
    },
    delete: async (k: string) => {
      store.delete(k);
    },
    withOptions() {
      return this;
    },
  } as any;
}
