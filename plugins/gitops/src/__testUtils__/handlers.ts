import { http, HttpResponse, delay } from 'msw';
import type { SetupServer } from 'msw/node';
import type {
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  EntityGitOpsState,
} from '@internal/plugin-gitops-common';
import {
  BASE,
  ENV_PATH,
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
  /** Delay of the environments response, in ms (for the loading state). */
  envDelay?: number;
}

export interface Recorded {
  posts: Array<{ path: string; body: any }>;
  envRequests: number;
}

/** Registers msw handlers that answer like the GitOps backend; records POSTs. */
export function useBackend(server: SetupServer, b: Backend = {}): Recorded {
  const rec: Recorded = { posts: [], envRequests: 0 };
  server.use(
    http.get(ENV_PATH, async () => {
      rec.envRequests++;
      if (b.envDelay) await delay(b.envDelay);
      const s =
        typeof b.state === 'function' ? b.state() : b.state ?? makeState();
      return HttpResponse.json(s);
    }),
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
