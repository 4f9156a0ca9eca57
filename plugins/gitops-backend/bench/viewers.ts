/**
 * Page views as each frontend makes them, and concurrent viewers that make
 * them for a fixed time.
 *
 * Ours (plugins/gitops, useEntityGitOps): the tab opens with one request,
 * `GET …/overview` (environments, the entity's change requests, the caller's
 * pending approvals, verification and image digests per environment); the
 * panels below it load nothing until they are opened.
 *
 * Community (@backstage-community/plugin-argocd, DeploymentLifecycle):
 * useApplications lists the entity's applications per instance by its
 * selector annotation (ArgoCDApiClient.listApps, path and `selector` query);
 * then getRevisionDetailsList fetches, in parallel, the metadata of every
 * unique revision in the apps' status.history (getUniqueRevisions), each from
 * the first app whose history holds it.
 */
import zlib from 'node:zlib';
import { request } from 'undici';
import { component, viewerHeaders } from './benchConfig';

export interface ViewOutcome {
  requests: number;
  failures: string[];
}

/**
 * One GET as a browser makes it as far as the server is concerned (the
 * viewer's token, `accept-encoding: gzip`), through undici's pooled
 * keep-alive client: the load generator shares the machine with the backends,
 * so it should cost as little as it can (global `fetch` cost about twice as
 * much CPU per request). The body is read always, decoded and parsed only
 * when the page needs it for its next requests (`parse`).
 */
async function get(
  url: string,
  failures: string[],
  headers: Record<string, string>,
  parse = false,
): Promise<any> {
  try {
    const res = await request(url, {
      headers: { ...headers, 'accept-encoding': 'gzip' },
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 400) {
      failures.push(`${res.statusCode} ${new URL(url).pathname}`);
      return undefined;
    }
    if (!parse || !body.length) return undefined;
    const text = (
      res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body
    ).toString('utf8');
    return JSON.parse(text);
  } catch (e) {
    failures.push(`${(e as Error).message} ${new URL(url).pathname}`);
    return undefined;
  }
}

/** One page view of `entity` by viewer `viewer` (a user of its own). */
export type PageView = (entity: number, viewer: number) => Promise<ViewOutcome>;

export function oursPage(base: string): PageView {
  return async (i, viewer) => {
    const failures: string[] = [];
    await get(
      `${base}/api/gitops/entities/component/default/${component(i)}/overview`,
      failures,
      viewerHeaders(viewer),
    );
    return { requests: 1, failures };
  };
}

/** The revisions the community page asks metadata for, each with the app it asks through. */
export function uniqueRevisions(apps: any[]): { app: string; rev: string }[] {
  const out: { app: string; rev: string }[] = [];
  const seen = new Set<string>();
  for (const a of apps)
    for (const h of a?.status?.history ?? [])
      if (h.revision && !seen.has(h.revision)) {
        seen.add(h.revision);
        out.push({ app: a.metadata.name, rev: h.revision });
      }
  return out;
}

export function communityPage(base: string): PageView {
  const api = `${base}/api/backstage-community-argocd/argoInstance/local`;
  return async (i, viewer) => {
    const failures: string[] = [];
    const headers = viewerHeaders(viewer);
    const selector = `app.kubernetes.io/part-of=${component(i)}`;
    const list = await get(
      `${api}/applications/selector/${encodeURIComponent(
        selector,
      )}?selector=${encodeURIComponent(selector)}`,
      failures,
      headers,
      true,
    );
    const revs = uniqueRevisions(list?.items ?? []);
    await Promise.all(
      revs.map(r =>
        get(
          `${api}/applications/name/${encodeURIComponent(
            r.app,
          )}/revisions/${encodeURIComponent(r.rev)}/metadata`,
          failures,
          headers,
        ),
      ),
    );
    return { requests: 1 + revs.length, failures };
  };
}

export interface LoadResult {
  pages: number;
  requests: number;
  seconds: number;
  latencies: number[];
  failures: string[];
}

/** `viewers` concurrent loops of page views for `seconds`; each picks its next entity with `pick(viewer)`. */
export async function runViewers(o: {
  viewers: number;
  seconds: number;
  view: PageView;
  pick: (viewer: number) => number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let requests = 0;
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.viewers }, async (_, v) => {
      while (performance.now() < end) {
        const s = performance.now();
        const r = await o.view(o.pick(v), v);
        latencies.push(performance.now() - s);
        requests += r.requests;
        failures.push(...r.failures);
      }
    }),
  );
  return {
    pages: latencies.length,
    requests,
    seconds: (performance.now() - t0) / 1000,
    latencies,
    failures,
  };
}
