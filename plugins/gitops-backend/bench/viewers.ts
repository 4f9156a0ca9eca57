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
 * What a viewer's browser keeps of the answers it got: their entity tags, and
 * of an answer the page reads, what it needs of it. Chromium revalidates a
 * stored answer with `If-None-Match` when the page asks for it again (seen in
 * the browser test's backend log: 304 on a second view of the tab); express,
 * under both backends, tags every JSON answer.
 */
export type BrowserCache = Map<string, { etag: string; value: unknown }>;

/** Answers counted by status (304: from the browser cache), reset per measured window. */
export const answerCounts = { ok: 0, notModified: 0 };

/** One browser cache per viewer, when `--revalidate` is on (the default). */
export function browserCaches(viewers: number, on: boolean) {
  const caches = Array.from(
    { length: viewers },
    () => new Map() as BrowserCache,
  );
  return (viewer: number): BrowserCache | undefined =>
    on ? caches[viewer % viewers] : undefined;
}

/**
 * One GET as a browser makes it as far as the server is concerned (the
 * viewer's token, `accept-encoding: gzip`, `If-None-Match` for what its cache
 * holds), through undici's pooled keep-alive client: the load generator
 * shares the machine with the backends, so it should cost as little as it can
 * (global `fetch` cost about twice as much CPU per request). The body is
 * decoded and parsed only when the page needs it (`read`); what `read`
 * returns is what a 304 answers from the cache.
 */
async function get<T>(
  url: string,
  failures: string[],
  headers: Record<string, string>,
  cache?: BrowserCache,
  read?: (body: any) => T,
): Promise<T | undefined> {
  try {
    const kept = cache?.get(url);
    const res = await request(url, {
      headers: {
        ...headers,
        'accept-encoding': 'gzip',
        ...(kept ? { 'if-none-match': kept.etag } : {}),
      },
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode === 304 && kept) {
      answerCounts.notModified += 1;
      return kept.value as T;
    }
    if (res.statusCode >= 400) {
      failures.push(`${res.statusCode} ${new URL(url).pathname}`);
      return undefined;
    }
    answerCounts.ok += 1;
    let value: T | undefined;
    if (read && body.length) {
      const text = (
        res.headers['content-encoding'] === 'gzip'
          ? zlib.gunzipSync(body)
          : body
      ).toString('utf8');
      value = read(JSON.parse(text));
    }
    const etag = res.headers.etag;
    if (cache && typeof etag === 'string') cache.set(url, { etag, value });
    return value;
  } catch (e) {
    failures.push(`${(e as Error).message} ${new URL(url).pathname}`);
    return undefined;
  }
}

/** One page view of `entity` by viewer `viewer` (a user of its own). */
export type PageView = (entity: number, viewer: number) => Promise<ViewOutcome>;

export function oursPage(
  base: string,
  cacheOf: (viewer: number) => BrowserCache | undefined = () => undefined,
): PageView {
  return async (i, viewer) => {
    const failures: string[] = [];
    await get(
      `${base}/api/gitops/entities/component/default/${component(i)}/overview`,
      failures,
      viewerHeaders(viewer),
      cacheOf(viewer),
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

export function communityPage(
  base: string,
  cacheOf: (viewer: number) => BrowserCache | undefined = () => undefined,
): PageView {
  const api = `${base}/api/backstage-community-argocd/argoInstance/local`;
  return async (i, viewer) => {
    const failures: string[] = [];
    const headers = viewerHeaders(viewer);
    const cache = cacheOf(viewer);
    const selector = `app.kubernetes.io/part-of=${component(i)}`;
    const revs =
      (await get(
        `${api}/applications/selector/${encodeURIComponent(
          selector,
        )}?selector=${encodeURIComponent(selector)}`,
        failures,
        headers,
        cache,
        (list: any) => uniqueRevisions(list?.items ?? []),
      )) ?? [];
    await Promise.all(
      revs.map(r =>
        get(
          `${api}/applications/name/${encodeURIComponent(
            r.app,
          )}/revisions/${encodeURIComponent(r.rev)}/metadata`,
          failures,
          headers,
          cache,
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
