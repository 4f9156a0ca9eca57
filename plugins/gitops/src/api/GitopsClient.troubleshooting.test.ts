import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import type { LogStreamLine } from '@internal/plugin-gitops-common';
import { GitopsClient } from './GitopsClient';
import { BASE } from '../__testUtils__/fixtures';

const server = setupServer();
const T = `${BASE}/entities/Component/default/api/environments/staging/troubleshooting`;

describe('GitopsClient troubleshooting', () => {
  registerMswTestHooks(server);
  const client = new GitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (i, o) => fetch(i, o) },
  });
  const entity = { kind: 'Component', namespace: 'default', name: 'api' };

  it('reads tree (with the health filter), events of a resource, operation and out-of-sync', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${T}/:part`, ({ request }) => {
        seen.push(request.url.slice(T.length));
        return HttpResponse.json({ roots: [], items: [], conditions: [] });
      }),
    );
    await client.getResourceTree(entity, 'staging', ['Degraded', 'Missing']);
    await client.getResourceEvents(entity, 'staging', {
      uid: 'u-1',
      name: 'pod-a',
      namespace: 'shop',
    });
    await client.getResourceEvents(entity, 'staging');
    await client.getLastOperation(entity, 'staging');
    await client.getOutOfSync(entity, 'staging');
    expect(seen).toEqual([
      '/tree?health=Degraded,Missing',
      '/events?resourceUID=u-1&resourceName=pod-a&resourceNamespace=shop',
      '/events',
      '/operation',
      '/out-of-sync',
    ]);
  });

  it('streams log lines as they come, with the query', async () => {
    let url = '';
    server.use(
      http.get(`${T}/logs`, ({ request }) => {
        url = request.url;
        const lines: LogStreamLine[] = [
          { type: 'log', podName: 'p', content: 'one' },
          { type: 'log', podName: 'p', content: 'two' },
          { type: 'end', reason: 'done' },
        ];
        const body = lines.map(l => JSON.stringify(l)).join('\n');
        // split mid-line so the client has to join chunks
        const enc = new TextEncoder();
        const stream = new ReadableStream({
          start(c) {
            c.enqueue(enc.encode(body.slice(0, 20)));
            c.enqueue(enc.encode(`${body.slice(20)}\n`));
            c.close();
          },
        });
        return new HttpResponse(stream, {
          headers: { 'content-type': 'application/x-ndjson' },
        });
      }),
    );
    const got: LogStreamLine[] = [];
    await client.streamLogs(
      entity,
      'staging',
      { podName: 'p', container: 'api', tailLines: 10, follow: true },
      l => got.push(l),
    );
    expect(url.slice(T.length)).toBe(
      '/logs?podName=p&container=api&tailLines=10&follow=true',
    );
    expect(got).toEqual([
      { type: 'log', podName: 'p', content: 'one' },
      { type: 'log', podName: 'p', content: 'two' },
      { type: 'end', reason: 'done' },
    ]);
  });

  it('a refused log request is a ResponseError with the backend message', async () => {
    server.use(
      http.get(`${T}/logs`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                "you are not allowed 'gitops.logs.read' on component:default/api",
            },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client.streamLogs(entity, 'staging', { podName: 'p' }, () => {}),
    ).rejects.toBeInstanceOf(ResponseError);
  });
});
