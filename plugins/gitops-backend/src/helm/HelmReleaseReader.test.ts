import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { gzipSync } from 'zlib';
import { ReadCache } from '../cache/ReadCache';
import { HelmReleaseReader } from './HelmReleaseReader';

const KUBE_TOKEN = 'kube-SECRET-token';
const server = setupServer();
registerMswTestHooks(server);

const sent: string[] = [];
beforeEach(() => {
  sent.length = 0;
  server.events.removeAllListeners();
  server.events.on('request:start', ({ request }) => {
    sent.push(`${request.method} ${request.url}`);
  });
});

function reader() {
  return HelmReleaseReader.create({
    clusters: [
      {
        name: 'local',
        url: 'http://k8s.test',
        token: KUBE_TOKEN,
        skipTLSVerify: false,
        timeoutMs: 2000,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
}

function secret(revision: number, status: string, release: Buffer | string) {
  const helm = Buffer.from(release).toString('base64');
  return {
    metadata: {
      name: `sh.helm.release.v1.mig.v${revision}`,
      namespace: 'shop',
      labels: { owner: 'helm', name: 'mig', status, version: String(revision) },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(helm).toString('base64') },
  };
}

function good(revision: number, status: string) {
  return secret(
    revision,
    status,
    gzipSync(
      Buffer.from(
        JSON.stringify({
          name: 'mig',
          namespace: 'shop',
          version: revision,
          info: { status, last_deployed: `2026-11-0${revision}T10:00:00Z` },
          chart: {
            metadata: { name: 'migrations', version: `0.${revision}.0` },
          },
          config: { password: 'hunter2' },
        }),
      ),
    ),
  );
}

describe('HelmReleaseReader', () => {
  it.each([
    ['..', 'x'],
    ['shop', '..'],
    ['../..', 'x'],
    ['Shop', 'x'],
    ['shop', 'a/b'],
  ])(
    'refuses namespace %j / release %j before any call',
    async (namespace, release) => {
      const err = await reader()
        .getHistory('local', namespace, release)
        .catch(e => e);
      expect(err.name).toBe('InputError');
      expect(err.message).toMatch(
        /not a valid (Kubernetes namespace|Helm release name)/,
      );
      expect(sent).toEqual([]);
    },
  );

  it('lists an undecodable revision as an error instead of dropping it', async () => {
    const corruptGzip = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 0x08]),
      Buffer.from('not really gzip, password=hunter2'),
    ]);
    server.use(
      http.get('http://k8s.test/api/v1/namespaces/shop/secrets', () =>
        HttpResponse.json({
          kind: 'SecretList',
          items: [
            good(1, 'superseded'),
            good(2, 'superseded'),
            secret(3, 'superseded', Buffer.from('{"name": "mig", broken')),
            secret(4, 'deployed', corruptGzip),
            secret(5, 'pending-upgrade', Buffer.from('[1,2]')),
          ],
        }),
      ),
    );
    const history = await reader().getHistory('local', 'shop', 'mig');
    expect(history.releases.map(r => r.revision)).toEqual([2, 1]);
    expect(history.errors).toEqual([
      {
        revision: 5,
        status: 'pending-upgrade',
        secret: 'sh.helm.release.v1.mig.v5',
        reason: expect.stringContaining('not a Helm release record'),
      },
      {
        revision: 4,
        status: 'deployed',
        secret: 'sh.helm.release.v1.mig.v4',
        reason: 'its gzip data is corrupt',
      },
      {
        revision: 3,
        status: 'superseded',
        secret: 'sh.helm.release.v1.mig.v3',
        reason: 'its content is not JSON',
      },
    ]);
    expect(JSON.stringify(history)).not.toContain('hunter2');
    expect(JSON.stringify(history)).not.toContain('broken');
  });

  it('turns a proxy HTML error page into status and reason', async () => {
    server.use(
      http.get(
        'http://k8s.test/api/v1/namespaces/shop/secrets',
        () =>
          new HttpResponse(
            '<html><body><h1>502 Bad Gateway</h1><hr>nginx/1.25.3 /etc/nginx/conf.d</body></html>',
            { status: 502, headers: { 'content-type': 'text/html' } },
          ),
      ),
    );
    const err = await reader()
      .getHistory('local', 'shop', 'mig')
      .catch(e => e);
    expect(err.name).toBe('ServiceUnavailableError');
    expect(err.message).toBe(
      "Kubernetes cluster 'local' answered 502 Bad Gateway (listing Helm releases)",
    );
  });

  it('keeps a Kubernetes Status reason for 4xx, never the token', async () => {
    server.use(
      http.get('http://k8s.test/api/v1/namespaces/shop/secrets', () =>
        HttpResponse.json(
          {
            kind: 'Status',
            status: 'Failure',
            code: 403,
            message: `secrets is forbidden: token ${KUBE_TOKEN} cannot list resource "secrets" in the namespace "shop"`,
          },
          { status: 403 },
        ),
      ),
    );
    const err = await reader()
      .getHistory('local', 'shop', 'mig')
      .catch(e => e);
    expect(err.message).toContain(
      'answered 403 Forbidden: secrets is forbidden',
    );
    expect(err.message).not.toContain(KUBE_TOKEN);
  });
});
