import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { GitopsClient } from './GitopsClient';
import { errorMessage } from '../utils/errors';
import { BASE, makeChange, makeState } from '../__testUtils__/fixtures';

const server = setupServer();

describe('GitopsClient', () => {
  registerMswTestHooks(server);
  const client = new GitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (i, o) => fetch(i, o) },
  });
  const entity = { kind: 'Component', namespace: 'default', name: 'my app' };

  it('reads environments from the contract path, encoding parameters', async () => {
    let url = '';
    server.use(
      http.get(
        `${BASE}/entities/:kind/:ns/:name/environments`,
        ({ request }) => {
          url = request.url;
          return HttpResponse.json(makeState());
        },
      ),
    );
    const state = await client.getEnvironments(entity);
    expect(url).toBe(
      `${BASE}/entities/Component/default/my%20app/environments`,
    );
    expect(state.environments).toHaveLength(3);
  });

  it('reads the overview from the contract path, encoding parameters; an HTTP error is a ResponseError', async () => {
    let url = '';
    server.use(
      http.get(`${BASE}/entities/:kind/:ns/:name/overview`, ({ request }) => {
        url = request.url;
        return HttpResponse.json({
          state: makeState(),
          changes: [makeChange()],
          pendingForMe: ['chg-1'],
        });
      }),
    );
    const overview = await client.getOverview(entity);
    expect(url).toBe(`${BASE}/entities/Component/default/my%20app/overview`);
    expect(overview.state.environments).toHaveLength(3);
    expect(overview.pendingForMe).toEqual(['chg-1']);

    server.use(
      http.get(`${BASE}/entities/:kind/:ns/:name/overview`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'no gitops annotations' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const err = await client.getOverview(entity).catch(e => e);
    expect(err).toBeInstanceOf(ResponseError);
    expect(errorMessage(err)).toBe('no gitops annotations');
  });

  it('reads history, diff and resources of one environment', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        `${BASE}/entities/:k/:n/:name/environments/:env/:part`,
        ({ params }) => {
          seen.push(`${params.env}/${params.part}`);
          return HttpResponse.json({ items: [], errors: [] });
        },
      ),
    );
    await client.getHistory(entity, 'prod');
    await client.getDiff(entity, 'staging');
    await client.getResources(entity, 'dev');
    expect(seen).toEqual(['prod/history', 'staging/diff', 'dev/resources']);
  });

  it('sends preview: true for a preview and preview: false to create', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${BASE}/changes`, async ({ request }) => {
        const body = (await request.json()) as { preview: boolean };
        bodies.push(body);
        return body.preview
          ? HttpResponse.json({
              allowed: true,
              checks: [],
              requiredApprovals: 0,
            })
          : HttpResponse.json(makeChange(), { status: 201 });
      }),
    );
    const req = {
      entityRef: 'component:default/x',
      environment: 'prod',
      kind: 'promote' as const,
      version: 'v1.2.0',
    };
    await expect(client.previewChange(req)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(
      client.createChange({ ...req, reason: 'r' }),
    ).resolves.toMatchObject({ id: 'chg-1' });
    expect(bodies).toEqual([
      { ...req, preview: true },
      { ...req, reason: 'r', preview: false },
    ]);
  });

  it('lists changes with query parameters and posts decisions', async () => {
    let query = '';
    const actions: string[] = [];
    server.use(
      http.get(`${BASE}/changes`, ({ request }) => {
        query = new URL(request.url).search;
        return HttpResponse.json({ items: [] });
      }),
      http.post(`${BASE}/changes/:id/:action`, async ({ params, request }) => {
        actions.push(
          `${params.id}:${params.action}:${JSON.stringify(
            await request.json(),
          )}`,
        );
        return HttpResponse.json(makeChange());
      }),
      http.get(`${BASE}/approvals/pending`, () =>
        HttpResponse.json({ items: [makeChange()] }),
      ),
    );
    await client.listChanges({
      entityRef: 'component:default/x',
      state: 'executing',
    });
    expect(query).toBe('?entityRef=component%3Adefault%2Fx&state=executing');
    await client.approveChange('a/b', { comment: 'ok' });
    await client.rejectChange('c', {});
    await client.cancelChange('d');
    expect(actions).toEqual([
      'a/b:approve:{"comment":"ok"}',
      'c:reject:{}',
      'd:cancel:{}',
    ]);
    await expect(client.getPendingApprovals()).resolves.toMatchObject({
      items: [{ id: 'chg-1' }],
    });
  });

  it('turns an error response into a ResponseError with the server message', async () => {
    server.use(
      http.post(`${BASE}/changes/:id/approve`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'you cannot approve your own change',
            },
            request: { method: 'POST', url: '/changes/x/approve' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const err = await client.approveChange('x').catch(e => e);
    expect(err).toBeInstanceOf(ResponseError);
    expect(err.statusCode).toBe(403);
    expect(errorMessage(err)).toBe('you cannot approve your own change');
  });
});
