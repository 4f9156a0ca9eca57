/* Test-only helpers: a small fake Argo CD for msw. */
import { http, HttpResponse, RequestHandler } from 'msw';
import { ArgoApplication } from '../../argocd/types';

export function fixtureApp(
  name: string,
  opts: {
    labels?: Record<string, string>;
    tag?: string;
    health?: string;
    sync?: string;
    automated?: boolean;
    operation?: ArgoApplication['operation'];
    operationState?: any;
  } = {},
): ArgoApplication {
  const tag = opts.tag ?? 'v1.0.0';
  return {
    metadata: { name, namespace: 'argocd', labels: opts.labels },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/gitops.git',
        path: `apps/${name}`,
        targetRevision: 'main',
        helm: { parameters: [{ name: 'image.tag', value: tag }] },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
      syncPolicy: opts.automated ? { automated: { prune: true } } : undefined,
    },
    operation: opts.operation,
    status: {
      sync: { status: opts.sync ?? 'Synced', revision: 'a'.repeat(40) },
      health: { status: opts.health ?? 'Healthy' },
      summary: { images: [`images.example.org:5000/shop/${name}:${tag}`] },
      operationState: opts.operationState,
      history: [
        {
          id: 1,
          revision: 'b'.repeat(40),
          deployedAt: '2026-11-01T10:00:00Z',
          deployStartedAt: '2026-11-01T09:59:00Z',
          initiatedBy: { automated: true },
          source: {
            repoURL: 'https://git.example.com/gitops.git',
            path: `apps/${name}`,
          },
        },
        {
          id: 2,
          revision: 'a'.repeat(40),
          deployedAt: '2026-11-02T10:00:00Z',
          deployStartedAt: '2026-11-02T09:59:00Z',
          initiatedBy: { username: 'alice' },
          source: {
            repoURL: 'https://git.example.com/gitops.git',
            path: `apps/${name}`,
          },
        },
      ],
      resources: [
        {
          kind: 'Deployment',
          name,
          namespace: 'shop',
          health: { status: opts.health ?? 'Healthy' },
        },
        { kind: 'Service', name, namespace: 'shop' },
      ],
      conditions: [],
    },
  };
}

export interface FakeArgo {
  handlers: RequestHandler[];
  calls: string[];
  down: boolean;
  delayMs: number;
}

/** A fake Argo CD at `base` holding `apps`; `auth` is the bearer value it accepts (or a user/password pair). */
export function fakeArgo(
  base: string,
  apps: ArgoApplication[],
  auth: { token: string } | { username: string; password: string },
): FakeArgo {
  const state: FakeArgo = { handlers: [], calls: [], down: false, delayMs: 0 };
  let sessions = 0;
  const validTokens = new Set<string>('token' in auth ? [auth.token] : []);
  const guard = async (request: Request) => {
    state.calls.push(`${request.method} ${new URL(request.url).pathname}`);
    if (state.delayMs) await new Promise(r => setTimeout(r, state.delayMs));
    if (state.down) {
      return HttpResponse.json(
        { message: 'upstream connect error' },
        { status: 503 },
      );
    }
    const bearer = request.headers
      .get('authorization')
      ?.replace(/^Bearer /, '');
    if (!bearer || !validTokens.has(bearer)) {
      return HttpResponse.json(
        {
          error: 'no session information',
          code: 16,
          message: 'no session information',
        },
        { status: 401 },
      );
    }
    return undefined;
  };
  const notVisible = () =>
    HttpResponse.json(
      { error: 'permission denied', code: 7, message: 'permission denied' },
      { status: 403 },
    );
  const matches = (app: ArgoApplication, selector: string | null) =>
    !selector ||
    selector.split(',').every(term => {
      const [k, v] = term.split('=');
      return app.metadata.labels?.[k.trim()] === v?.trim();
    });

  state.handlers = [
    http.post(`${base}/api/v1/session`, async ({ request }) => {
      state.calls.push('POST /api/v1/session');
      if (state.down)
        return HttpResponse.json({ message: 'down' }, { status: 503 });
      const body = (await request.json()) as any;
      if (
        'username' in auth &&
        body.username === auth.username &&
        body.password === auth.password
      ) {
        sessions += 1;
        const t = `session.${sessions}.jwt`;
        validTokens.add(t);
        return HttpResponse.json({ token: t });
      }
      return HttpResponse.json(
        {
          error: 'Invalid username or password',
          code: 16,
          message: 'Invalid username or password',
        },
        { status: 401 },
      );
    }),
    http.get(`${base}/api/v1/applications`, async ({ request }) => {
      const refused = await guard(request);
      if (refused) return refused;
      const selector = new URL(request.url).searchParams.get('selector');
      return HttpResponse.json({
        metadata: {},
        items: apps.filter(a => matches(a, selector)),
      });
    }),
    http.get(
      `${base}/api/v1/applications/:name`,
      async ({ request, params }) => {
        const refused = await guard(request);
        if (refused) return refused;
        const app = apps.find(a => a.metadata.name === params.name);
        return app ? HttpResponse.json(app) : notVisible();
      },
    ),
    http.get(
      `${base}/api/v1/applications/:name/revisions/:rev/metadata`,
      async ({ request, params }) => {
        const refused = await guard(request);
        if (refused) return refused;
        return HttpResponse.json({
          author: 'Alice <alice@example.com>',
          date: '2026-11-02T09:00:00Z',
          message: `commit ${String(params.rev).slice(0, 7)}`,
          tags: params.rev === 'a'.repeat(40) ? ['v1.0.0'] : [],
        });
      },
    ),
    http.get(
      `${base}/api/v1/applications/:name/syncwindows`,
      async ({ request }) => {
        const refused = await guard(request);
        if (refused) return refused;
        return HttpResponse.json({ canSync: true });
      },
    ),
    http.get(
      `${base}/api/v1/applications/:name/managed-resources`,
      async ({ request }) => {
        const refused = await guard(request);
        if (refused) return refused;
        return HttpResponse.json({
          items: [
            {
              kind: 'Deployment',
              name: 'web',
              namespace: 'shop',
              group: 'apps',
              modified: true,
              normalizedLiveState: JSON.stringify({
                kind: 'Deployment',
                metadata: { name: 'web' },
                spec: { image: 'x:v1' },
              }),
              predictedLiveState: JSON.stringify({
                kind: 'Deployment',
                metadata: { name: 'web' },
                spec: { image: 'x:v2' },
              }),
            },
            {
              kind: 'Secret',
              name: 'db',
              namespace: 'shop',
              modified: true,
              normalizedLiveState: JSON.stringify({
                kind: 'Secret',
                metadata: { name: 'db' },
                data: { password: 'c2VjcmV0LWxpdmU=' },
              }),
              predictedLiveState: JSON.stringify({
                kind: 'Secret',
                metadata: { name: 'db' },
                data: { password: 'c2VjcmV0LW5ldw==' },
              }),
            },
          ],
        });
      },
    ),
    http.get(
      `${base}/api/v1/applications/:name/resource-tree`,
      async ({ request, params }) => {
        const refused = await guard(request);
        if (refused) return refused;
        return HttpResponse.json({
          nodes: [
            {
              kind: 'Deployment',
              group: 'apps',
              name: String(params.name),
              namespace: 'shop',
              health: { status: 'Healthy' },
            },
            {
              kind: 'Pod',
              name: `${params.name}-abc`,
              namespace: 'shop',
              health: { status: 'Degraded', message: 'CrashLoopBackOff' },
              images: ['images.example.org/shop/app:v1.0.0'],
              parentRefs: [{ kind: 'ReplicaSet', name: `${params.name}-rs` }],
            },
          ],
        });
      },
    ),
  ];
  return state;
}
