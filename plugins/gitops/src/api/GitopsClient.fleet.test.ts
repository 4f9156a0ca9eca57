import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { GitopsClient } from './GitopsClient';
import { BASE } from '../__testUtils__/fixtures';

const server = setupServer();

describe('GitopsClient.getFleet', () => {
  registerMswTestHooks(server);
  const client = new GitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (i, o) => fetch(i, o) },
  });

  it('sends owner, system and the states as one comma-separated parameter', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/fleet`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({
          items: [],
          environments: [],
          generatedAt: '2026-12-05T23:00:00.000Z',
        });
      }),
    );
    await client.getFleet();
    await client.getFleet({
      owner: 'group:default/team-a',
      system: 'shop',
      state: ['degraded', 'promotable'],
    });
    await client.getFleet({ state: [] });
    expect(seen).toEqual([
      '',
      '?owner=group%3Adefault%2Fteam-a&system=shop&state=degraded%2Cpromotable',
      '',
    ]);
  });

  it('turns a 400 into a ResponseError carrying the backend message', async () => {
    server.use(
      http.get(`${BASE}/fleet`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: "Invalid query: state: 'x' is not one of …",
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const err = await client.getFleet({ owner: 'x' }).catch(e => e);
    expect(err).toBeInstanceOf(ResponseError);
    expect(err.statusCode).toBe(400);
    expect(err.body.error.message).toContain("Invalid query: state: 'x'");
  });
});
