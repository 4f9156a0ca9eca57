/**
 * Troubleshooting reads below an application, as Argo CD v3.5.1 answers them:
 * - `GET …/resource-tree`: the tree of the live view with pod status
 *   (`ImagePullBackOff` for a tag never built, see `isUnbuiltTag` in the seed);
 *   it wraps the controller's tree, so it is mounted before the applications router;
 * - `GET …/events?resourceName=&resourceNamespace=&resourceUID=` (`eventsEventList`);
 * - `GET …/logs?podName=&container=&tailLines=&sinceSeconds=&follow=&filter=` and
 *   `GET …/pods/{podName}/logs`: newline-delimited `{"result": applicationLogEntry}`,
 *   a last entry with `last: true` unless following; errors of the pod (a
 *   container waiting for its image) as `{"error": runtimeStreamError}`.
 */
import type { Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  argoErrors,
  GrpcCode,
  httpStatusForGrpcCode,
} from '../../logic/errors';
import { isUnbuiltTag } from '../../seeding/unbuiltTags';
import { iso } from '../state/types';
import type { RouterDeps } from './deps';
import { q, scope } from './params';
import { listEvents } from '../troubleshooting/events';
import {
  LOG_INTERVAL_S,
  linesBetween,
  lineCount,
  readLogs,
  waitingError,
} from '../troubleshooting/logs';
import { EmulatedPod, podsOf, withPodStatus } from '../troubleshooting/pods';

/** How often a follow looks for new lines (real time). */
const FOLLOW_POLL_MS = 1000;

function int64(req: Request, name: string): number | undefined {
  const v = q(req, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw argoErrors.invalidArgument(
      `invalid value "${v}" for ${name}: strconv.ParseInt: parsing "${v}": invalid syntax`,
    );
  return Number(v);
}

export function troubleshootingRouter(d: RouterDeps) {
  const r = Router();
  const c = d.controller;

  /** The app's tree (with pod status) and pods, after Argo CD's access rules. */
  function inspect(name: string, s: ReturnType<typeof scope>) {
    const st = c.store.lookup(name, s);
    const raw = c.queries.resourceTree(name, s) as { nodes: any[] };
    const pods = podsOf(raw, [...st.live.values()], st.liveMeta, isUnbuiltTag);
    return { st, tree: withPodStatus(raw, pods), pods };
  }

  r.get('/api/v1/applications/:name/resource-tree', (req, res) => {
    res.json(inspect(req.params.name, scope(req)).tree);
  });

  r.get('/api/v1/applications/:name/events', (req, res) => {
    const { st, tree, pods } = inspect(req.params.name, scope(req));
    res.json(
      listEvents(
        {
          app: {
            name: st.app.metadata.name,
            namespace: st.app.metadata.namespace ?? c.namespace,
            uid: String(st.app.metadata.uid ?? ''),
          },
          history: st.history,
          operationState: st.operationState,
          pods,
          nodes: tree.nodes,
          now: iso(new Date(d.controllerNow())),
        },
        {
          resourceName: q(req, 'resourceName'),
          resourceNamespace: q(req, 'resourceNamespace'),
          resourceUID: q(req, 'resourceUID'),
        },
      ),
    );
  });

  const logs = (req: Request, res: Response) => {
    const { pods } = inspect(req.params.name, scope(req));
    const podName = req.params.podName ?? q(req, 'podName');
    const namespace = q(req, 'namespace');
    const tailLines = int64(req, 'tailLines');
    const sinceSeconds = int64(req, 'sinceSeconds');
    const follow = q(req, 'follow') === 'true';
    const filter = q(req, 'filter') ?? '';
    const matchCase = q(req, 'matchCase') === 'true';
    if (!podName)
      throw argoErrors.invalidArgument('podName or resourceName is required');
    const pod: EmulatedPod | undefined = pods.find(
      p => p.name === podName && (!namespace || p.namespace === namespace),
    );
    if (!pod) throw argoErrors.permissionDenied(); // not a pod of this app
    const wanted = q(req, 'container');
    const main = pod.containers.filter(x => !x.init);
    let container = main.length === 1 ? main[0] : undefined;
    if (wanted) container = pod.containers.find(x => x.name === wanted);

    res.status(200).setHeader('content-type', 'application/json');
    res.flushHeaders();
    const send = (v: unknown) => res.write(`${JSON.stringify(v)}\n`);
    const streamError = (message: string, code = GrpcCode.InvalidArgument) => {
      const http = httpStatusForGrpcCode(code);
      send({
        error: {
          grpc_code: code,
          http_code: http,
          message,
          http_status: String(http),
          details: [],
        },
      });
      res.end();
    };
    if (!container) {
      streamError(
        wanted
          ? `container ${wanted} is not valid for pod ${pod.name}`
          : `a container name must be specified for pod ${
              pod.name
            }, choose one of: [${main.map(x => x.name).join(' ')}]`,
      );
      return;
    }
    if (
      container.state === 'ImagePullBackOff' ||
      container.state === 'ContainerCreating'
    ) {
      streamError(waitingError(pod, container));
      return;
    }
    const keep = (content: string) => {
      if (!filter) return true;
      const negate = filter.startsWith('!');
      const f = negate ? filter.slice(1) : filter;
      const hit = matchCase
        ? content.includes(f)
        : content.toLowerCase().includes(f.toLowerCase());
      return negate ? !hit : hit;
    };
    const nowMs = () => Date.parse(d.controllerNow());
    const emit = (lines: ReturnType<typeof linesBetween>) => {
      for (const l of lines)
        if (keep(l.content))
          send({
            result: {
              content: l.content,
              timeStamp: l.timeStamp,
              timeStampStr: l.timeStamp,
              podName: l.podName,
            },
          });
    };
    const first = readLogs(pod, container, nowMs(), {
      tailLines,
      sinceSeconds,
    });
    emit(first.lines);
    if (!follow) {
      send({ result: { content: '', podName: pod.name, last: true } });
      res.end();
      return;
    }
    let next = first.next;
    const timer = setInterval(() => {
      const count = lineCount(pod, container, nowMs());
      if (count > next) emit(linesBetween(pod, container, next, count));
      next = Math.max(next, count);
    }, Math.min(FOLLOW_POLL_MS, LOG_INTERVAL_S * 1000));
    timer.unref?.();
    req.on('close', () => clearInterval(timer));
  };

  r.get('/api/v1/applications/:name/logs', logs);
  r.get('/api/v1/applications/:name/pods/:podName/logs', logs);
  return r;
}
