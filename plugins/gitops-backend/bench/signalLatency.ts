/**
 * Argo CD change → signal latency: a client subscribed to entity channels on
 * the backend's signals WebSocket (`/api/signals`, the transport the
 * plugin's useSignal uses) while the benchmark asks Argo CD (the emulator) to
 * sync one app of that entity. The clock starts when the sync request is
 * sent (the emulator adds its injected latency before it acts) and stops
 * when the client handles the message for that entity; the message's own
 * `observedAt` / `sentAt` split it into Argo CD → mirror event → publish.
 *
 * The client is a page in Chromium (playwright-core, /usr/bin/chromium like
 * the browser tests) when it can be launched, else Node's WebSocket; which
 * one is printed. It is a bare WebSocket page, not the GitOps tab.
 */
import { authHeaders } from './benchConfig';

export interface SignalSample {
  totalMs: number;
  observedMs?: number;
  sentMs?: number;
}

type Client = {
  kind: string;
  subscribe(channels: string[]): Promise<void>;
  next(channel: string, timeoutMs: number): Promise<any | undefined>;
  close(): Promise<void>;
};

async function chromiumClient(wsUrl: string): Promise<Client> {
  const { chromium } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.GITOPS_E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  const page = await browser.newPage();
  const waiting = new Map<string, (m: any) => void>();
  await page.exposeFunction('benchSignal', (raw: string) => {
    const m = JSON.parse(raw);
    waiting.get(m.channel)?.(m.message);
  });
  await page.evaluate(async url => {
    const w = window as any;
    for (let i = 0; i < 20 && !w.benchWs; i++) {
      const ws = new WebSocket(url);
      const ok = await new Promise<boolean>(res => {
        const t = setTimeout(() => res(false), 1500);
        ws.onopen = () => {
          clearTimeout(t);
          res(true);
        };
        ws.onerror = () => {
          clearTimeout(t);
          res(false);
        };
      });
      if (ok) {
        ws.onmessage = e => w.benchSignal(String(e.data));
        w.benchWs = ws;
      } else ws.close();
    }
    if (!w.benchWs) throw new Error('signals WebSocket did not open');
  }, wsUrl);
  return {
    kind: `Chromium ${browser.version()} page (WebSocket)`,
    subscribe: async channels => {
      await page.evaluate(cs => {
        for (const c of cs)
          (window as any).benchWs.send(
            JSON.stringify({ action: 'subscribe', channel: c }),
          );
      }, channels);
    },
    next: (channel, timeoutMs) =>
      new Promise(resolve => {
        const t = setTimeout(() => {
          waiting.delete(channel);
          resolve(undefined);
        }, timeoutMs);
        waiting.set(channel, m => {
          clearTimeout(t);
          waiting.delete(channel);
          resolve(m);
        });
      }),
    close: () => browser.close(),
  };
}

async function nodeClient(wsUrl: string): Promise<Client> {
  const WS = (globalThis as any).WebSocket;
  let ws: any;
  for (let i = 0; i < 20 && !ws; i++) {
    const c = new WS(wsUrl);
    const ok = await new Promise<boolean>(res => {
      const t = setTimeout(() => res(false), 1500);
      c.onopen = () => {
        clearTimeout(t);
        res(true);
      };
      c.onerror = () => {
        clearTimeout(t);
        res(false);
      };
    });
    if (ok) ws = c;
    else c.close();
  }
  if (!ws) throw new Error('signals WebSocket did not open');
  const waiting = new Map<string, (m: any) => void>();
  ws.onmessage = (e: any) => {
    const m = JSON.parse(String(e.data));
    waiting.get(m.channel)?.(m.message);
  };
  return {
    kind: `Node ${process.version} WebSocket (Chromium could not be launched)`,
    subscribe: async channels => {
      for (const c of channels)
        ws.send(JSON.stringify({ action: 'subscribe', channel: c }));
    },
    next: (channel, timeoutMs) =>
      new Promise(resolve => {
        const t = setTimeout(() => {
          waiting.delete(channel);
          resolve(undefined);
        }, timeoutMs);
        waiting.set(channel, m => {
          clearTimeout(t);
          waiting.delete(channel);
          resolve(m);
        });
      }),
    close: async () => ws.close(),
  };
}

export async function measureSignalLatency(o: {
  backendBase: string;
  emulatorUrl: string;
  emulatorToken: string;
  /** [entity name, app name] to change, one sample each. */
  targets: Array<[string, string]>;
  timeoutMs?: number;
}): Promise<{ client: string; samples: SignalSample[]; missed: number }> {
  const wsUrl = `${o.backendBase.replace(/^http/, 'ws')}/api/signals`;
  // the signals router hooks the server's upgrade event on its first request
  await fetch(`${o.backendBase}/api/signals/health`, {
    headers: authHeaders,
  }).catch(() => undefined);
  let client: Client;
  try {
    client = await chromiumClient(wsUrl);
  } catch {
    client = await nodeClient(wsUrl);
  }
  const channel = (entity: string) =>
    `gitops:entity:component:default/${entity}`;
  await client.subscribe([...new Set(o.targets.map(([e]) => channel(e)))]);
  await new Promise(r => setTimeout(r, 300));
  const samples: SignalSample[] = [];
  let missed = 0;
  for (const [entity, app] of o.targets) {
    const got = client.next(channel(entity), o.timeoutMs ?? 5000);
    const t0 = Date.now();
    const res = await fetch(
      `${o.emulatorUrl}/api/v1/applications/${app}/sync`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${o.emulatorToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ prune: false }),
      },
    );
    await res.arrayBuffer();
    const m = await got;
    const t1 = Date.now();
    if (!m || !res.ok) missed += 1;
    else
      samples.push({
        totalMs: t1 - t0,
        observedMs:
          typeof m.observedAt === 'number' ? m.observedAt - t0 : undefined,
        sentMs: typeof m.sentAt === 'number' ? m.sentAt - t0 : undefined,
      });
    // let the sync finish (the emulator runs it for ~1 s) before the next one
    await new Promise(r => setTimeout(r, 1500));
  }
  await client.close();
  return { client: client.kind, samples, missed };
}
