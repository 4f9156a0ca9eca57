import { http, HttpResponse, delay } from 'msw';
import type { SetupServer } from 'msw/node';
import type {
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  EntityGitOpsOverview,
  EntityGitOpsState,
  EnvironmentVerification,
  ImageDigests,
} from '@internal/plugin-gitops-common';
import {
  BASE,
  ENTITY_REF,
  ENV_PATH,
  OVERVIEW_PATH,
  diff,
  history,
  makeDetail,
  makeState,
  preview,
} from './fixtures';

export interface Backend {
  state?: EntityGitOpsState | (() => EntityGitOpsState);
  changes?: ChangeRequest[];
  pending?: ChangeRequest[];
  preview?: ChangePreview | ((body: any) => ChangePreview);
  detail?: ChangeRequestDetail;
  /** Delay of the environments (and overview) response, in ms (for the loading state). */
  envDelay?: number;
  /** Verification by environment (default: not configured); a function is read per request. */
  verification?:
    | Record<string, EnvironmentVerification>
    | (() => Record<string, EnvironmentVerification>);
  /** Image digests by environment (default: the image repository is not known); a function is read per request. */
  digests?: Record<string, ImageDigests> | (() => Record<string, ImageDigests>);
  /** Parts the overview could not read (their data is then left out of it). */
  partErrors?: Record<string, string>;
  /** The state cannot be read: `…/environments` and `…/overview` answer this error. */
  stateError?:
    | { status: number; name: string; message: string }
    | (() => { status: number; name: string; message: string } | undefined);
}

export interface Recorded {
  posts: Array<{ path: string; body: any }>;
  /** `GET …/environments` answered. */
  envRequests: number;
  /** `GET …/overview` answered. */
  overviewRequests: number;
  /** Every GET this backend answered, as `/path` below the plugin's base URL. */
  gets: string[];
}

function unconfigured(
  s: EntityGitOpsState,
  env: string,
): EnvironmentVerification {
  const version = s.environments.find(e => e.name === env)?.version;
  return {
    entityRef: ENTITY_REF,
    environment: env,
    configured: false,
    ...(version ? { version } : {}),
    decisions: [],
    canSignOff: false,
  };
}

const NO_DIGESTS: ImageDigests = {
  digests: {},
  unavailable: 'the image repository is not known',
};

const recorders = new WeakMap<SetupServer, (e: { request: Request }) => void>();

/** Registers msw handlers that answer like the GitOps backend (the overview and the single routes); records POSTs and GETs. */
export function useBackend(server: SetupServer, b: Backend = {}): Recorded {
  const rec: Recorded = {
    posts: [],
    envRequests: 0,
    overviewRequests: 0,
    gets: [],
  };
  const state = () =>
    typeof b.state === 'function' ? b.state() : b.state ?? makeState();
  const stateError = () => {
    const e =
      typeof b.stateError === 'function' ? b.stateError() : b.stateError;
    return (
      e &&
      HttpResponse.json(
        {
          error: { name: e.name, message: e.message },
          request: { method: 'GET', url: '/' },
          response: { statusCode: e.status },
        },
        { status: e.status },
      )
    );
  };
  const failed = (part: string) => b.partErrors?.[part] !== undefined;
  const read = <T>(v: T | (() => T) | undefined) =>
    typeof v === 'function' ? (v as () => T)() : v;
  const verification = (s: EntityGitOpsState, env: string) =>
    read(b.verification)?.[env] ?? unconfigured(s, env);
  const digests = (env: string) => read(b.digests)?.[env] ?? NO_DIGESTS;
  const perEnvironment = <T>(
    s: EntityGitOpsState,
    part: string,
    readEnv: (env: string) => T,
  ): Record<string, T> =>
    Object.fromEntries(
      s.environments
        .filter(e => !failed(`${part}.${e.name}`))
        .map(e => [e.name, readEnv(e.name)]),
    );
  // one recorder per server: the last backend registered records (handlers are reset per test, listeners are not)
  const previous = recorders.get(server);
  if (previous) server.events.removeListener('request:start', previous);
  const record = ({ request }: { request: Request }) => {
    if (request.method === 'GET' && request.url.startsWith(BASE)) {
      rec.gets.push(request.url.slice(BASE.length));
    }
  };
  recorders.set(server, record);
  server.events.on('request:start', record);
  server.use(
    http.get(OVERVIEW_PATH, async () => {
      rec.overviewRequests++;
      if (b.envDelay) await delay(b.envDelay);
      const error = stateError();
      if (error) return error;
      const s = state();
      const overview: EntityGitOpsOverview = {
        state: s,
        changes: failed('changes') ? [] : b.changes ?? [],
        pendingForMe: failed('pendingForMe')
          ? []
          : (b.pending ?? []).map(c => c.id),
        verification: perEnvironment(s, 'verification', env =>
          verification(s, env),
        ),
        digests: perEnvironment(s, 'digests', digests),
        ...(b.partErrors ? { partErrors: b.partErrors } : {}),
      };
      return HttpResponse.json(overview);
    }),
    http.get(ENV_PATH, async () => {
      rec.envRequests++;
      if (b.envDelay) await delay(b.envDelay);
      return stateError() ?? HttpResponse.json(state());
    }),
    http.get(`${ENV_PATH}/:env/verification`, ({ params }) =>
      HttpResponse.json(verification(state(), String(params.env))),
    ),
    http.get(`${ENV_PATH}/:env/image-digests`, ({ params }) =>
      HttpResponse.json(digests(String(params.env))),
    ),
    http.get(`${ENV_PATH}/:env/history`, () => HttpResponse.json(history)),
    http.get(`${ENV_PATH}/:env/diff`, () => HttpResponse.json(diff)),
    http.get(`${BASE}/changes`, () =>
      HttpResponse.json({ items: b.changes ?? [] }),
    ),
    http.get(`${BASE}/approvals/pending`, () =>
      HttpResponse.json({ items: b.pending ?? [] }),
    ),
    http.get(`${BASE}/changes/:id`, ({ params }) =>
      HttpResponse.json(
        b.detail ??
          makeDetail({
            ...(b.changes ?? []).find(c => c.id === params.id),
            id: String(params.id),
          }),
      ),
    ),
    http.post(`${BASE}/changes`, async ({ request }) => {
      const body = (await request.json()) as any;
      if (body.preview) {
        const p =
          typeof b.preview === 'function'
            ? b.preview(body)
            : b.preview ?? preview;
        return HttpResponse.json(p);
      }
      rec.posts.push({ path: '/changes', body });
      return HttpResponse.json(
        makeDetail({
          id: 'chg-new',
          environment: body.environment,
          kind: body.kind,
          version: body.version,
          state: 'awaiting_approval',
        }),
        { status: 201 },
      );
    }),
    http.post(`${BASE}/changes/:id/:action`, async ({ params, request }) => {
      const body = (await request.json()) as any;
      rec.posts.push({ path: `/changes/${params.id}/${params.action}`, body });
      return HttpResponse.json(
        makeDetail({
          id: String(params.id),
          state: (
            {
              approve: 'approved',
              reject: 'rejected',
              cancel: 'cancelled',
            } as const
          )[params.action as 'approve' | 'reject' | 'cancel'],
        }),
      );
    }),
  );
  return rec;
}
