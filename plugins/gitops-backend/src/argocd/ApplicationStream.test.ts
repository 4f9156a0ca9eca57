import { mockServices } from '@backstage/backend-test-utils';
import {
  ApplicationStream,
  applicationWatchQueryString,
  parseApplicationStreamLine,
  streamLines,
} from './ApplicationStream';

const app = (name: string, rv = '7') => ({
  metadata: { name, namespace: 'argocd', resourceVersion: rv },
  spec: { project: 'default', destination: {} },
  status: { sync: { status: 'Synced' } },
});

function body(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

async function collect(gen: AsyncGenerator<any>) {
  const out: any[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('applicationWatchQueryString', () => {
  it('writes the parameters of ApplicationService_Watch, projects repeated, fields joined', () => {
    expect(
      applicationWatchQueryString({
        name: 'a',
        projects: ['p1', 'p2'],
        selector: 'env=dev,team in (x,y)',
        repo: 'https://git.example.org/r.git',
        appNamespace: 'apps',
        resourceVersion: '1234',
        fields: ['result.type', 'result.application.metadata.name'],
      }),
    ).toBe(
      '?appNamespace=apps&fields=result.type%2Cresult.application.metadata.name&name=a&projects=p1&projects=p2&repo=https%3A%2F%2Fgit.example.org%2Fr.git&resourceVersion=1234&selector=env%3Ddev%2Cteam+in+%28x%2Cy%29',
    );
  });
  it('exclusion is a leading minus; nothing set is no query', () => {
    expect(
      applicationWatchQueryString({ fields: ['a.b'], exclude: true }),
    ).toBe('?fields=-a.b');
    expect(applicationWatchQueryString({})).toBe('');
  });
});

describe('parseApplicationStreamLine', () => {
  it('parses ADDED / MODIFIED / DELETED events with the application schema', () => {
    for (const type of ['ADDED', 'MODIFIED', 'DELETED'] as const) {
      const line = parseApplicationStreamLine(
        JSON.stringify({ result: { type, application: app('x') } }),
      );
      expect(line).toMatchObject({
        kind: 'event',
        type,
        application: { metadata: { name: 'x', resourceVersion: '7' } },
      });
    }
  });
  it('accepts a DELETED event that carries only metadata', () => {
    expect(
      parseApplicationStreamLine(
        '{"result":{"type":"DELETED","application":{"metadata":{"name":"gone","namespace":"argocd"}}}}',
      ),
    ).toMatchObject({
      kind: 'event',
      type: 'DELETED',
      application: { metadata: { name: 'gone', namespace: 'argocd' } },
    });
  });
  it('accepts server-sent events framing and skips blank lines, comments and other fields', () => {
    expect(
      parseApplicationStreamLine(
        `data: ${JSON.stringify({
          result: { type: 'ADDED', application: app('y') },
        })}`,
      ),
    ).toMatchObject({ kind: 'event', type: 'ADDED' });
    for (const l of [
      '',
      '   ',
      ': keep-alive',
      'event: message',
      'id: 3',
      'retry: 10',
    ]) {
      expect(parseApplicationStreamLine(l)).toEqual({ kind: 'skip' });
    }
  });
  it('parses error messages (runtimeStreamError)', () => {
    expect(
      parseApplicationStreamLine(
        '{"error":{"grpc_code":11,"http_code":410,"message":"too old resource version: 5 (9)","http_status":"Gone"}}',
      ),
    ).toEqual({
      kind: 'error',
      message: 'too old resource version: 5 (9)',
      httpCode: 410,
      grpcCode: 11,
    });
    expect(parseApplicationStreamLine('{"error":{}}')).toEqual({
      kind: 'error',
      message: 'unknown stream error',
      httpCode: undefined,
      grpcCode: undefined,
    });
  });
  it('reports malformed lines with a reason that never quotes the line', () => {
    const secret = 'SECRET-TOKEN-abc';
    const cases: Array<[string, RegExp]> = [
      [`{not json ${secret}`, /^not JSON$/],
      [`["${secret}"]`, /^not a JSON object$/],
      [`{"hello":"${secret}"}`, /^neither result nor error$/],
      [`{"result":{"type":"${secret}","application":{}}}`, /result\.type/],
      [
        `{"result":{"type":"ADDED","application":{"metadata":{"name":"${secret}"}}}}`,
        /result\.application: spec/,
      ],
      [`{"result":{"type":"ADDED"}}`, /result\.application/],
      [
        `{"result":{"type":"DELETED","application":{"metadata":{}}}}`,
        /DELETED/,
      ],
      [
        `{"error":{"message":42,"x":"${secret}"}}`,
        /error message of an unexpected shape/,
      ],
    ];
    for (const [line, reason] of cases) {
      const parsed = parseApplicationStreamLine(line);
      expect(parsed.kind).toBe('malformed');
      const r = (parsed as { reason: string }).reason;
      expect(r).toMatch(reason);
      expect(r).not.toContain(secret);
    }
  });
});

describe('streamLines', () => {
  it('splits across chunk boundaries, CRLF, multi-byte characters and a last line without newline', async () => {
    const lines = await collect(
      streamLines(body(['{"a":', '1}\r\n{"b":"é', '"}\n', '\n', '{"c":3}'])),
    );
    expect(lines.map(l => l?.replace(/\r$/, ''))).toEqual([
      '{"a":1}',
      '{"b":"é"}',
      '',
      '{"c":3}',
    ]);
  });
  it('drops an over-long line whole and goes on', async () => {
    const lines = await collect(
      streamLines(body(['x'.repeat(50), 'y'.repeat(50), '\n{"ok":1}\n']), 64),
    );
    expect(lines).toEqual([undefined, '{"ok":1}']);
  });
});

describe('ApplicationStream', () => {
  it('yields events and errors; malformed lines are counted, logged without their text, and do not end the stream', async () => {
    const logger = mockServices.logger.mock();
    const open = jest.fn(async () =>
      body([
        `${JSON.stringify({
          result: { type: 'ADDED', application: app('a') },
        })}\n`,
        'garbage SECRET-xyz\n',
        `${JSON.stringify({
          result: { type: 'MODIFIED', application: app('a', '8') },
        })}\n`,
        '{"error":{"message":"boom","http_code":500}}\n',
      ]),
    );
    const stream = new ApplicationStream({ instance: 'local', open, logger });
    const ctl = new AbortController();
    const lines = await collect(
      await stream.open(
        { resourceVersion: '5', fields: ['result.type'] },
        ctl.signal,
      ),
    );
    expect(open).toHaveBeenCalledWith(
      'local',
      '?fields=result.type&resourceVersion=5',
      ctl.signal,
    );
    expect(lines.map(l => l.kind)).toEqual(['event', 'event', 'error']);
    expect(stream.malformedLines).toBe(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('SECRET');
  });
  it('rejects when the stream cannot be opened', async () => {
    const stream = new ApplicationStream({
      instance: 'local',
      open: async () => {
        throw new Error('unreachable');
      },
    });
    await expect(stream.open({}, new AbortController().signal)).rejects.toThrow(
      'unreachable',
    );
  });
});
