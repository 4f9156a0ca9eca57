/*
 * Child process of bench/status.ts: runs the Argo CD emulator (instance
 * `local`) and a counting pass-through proxy in front of it, apart from the
 * backend under test, like a real Argo CD server would be.
 * Messages: parent → 'count' ; child → {type:'ready', ...} | {type:'count', count}.
 */
import { startEmulator } from '@internal/argocd-emulator';
import http from 'node:http';
import { AddressInfo } from 'node:net';

async function main() {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '100');
  const emulator = await startEmulator({ port: 0, instance: 'local', faults: { latencyMs } });
  const t = new URL(emulator.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  let count = 0;
  const proxy = http.createServer((req, res) => {
    count += 1;
    const up = http.request(
      { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers, agent },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>(r => proxy.listen(0, r));
  process.on('message', (m: any) => {
    if (m === 'count') process.send!({ type: 'count', count });
    if (m === 'stop') {
      proxy.close();
      emulator.stop().then(() => process.exit(0));
    }
  });
  process.send!({
    type: 'ready',
    url: emulator.url,
    proxyUrl: `http://localhost:${(proxy.address() as AddressInfo).port}`,
    token: emulator.token,
    kubeToken: emulator.kubeToken,
  });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
