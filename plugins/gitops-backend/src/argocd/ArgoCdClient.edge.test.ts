/* What Argo CD (or a proxy in front of it) sends is parsed at the edge; callers get a status and a short reason. */
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdClient } from './ArgoCdClient';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.edge-SECRET-token.sig';
const URL_PASSWORD = 'url-SECRET-pass';
const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argo-main.test';
const app = (name: string) => ({
  metadata: { name, namespace: 'argocd' },
  spec: { project: 'default', destination: {} },
  status: { sync: { status: 'Synced' } },
});

function client(
  logger = mockServices.logger.mock(),
  urls: { url?: string; externalUrl?: string } = {},
) {
  return ArgoCdClient.create({
    instances: [
      {
        name: 'main',
        url: urls.url ?? BASE,
        externalUrl: urls.externalUrl ?? 'https://argo.example.com',
        token: TOKEN,
        timeoutMs: 3000,
        concurrency: 4,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 0 }),
    logger,
  });
}

const GO_PANIC = {
  error:
    'runtime error: invalid memory address or nil pointer dereference\ngoroutine 1421 [running]:\ngithub.com/argoproj/argo-cd/v3/server/application.(*Server).Get(...)\n\t/go/src/github.com/argoproj/argo-cd/server/application/application.go:812 +0x1f4',
  code: 2,
  message:
    'runtime error: invalid memory address or nil pointer dereference\ngoroutine 1421 [running]:\n\t/go/src/github.com/argoproj/argo-cd/server/application/application.go:812 +0x1f4',
};
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';

describe('ArgoCdClient at the edge', () => {
  it('never passes on a 500 body with a Go panic, stack and source paths; logs it at debug', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/x`, () =>
        HttpResponse.json(GO_PANIC, { status: 500 }),
      ),
    );
    const logger = mockServices.logger.mock();
    const err = await client(logger)
      .getApplication('main', 'x')
      .catch(e => e);
    expect(err.name).toBe('ServiceUnavailableError');
    expect(err.message).toBe(
      "Argo CD instance 'main' answered 500 Internal Server Error to GET /api/v1/applications/x",
    );
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toMatch(
      /goroutine|\.go:|runtime error|\/go\/src/,
    );
    expect(
      logger.debug.mock.calls.some(([m]) => String(m).includes('goroutine')),
    ).toBe(true);
  });

  it('turns a proxy HTML error page into status and short reason', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/x`, () => {
        calls += 1;
        return new HttpResponse(NGINX_502, {
          status: 502,
          headers: { 'content-type': 'text/html' },
        });
      }),
    );
    const err = await client()
      .getApplication('main', 'x')
      .catch(e => e);
    expect(calls).toBe(3); // retried as before
    expect(err.name).toBe('ServiceUnavailableError');
    expect(err.message).toBe(
      "Argo CD instance 'main' answered 502 Bad Gateway to GET /api/v1/applications/x",
    );
  });

  it('keeps one line of a 4xx JSON message, without source paths', async () => {
    server.use(
      http.post(`${BASE}/api/v1/applications/x/sync`, () =>
        HttpResponse.json(
          {
            code: 9,
            message:
              'ComparisonError: failed to load /tmp/_argocd-repo/abc123/apps/x/values.yaml: no such file\nmore detail',
          },
          { status: 400 },
        ),
      ),
    );
    const err = await client()
      .sync('main', 'x', {})
      .catch(e => e);
    expect(err.name).toBe('InputError');
    expect(err.message).toBe(
      "Argo CD instance 'main' answered 400 Bad Request to POST /api/v1/applications/x/sync: ComparisonError: failed to load [path]: no such file",
    );
  });

  it('never passes on an HTML 4xx page either', async () => {
    server.use(
      http.get(
        `${BASE}/api/v1/applications/x`,
        () =>
          new HttpResponse('<html><h1>403 Forbidden</h1></html>', {
            status: 403,
          }),
      ),
    );
    const err = await client()
      .getApplication('main', 'x')
      .catch(e => e);
    expect(err.name).toBe('NotAllowedError');
    expect(err.message).toBe(
      "Argo CD instance 'main' answered 403 Forbidden to GET /api/v1/applications/x",
    );
  });

  type Call = [string, string, (c: ArgoCdClient) => Promise<unknown>];
  const calls: Call[] = [
    ['get', '/api/v1/applications/x', c => c.getApplication('main', 'x')],
    ['get', '/api/v1/applications', c => c.listApplications('main')],
    [
      'get',
      '/api/v1/applications/x/managed-resources',
      c => c.getManagedResources('main', 'x'),
    ],
    [
      'get',
      '/api/v1/applications/x/resource-tree',
      c => c.getResourceTree('main', 'x'),
    ],
    [
      'get',
      '/api/v1/applications/x/revisions/abc/metadata',
      c => c.getRevisionMetadata('main', 'x', 'abc'),
    ],
    [
      'get',
      '/api/v1/applications/x/syncwindows',
      c => c.getSyncWindows('main', 'x'),
    ],
    ['get', '/api/version', c => c.getVersion('main')],
    ['post', '/api/v1/applications/x/sync', c => c.sync('main', 'x', {})],
    [
      'post',
      '/api/v1/applications/x/rollback',
      c => c.rollback('main', 'x', { id: 1 }),
    ],
  ];

  it.each(calls)(
    '%s %s: HTML with 200 is an unexpected answer, not a crash',
    async (method, path, call) => {
      server.use(
        http[method as 'get' | 'post'](
          `${BASE}${path}`,
          () =>
            new HttpResponse('<html><body>Sign in</body></html>', {
              status: 200,
              headers: { 'content-type': 'text/html' },
            }),
        ),
      );
      const err: any = await call(client()).catch(e => e);
      expect(err.name).toBe('ServiceUnavailableError');
      expect(err.message).toBe(
        `Argo CD instance 'main' answered 200 OK to ${method.toUpperCase()} ${path} with a body that is not JSON`,
      );
    },
  );

  it.each(calls)(
    '%s %s: the wrong shape is an unexpected answer',
    async (method, path, call) => {
      server.use(
        http[method as 'get' | 'post'](`${BASE}${path}`, () =>
          HttpResponse.json([7]),
        ),
      );
      const err: any = await call(client()).catch(e => e);
      expect(err.name).toBe('ServiceUnavailableError');
      expect(err.message).toBe(
        `Argo CD instance 'main' answered 200 OK to ${method.toUpperCase()} ${path} with an unexpected body (body: expected object, got array)`,
      );
    },
  );

  it.each([
    [{ items: [7] }, 'items.0: expected object, got number'],
    [
      { items: [{ metadata: { name: 7 } }] },
      'items.0.metadata.name: expected string, got number',
    ],
    [
      { items: [{ metadata: { name: 'a' } }] },
      'items.0.spec: expected object, got undefined',
    ],
    [
      { items: [{ ...app('a'), status: { history: [{ id: 'x' }] } }] },
      'items.0.status.history.0.id: unexpected value',
    ],
  ])('a list %j never shows an application named 7', async (body, where) => {
    server.use(
      http.get(`${BASE}/api/v1/applications`, () => HttpResponse.json(body)),
    );
    const err = await client()
      .listApplications('main')
      .catch(e => e);
    expect(err.message).toContain(`with an unexpected body (${where})`);
  });

  it('accepts null lists and unknown fields, keeping them for write-back', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications`, () =>
        HttpResponse.json({
          items: [
            {
              ...app('a'),
              spec: {
                project: 'default',
                destination: {},
                ignoreDifferences: [{ kind: 'Secret' }],
                sources: null,
              },
              status: { history: null, summary: { images: null } },
            },
          ],
        }),
      ),
    );
    const [a] = await client().listApplications('main');
    expect(a.spec.ignoreDifferences).toEqual([{ kind: 'Secret' }]);
    expect(a.spec.sources).toBeUndefined();
    expect(a.status?.history).toBeUndefined();
  });

  it('takes user info out of instance URLs: never sent in the URL, shown, or logged', async () => {
    let seen = '';
    server.use(
      http.get(`${BASE}/api/v1/applications/x`, ({ request }) => {
        seen = request.url;
        return HttpResponse.json(
          { message: `no ${URL_PASSWORD}` },
          { status: 404 },
        );
      }),
    );
    const logger = mockServices.logger.mock();
    const c = client(logger, {
      url: `http://admin:${URL_PASSWORD}@argo-main.test`,
      externalUrl: `https://viewer:${URL_PASSWORD}@argo.example.com`,
    });
    const err = await c.getApplication('main', 'x').catch(e => e);
    expect(seen).toBe(`${BASE}/api/v1/applications/x`);
    const shown = [
      err.message,
      JSON.stringify(c.listInstances()),
      JSON.stringify(c.getInstance('main')),
      c.applicationUrl('main', 'x'),
      JSON.stringify(logger.debug.mock.calls),
    ].join(' ');
    expect(shown).not.toContain(URL_PASSWORD);
    expect(c.applicationUrl('main', 'x')).toBe(
      'https://argo.example.com/applications/x',
    );
  });

  it('removes credentials from logged bodies', async () => {
    server.use(
      http.get(`${BASE}/api/v1/applications/x`, () =>
        HttpResponse.text(
          `upstream said Bearer ${TOKEN} http://u:p4ss-word@h`,
          {
            status: 503,
          },
        ),
      ),
    );
    const logger = mockServices.logger.mock();
    await client(logger)
      .getApplication('main', 'x')
      .catch(e => e);
    const logged = JSON.stringify(logger.debug.mock.calls);
    expect(logged).toContain('upstream said');
    expect(logged).not.toContain('edge-SECRET-token');
    expect(logged).not.toContain('p4ss-word');
  });
});
