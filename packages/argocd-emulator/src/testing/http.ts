/**
 * A minimal HTTP client for tests: a dedicated agent and an IP literal, so it
 * neither goes through the global agent nor through global fetch (both of
 * which Backstage's jest setup blocks).
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: false });

/** @public */
export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

/** @public */
export function httpRequest(
  method: string,
  url: string,
  opts: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<TestResponse> {
  const u = new URL(url.replace('//localhost:', '//127.0.0.1:'));
  const payload =
    opts.body === undefined
      ? undefined
      : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method,
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': String(payload.length),
              }
            : {}),
          ...(opts.headers ?? {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
          });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Polls `fn` until it returns a truthy value (condition wait, not a timing assertion). @public */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}
