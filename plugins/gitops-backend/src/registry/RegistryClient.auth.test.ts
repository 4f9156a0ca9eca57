/* Auth flows of the registry client against msw registries: anonymous, basic, bearer (token endpoint, caching), static token. */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { RegistryConfig } from './config';
import { registryErrorInfo } from './errors';
import { MANIFEST_ACCEPT, RegistryClient } from './RegistryClient';

const server = setupServer();
registerMswTestHooks(server);

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const PASSWORD = 'reg-SECRET-password';
const BASIC = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`;

function registry(over: Partial<RegistryConfig> = {}): RegistryConfig {
  return {
    host: 'reg.test',
    url: 'https://reg.test',
    auth: 'anonymous',
    timeoutMs: 2000,
    ...over,
  };
}

function manifestHandler(
  ok: (auth: string | null) => boolean,
  challenge: string,
  seen: Array<{ auth: string | null; accept: string | null }> = [],
) {
  return http.head(
    'https://reg.test/v2/shop/api/manifests/:tag',
    ({ request, params }) => {
      const auth = request.headers.get('authorization');
      seen.push({ auth, accept: request.headers.get('accept') });
      if (!ok(auth))
        return new HttpResponse(null, {
          status: 401,
          headers: { 'www-authenticate': challenge },
        });
      if (params.tag === 'missing')
        return new HttpResponse(null, { status: 404 });
      return new HttpResponse(null, {
        status: 200,
        headers: {
          'docker-content-digest': DIGEST,
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
        },
      });
    },
  );
}

describe('RegistryClient auth', () => {
  it('anonymous: no Authorization header, the manifest Accept types, digest from the header; 404 is missing', async () => {
    const seen: Array<{ auth: string | null; accept: string | null }> = [];
    server.use(manifestHandler(() => true, 'Basic realm="x"', seen));
    const c = new RegistryClient({ registries: [registry()] });
    await expect(c.manifest('reg.test/shop/api', 'v1')).resolves.toEqual({
      digest: DIGEST,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    await expect(c.manifest('reg.test/shop/api', 'missing')).resolves.toBe(
      undefined,
    );
    expect(seen.map(s => s.auth)).toEqual([null, null]);
    expect(seen[0].accept).toBe(MANIFEST_ACCEPT);
    expect(seen[0].accept).toContain(
      'application/vnd.docker.distribution.manifest.v2+json',
    );
  });

  it('anonymous against a registry that wants credentials: unauthenticated, without retrying', async () => {
    const seen: Array<{ auth: string | null; accept: string | null }> = [];
    server.use(manifestHandler(a => a === BASIC, 'Basic realm="reg"', seen));
    const c = new RegistryClient({ registries: [registry()] });
    const err = await c.manifest('reg.test/shop/api', 'v1').catch(e => e);
    expect(registryErrorInfo(err)).toEqual({
      code: 'unauthenticated',
      host: 'reg.test',
      status: 401,
    });
    expect(err.message).toBe(
      'registry reg.test: HEAD manifest shop/api:v1 answered 401 (credentials refused)',
    );
    expect(seen).toHaveLength(1);
  });

  it('basic: the account is sent with every call; refused credentials are unauthenticated and never echoed', async () => {
    const seen: Array<{ auth: string | null; accept: string | null }> = [];
    server.use(manifestHandler(a => a === BASIC, 'Basic realm="reg"', seen));
    const c = new RegistryClient({
      registries: [
        registry({ auth: 'basic', username: 'robot', password: PASSWORD }),
      ],
    });
    await expect(c.manifest('reg.test/shop/api', 'v1')).resolves.toMatchObject({
      digest: DIGEST,
    });
    expect(seen.map(s => s.auth)).toEqual([BASIC]);

    const wrong = new RegistryClient({
      registries: [
        registry({ auth: 'basic', username: 'robot', password: 'nope-SECRET' }),
      ],
    });
    const err = await wrong.manifest('reg.test/shop/api', 'v1').catch(e => e);
    expect(registryErrorInfo(err)?.code).toBe('unauthenticated');
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toMatch(
      /SECRET/,
    );
  });

  it('bearer: 401 challenge → token endpoint (service, scope, Basic account) → retry; the token is cached per scope until it expires', async () => {
    const tokenCalls: Array<{
      service: string | null;
      scope: string | null;
      auth: string | null;
    }> = [];
    let issued = 0;
    server.use(
      http.get('https://auth.test/token', ({ request }) => {
        const u = new URL(request.url);
        tokenCalls.push({
          service: u.searchParams.get('service'),
          scope: u.searchParams.get('scope'),
          auth: request.headers.get('authorization'),
        });
        issued++;
        return HttpResponse.json({ token: `tok-${issued}`, expires_in: 300 });
      }),
      manifestHandler(
        a => !!a?.startsWith('Bearer tok-'),
        'Bearer realm="https://auth.test/token",service="reg.test",scope="repository:shop/api:pull"',
      ),
      http.get('https://reg.test/v2/shop/web/tags/list', ({ request }) =>
        request.headers.get('authorization')?.startsWith('Bearer ')
          ? HttpResponse.json({ name: 'shop/web', tags: ['v1'] })
          : new HttpResponse(null, {
              status: 401,
              headers: {
                'www-authenticate':
                  'Bearer realm="https://auth.test/token",service="reg.test",scope="repository:shop/web:pull"',
              },
            }),
      ),
    );
    let now = 1_000_000;
    const c = new RegistryClient({
      registries: [
        registry({ auth: 'bearer', username: 'robot', password: PASSWORD }),
      ],
      now: () => now,
    });
    await c.manifest('reg.test/shop/api', 'v1');
    await c.manifest('reg.test/shop/api', 'v2');
    expect(tokenCalls).toEqual([
      { service: 'reg.test', scope: 'repository:shop/api:pull', auth: BASIC },
    ]);
    // another repository, another scope: its own token
    await expect(c.tags('reg.test/shop/web')).resolves.toEqual(['v1']);
    expect(tokenCalls.map(t => t.scope)).toEqual([
      'repository:shop/api:pull',
      'repository:shop/web:pull',
    ]);
    // after expiry (300 s, renewed at 90 %) a new token is fetched
    now += 280_000;
    await c.manifest('reg.test/shop/api', 'v1');
    expect(tokenCalls).toHaveLength(3);
  });

  it('bearer without an account: an anonymous token (no Authorization to the token endpoint)', async () => {
    const auths: Array<string | null> = [];
    server.use(
      http.get('https://auth.test/token', ({ request }) => {
        auths.push(request.headers.get('authorization'));
        return HttpResponse.json({ access_token: 'anon' });
      }),
      manifestHandler(
        a => a === 'Bearer anon',
        'Bearer realm="https://auth.test/token",service="reg.test"',
      ),
    );
    const c = new RegistryClient({ registries: [registry()] });
    await expect(c.manifest('reg.test/shop/api', 'v1')).resolves.toMatchObject({
      digest: DIGEST,
    });
    expect(auths).toEqual([null]);
  });

  it('bearer: credentials never go to a plain-http token realm on another host', async () => {
    const auths: Array<string | null> = [];
    server.use(
      http.get('http://elsewhere.test/token', ({ request }) => {
        auths.push(request.headers.get('authorization'));
        return HttpResponse.json({ token: 't' });
      }),
      manifestHandler(
        a => a === 'Bearer t',
        'Bearer realm="http://elsewhere.test/token",service="s"',
      ),
    );
    const c = new RegistryClient({
      registries: [
        registry({ auth: 'bearer', username: 'robot', password: PASSWORD }),
      ],
    });
    await c.manifest('reg.test/shop/api', 'v1');
    expect(auths).toEqual([null]);
  });

  it('bearer: a refused token request is unauthenticated; a token answer without a token is invalid-response', async () => {
    server.use(
      http.get(
        'https://auth.test/token',
        () => new HttpResponse('{"details":"SECRET detail"}', { status: 401 }),
      ),
      manifestHandler(
        () => false,
        'Bearer realm="https://auth.test/token",service="reg.test"',
      ),
    );
    const c = new RegistryClient({
      registries: [
        registry({ auth: 'bearer', username: 'robot', password: PASSWORD }),
      ],
    });
    const err = await c.manifest('reg.test/shop/api', 'v1').catch(e => e);
    expect(registryErrorInfo(err)?.code).toBe('unauthenticated');
    expect(err.message).toBe(
      'registry reg.test: token request to auth.test answered 401 (credentials refused)',
    );
    server.use(
      http.get('https://auth.test/token', () =>
        HttpResponse.json({ expires_in: 10 }),
      ),
    );
    const err2 = await c.manifest('reg.test/shop/api', 'v1').catch(e => e);
    expect(registryErrorInfo(err2)?.code).toBe('invalid-response');
  });

  it('static token: sent as a bearer token, no token endpoint', async () => {
    const seen: Array<{ auth: string | null; accept: string | null }> = [];
    server.use(
      manifestHandler(
        a => a === 'Bearer pat-SECRET',
        'Bearer realm="https://auth.test/token"',
        seen,
      ),
    );
    const c = new RegistryClient({
      registries: [registry({ auth: 'bearer', token: 'pat-SECRET' })],
    });
    await expect(c.manifest('reg.test/shop/api', 'v1')).resolves.toMatchObject({
      digest: DIGEST,
    });
    expect(seen.map(s => s.auth)).toEqual(['Bearer pat-SECRET']);
  });
});

describe('RegistryClient responses', () => {
  it('tags: follows Link rel="next" pages on the same origin, never to another one', async () => {
    const pages: string[] = [];
    server.use(
      http.get('https://reg.test/v2/shop/api/tags/list', ({ request }) => {
        const u = new URL(request.url);
        pages.push(u.search);
        if (!u.searchParams.get('last'))
          return HttpResponse.json(
            { name: 'shop/api', tags: ['v1', 'v2'] },
            {
              headers: {
                link: '</v2/shop/api/tags/list?n=100&last=v2>; rel="next"',
              },
            },
          );
        if (u.searchParams.get('last') === 'v2')
          return HttpResponse.json(
            { name: 'shop/api', tags: ['v3'] },
            {
              headers: {
                link: '<https://evil.test/v2/shop/api/tags/list?last=v3>; rel="next"',
              },
            },
          );
        return HttpResponse.json({ name: 'shop/api', tags: ['never'] });
      }),
    );
    const c = new RegistryClient({ registries: [registry()] });
    await expect(c.tags('reg.test/shop/api')).resolves.toEqual([
      'v1',
      'v2',
      'v3',
    ]);
    expect(pages).toEqual(['?n=100', '?n=100&last=v2']);
  });

  it('tags: a repository the registry does not know has no tags; a wrong shape is invalid-response', async () => {
    server.use(
      http.get('https://reg.test/v2/shop/none/tags/list', () =>
        HttpResponse.json(
          { errors: [{ code: 'NAME_UNKNOWN' }] },
          { status: 404 },
        ),
      ),
      http.get('https://reg.test/v2/shop/bad/tags/list', () =>
        HttpResponse.json({ name: 'x', tags: 'v1' }),
      ),
    );
    const c = new RegistryClient({ registries: [registry()] });
    await expect(c.tags('reg.test/shop/none')).resolves.toEqual([]);
    const err = await c.tags('reg.test/shop/bad').catch(e => e);
    expect(registryErrorInfo(err)?.code).toBe('invalid-response');
    expect(err.message).toMatch(
      /^registry reg.test: GET tags of shop\/bad: not a tag list \(tags: /,
    );
  });

  it('manifest: a digest header that is not a digest is invalid-response; without a header the body is hashed', async () => {
    const body = '{"schemaVersion":2}';
    server.use(
      http.head(
        'https://reg.test/v2/shop/api/manifests/bad',
        () =>
          new HttpResponse(null, {
            headers: { 'docker-content-digest': 'md5:x' },
          }),
      ),
      http.head(
        'https://reg.test/v2/shop/api/manifests/nohdr',
        () => new HttpResponse(null),
      ),
      http.get(
        'https://reg.test/v2/shop/api/manifests/nohdr',
        () =>
          new HttpResponse(body, {
            headers: {
              'content-type': 'application/vnd.oci.image.manifest.v1+json',
            },
          }),
      ),
    );
    const c = new RegistryClient({ registries: [registry()] });
    expect(
      registryErrorInfo(
        await c.manifest('reg.test/shop/api', 'bad').catch(e => e),
      )?.code,
    ).toBe('invalid-response');
    await expect(c.manifest('reg.test/shop/api', 'nohdr')).resolves.toEqual({
      digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
  });

  it('5xx is unavailable, 403 permission-denied, no connection unreachable, an unknown host not-configured', async () => {
    server.use(
      http.head(
        'https://reg.test/v2/shop/api/manifests/v5',
        () => new HttpResponse('SECRET panic', { status: 503 }),
      ),
      http.head(
        'https://reg.test/v2/shop/api/manifests/v3',
        () => new HttpResponse(null, { status: 403 }),
      ),
      http.head('https://down.test/v2/shop/api/manifests/v1', () =>
        HttpResponse.error(),
      ),
    );
    const c = new RegistryClient({
      registries: [
        registry(),
        registry({ host: 'down.test', url: 'https://down.test' }),
      ],
    });
    const e5 = await c.manifest('reg.test/shop/api', 'v5').catch(e => e);
    expect(registryErrorInfo(e5)).toEqual({
      code: 'unavailable',
      host: 'reg.test',
      status: 503,
    });
    expect(e5.message).not.toMatch(/SECRET/);
    expect(
      registryErrorInfo(
        await c.manifest('reg.test/shop/api', 'v3').catch(e => e),
      )?.code,
    ).toBe('permission-denied');
    expect(
      registryErrorInfo(
        await c.manifest('down.test/shop/api', 'v1').catch(e => e),
      )?.code,
    ).toBe('unreachable');
    const nc = await c
      .manifest('images.example.net/shop/api', 'v1')
      .catch(e => e);
    expect(registryErrorInfo(nc)?.code).toBe('not-configured');
    expect(nc.message).toBe(
      'no registry is configured for images.example.net (gitops.registries)',
    );
  });
});
