import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { streamDispatcher } from './streamDispatcher';
import { openLogStream } from './troubleshootingCalls';

describe('streamDispatcher', () => {
  it('is one agent, handed to fetch by every stream that is opened', async () => {
    expect(streamDispatcher()).toBeInstanceOf(Agent);
    expect(streamDispatcher()).toBe(streamDispatcher());
    const inits: RequestInit[] = [];
    const body = await openLogStream(
      {
        instance: 'local',
        url: 'http://argocd.test',
        timeoutMs: 1000,
        token: async () => 'token',
        count: () => {},
        secrets: [],
        fetch: async (_url: any, init?: RequestInit) => {
          inits.push(init!);
          return new Response('{"result":{}}\n', { status: 200 });
        },
      } as any,
      '/api/v1/stream/applications',
      '',
      new AbortController().signal,
    );
    expect(body).toBeDefined();
    expect((inits[0] as any).dispatcher).toBe(streamDispatcher());
  });

  it('works with the fetch of Node: a stream with a pause is read to its end', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":1}\n');
      setTimeout(() => res.end('{"b":2}\n'), 300);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        dispatcher: streamDispatcher(),
      } as RequestInit);
      expect(await res.text()).toBe('{"a":1}\n{"b":2}\n');
    } finally {
      server.close();
    }
  });
});
