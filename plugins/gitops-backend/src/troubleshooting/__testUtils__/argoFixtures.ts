/* Test-only: an Argo CD application in trouble (ImagePullBackOff, failed sync with a failing hook) for msw. */
import { http, HttpResponse, RequestHandler } from 'msw';

export const APP = 'api-staging';
export const POD = 'api-7c9d8f6b5d-x2x4z';
export const RS = 'api-7c9d8f6b5d';
const NS = 'shop';

const uid = (n: number) => `00000000-0000-4000-a000-00000000000${n}`;

const deployment = (tag: string, annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: NS,
    ...(annotations ? { annotations } : {}),
  },
  spec: {
    replicas: 1,
    template: {
      spec: {
        initContainers: [
          { name: 'migrate', image: `images.example.org/api:${tag}` },
        ],
        containers: [
          { name: 'api', image: `images.example.org/api:${tag}` },
          { name: 'proxy', image: 'images.example.org/proxy:1.0' },
        ],
      },
    },
  },
});

export function troubledApp() {
  return {
    metadata: {
      name: APP,
      namespace: 'argocd',
      // the binding: which catalog entity may read and steer this application
      annotations: {
        'gitops.backstage.io/entity-ref': 'component:default/api',
        'gitops.backstage.io/pipeline': 'standard',
      },
    },
    spec: {
      project: 'shop',
      source: {
        repoURL: 'https://git.example.com/gitops.git',
        path: 'apps/api-staging',
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: NS },
    },
    status: {
      sync: { status: 'OutOfSync', revision: 'c'.repeat(40) },
      health: { status: 'Degraded' },
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: NS,
          name: 'api',
          status: 'OutOfSync',
          health: {
            status: 'Degraded',
            message: 'Deployment "api" exceeded its progress deadline',
          },
        },
        {
          version: 'v1',
          kind: 'Service',
          namespace: NS,
          name: 'api',
          status: 'Synced',
          health: { status: 'Healthy' },
        },
        {
          version: 'v1',
          kind: 'ConfigMap',
          namespace: NS,
          name: 'api-config',
          status: 'OutOfSync',
          health: { status: 'Missing' },
        },
      ],
      history: [
        { id: 1, revision: 'b'.repeat(40), deployedAt: '2026-11-20T10:00:00Z' },
      ],
      operationState: {
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully',
        startedAt: '2026-11-23T10:00:00Z',
        finishedAt: '2026-11-23T10:01:00Z',
        operation: {
          sync: { revision: 'c'.repeat(40) },
          initiatedBy: { username: 'alice' },
        },
        syncResult: {
          revision: 'c'.repeat(40),
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace: NS,
              name: 'api',
              status: 'Synced',
              message: 'deployment.apps/api configured',
              syncPhase: 'Sync',
              hookPhase: 'Running',
            },
            {
              group: 'batch',
              version: 'v1',
              kind: 'Job',
              namespace: NS,
              name: 'api-db-migrate',
              status: 'Synced',
              message: 'Job has reached the specified backoff limit',
              hookType: 'PreSync',
              hookPhase: 'Failed',
              syncPhase: 'PreSync',
            },
          ],
        },
      },
      conditions: [
        {
          type: 'SyncError',
          message: 'Failed sync attempt: one or more objects failed to apply',
          lastTransitionTime: '2026-11-23T10:01:00Z',
        },
      ],
    },
  };
}

export function resourceTree() {
  const dep = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: NS,
    name: 'api',
    uid: uid(1),
  };
  const rs = {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    namespace: NS,
    name: RS,
    uid: uid(2),
  };
  return {
    nodes: [
      {
        ...dep,
        health: {
          status: 'Degraded',
          message: 'Deployment "api" exceeded its progress deadline',
        },
        images: [],
      },
      { ...rs, parentRefs: [dep], health: { status: 'Degraded' } },
      {
        version: 'v1',
        kind: 'Pod',
        namespace: NS,
        name: POD,
        uid: uid(3),
        parentRefs: [rs],
        health: {
          status: 'Degraded',
          message: 'Back-off pulling image "images.example.org/api:v9.9.9"',
        },
        info: [
          { name: 'Status Reason', value: 'ImagePullBackOff' },
          { name: 'Containers', value: '0/2' },
        ],
        images: ['images.example.org/api:v9.9.9'],
      },
      {
        version: 'v1',
        kind: 'Service',
        namespace: NS,
        name: 'api',
        uid: uid(4),
        health: { status: 'Healthy' },
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: NS,
        name: 'api-old',
        uid: uid(5),
        parentRefs: [dep],
        health: { status: 'Healthy' },
      },
    ],
  };
}

export function managedResources() {
  const lastApplied = JSON.stringify(deployment('v1.0.0'));
  return {
    items: [
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: NS,
        name: 'api',
        liveState: JSON.stringify(
          deployment('v1.0.0', {
            'kubectl.kubernetes.io/last-applied-configuration': lastApplied,
          }),
        ),
        targetState: JSON.stringify(deployment('v9.9.9')),
      },
      {
        kind: 'Service',
        namespace: NS,
        name: 'api',
        liveState: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: NS },
        }),
        targetState: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: NS },
        }),
      },
      {
        kind: 'ConfigMap',
        namespace: NS,
        name: 'api-config',
        liveState: 'null',
        targetState: JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'api-config', namespace: NS },
          data: { a: '1' },
        }),
      },
    ],
  };
}

export function events() {
  return {
    metadata: {},
    items: [
      {
        metadata: { name: `${POD}.1`, namespace: NS },
        involvedObject: { kind: 'Pod', name: POD, namespace: NS, uid: uid(3) },
        reason: 'Failed',
        message:
          'Failed to pull image "images.example.org/api:v9.9.9": not found',
        type: 'Warning',
        count: 4,
        firstTimestamp: '2026-11-23T10:02:00Z',
        lastTimestamp: '2026-11-23T10:05:00Z',
        source: { component: 'kubelet', host: 'node-1' },
      },
      {
        metadata: { name: `${POD}.2`, namespace: NS },
        involvedObject: { kind: 'Pod', name: POD, namespace: NS, uid: uid(3) },
        reason: 'BackOff',
        message: 'Back-off pulling image "images.example.org/api:v9.9.9"',
        type: 'Normal',
        count: 9,
        firstTimestamp: '2026-11-23T10:02:00Z',
        lastTimestamp: '2026-11-23T10:06:00Z',
        source: { component: 'kubelet' },
      },
    ],
  };
}

export interface ArgoCalls {
  urls: URL[];
}

/** msw handlers of one Argo CD; `logs` decides the log answer. */
export function troubledArgo(
  base: string,
  opts: {
    logs?: (url: URL) => Response;
    eventsStatus?: number;
  } = {},
): { handlers: RequestHandler[]; calls: ArgoCalls } {
  const calls: ArgoCalls = { urls: [] };
  const record = (request: Request) => calls.urls.push(new URL(request.url));
  const deny = () =>
    HttpResponse.json(
      { error: 'permission denied', code: 7, message: 'permission denied' },
      { status: 403 },
    );
  return {
    calls,
    handlers: [
      http.get(`${base}/api/v1/applications/:name`, ({ request, params }) => {
        record(request);
        return params.name === APP ? HttpResponse.json(troubledApp()) : deny();
      }),
      http.get(
        `${base}/api/v1/applications/${APP}/resource-tree`,
        ({ request }) => {
          record(request);
          return HttpResponse.json(resourceTree());
        },
      ),
      http.get(
        `${base}/api/v1/applications/${APP}/managed-resources`,
        ({ request }) => {
          record(request);
          return HttpResponse.json(managedResources());
        },
      ),
      http.get(`${base}/api/v1/applications/${APP}/events`, ({ request }) => {
        record(request);
        if (opts.eventsStatus === 403) return deny();
        return HttpResponse.json(events());
      }),
      http.get(`${base}/api/v1/applications/${APP}/logs`, ({ request }) => {
        const url = new URL(request.url);
        record(request);
        return opts.logs ? opts.logs(url) : deny();
      }),
    ],
  };
}

/** A finite NDJSON log answer, ending with Argo CD's `last` entry. */
export function logLines(lines: string[], podName = POD): Response {
  const body = `${lines
    .map((content, i) =>
      JSON.stringify({
        result: {
          content,
          podName,
          timeStamp: `2026-11-23T10:0${i % 10}:00Z`,
        },
      }),
    )
    .join('\n')}\n${JSON.stringify({
    result: { content: '', podName, last: true },
  })}\n`;
  return new HttpResponse(body, {
    headers: { 'content-type': 'application/json' },
  });
}

/** A log answer that never ends (follow): one line every `everyMs`. */
export function endlessLogs(everyMs: number, content = 'tick'): Response {
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const enc = new TextEncoder();
      timer = setInterval(() => {
        try {
          controller.enqueue(
            enc.encode(
              `${JSON.stringify({ result: { content, podName: POD } })}\n`,
            ),
          );
        } catch {
          clearInterval(timer);
        }
      }, everyMs);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new HttpResponse(stream, {
    headers: { 'content-type': 'application/json' },
  });
}
