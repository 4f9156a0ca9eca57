/**
 * The mirror of one Argo CD instance's applications: a list, then the watch
 * stream; on a lost stream, backoff and resume (with a list to fill the gap,
 * since Argo CD replays nothing), or a full resync when it cannot resume.
 * The decisions are in reconnect.ts and MirrorStore.ts (pure); this is the loop.
 */
import { ArgoAppProject } from '../argocd/projectCalls';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApplicationStream,
  ApplicationStreamOpener,
  ApplicationWatchQuery,
} from '../argocd/ApplicationStream';
import { argoCdErrorInfo } from '../argocd/errors';
import { ArgoApplication } from '../argocd/types';
import { BindingConfig } from '../binding/types';
import { MirrorStore } from './MirrorStore';
import { StreamEnd, listContradicts, nextStep } from './reconnect';
import { LIST_FIELDS, WATCH_FIELDS } from './retention';
import {
  DEFAULT_MIRROR_CONFIG,
  MirrorChange,
  MirrorConfig,
  MirrorStatus,
} from './types';

/** What a mirror needs from Argo CD. @public */
export interface MirrorUpstream {
  /** `GET /api/v1/applications` with its `metadata.resourceVersion`. */
  listApplications(
    instance: string,
    query: ApplicationWatchQuery,
  ): Promise<{ resourceVersion?: string; items: ArgoApplication[] }>;
  openApplicationStream: ApplicationStreamOpener;
  /** `GET /api/v1/projects` (AppProjects, for sync windows); without it no projects are held. */
  listProjects?: (instance: string) => Promise<ArgoAppProject[]>;
}

/** A stream open this long counts as healthy even without events (idle proxies close streams). */
const HEALTHY_STREAM_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** @public */
export class ApplicationMirror {
  readonly instance: string;
  readonly #upstream: MirrorUpstream;
  readonly #store: MirrorStore;
  readonly #stream: ApplicationStream;
  readonly #cfg: MirrorConfig;
  readonly #logger?: LoggerService;
  readonly #emit: (change: MirrorChange) => void;
  readonly #random: () => number;
  #abort?: AbortController;
  #running?: Promise<void>;
  #live = false;
  #wasLive = false;
  #reconnects = 0;
  #resyncs = 0;
  #relists = 0;
  #lastEventAt?: string;
  #lastError?: string;

  constructor(options: {
    instance: string;
    upstream: MirrorUpstream;
    bindings: BindingConfig;
    config: MirrorConfig;
    logger?: LoggerService;
    onChange?: (change: MirrorChange) => void;
    random?: () => number;
  }) {
    this.instance = options.instance;
    this.#upstream = options.upstream;
    this.#store = new MirrorStore(options.instance, options.bindings);
    this.#cfg = options.config;
    this.#logger = options.logger;
    this.#emit = options.onChange ?? (() => undefined);
    this.#random = options.random ?? Math.random;
    this.#stream = new ApplicationStream({
      instance: options.instance,
      open: options.upstream.openApplicationStream,
      logger: options.logger,
    });
  }

  /** Listed and watching: what it holds is as fresh as the event latency. */
  get live(): boolean {
    return this.#live;
  }

  get(name: string, appNamespace?: string): ArgoApplication | undefined {
    return this.#store.get(name, appNamespace);
  }

  /** Whether `get` cannot tell applications of this name apart without a namespace. */
  isAmbiguous(name: string): boolean {
    return this.#store.isAmbiguous(name);
  }

  list(): ArgoApplication[] {
    return this.#store.list();
  }

  status(): MirrorStatus {
    return {
      instance: this.instance,
      live: this.#live,
      resourceVersion: this.#store.resourceVersion,
      apps: this.#store.size,
      boundApps: this.#store.boundCount,
      approxBytes: this.#store.approxBytes,
      reconnects: this.#reconnects,
      resyncs: this.#resyncs,
      relists: this.#relists,
      malformedLines: this.#stream.malformedLines,
      lastEventAt: this.#lastEventAt,
      lastError: this.#lastError,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#abort = new AbortController();
    this.#running = this.#run(this.#abort.signal).catch(e => {
      this.#logger?.error(
        `Application mirror of Argo CD instance '${this.instance}' stopped: ${
          (e as Error).message
        }`,
      );
    });
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#running;
    this.#running = undefined;
    this.#live = false;
  }

  #announce(changes: MirrorChange[]) {
    for (const c of changes) {
      try {
        this.#emit(c);
      } catch (e) {
        this.#logger?.warn(
          `A mirror listener failed on ${c.instance}/${c.appName}: ${
            (e as Error).message
          }`,
        );
      }
    }
  }

  async #list() {
    return this.#upstream.listApplications(this.instance, {
      fields: LIST_FIELDS,
    });
  }

  /** A list merged by resourceVersion (a full replace when the versions were reset). */
  async #fillGap(): Promise<void> {
    const list = await this.#list();
    const reset = listContradicts(
      this.#store.resourceVersion,
      list.resourceVersion,
    );
    this.#announce(
      reset
        ? this.#store.replaceAll(list.items, list.resourceVersion)
        : this.#store.mergeList(list.items, list.resourceVersion),
    );
    if (reset) this.#resyncs += 1;
  }

  #relisting = false;

  /** The periodic list while the stream is open; a failure leaves the stream as it is. */
  #relist(): void {
    if (this.#relisting) return;
    this.#relisting = true;
    this.#fillGap()
      .then(() => {
        this.#relists += 1;
      })
      .catch(e =>
        this.#logger?.warn(
          `Periodic list of Argo CD instance '${this.instance}' failed: ${
            (e as Error).message
          }`,
        ),
      )
      .finally(() => {
        this.#relisting = false;
      });
  }

  async #run(signal: AbortSignal): Promise<void> {
    let step: 'resync' | 'resume' = 'resync';
    let first = true;
    let failures = 0;
    while (!signal.aborted) {
      let end: StreamEnd = { kind: 'closed' };
      try {
        if (step === 'resync') {
          const list = await this.#list();
          this.#announce(
            this.#store.replaceAll(list.items, list.resourceVersion),
          );
          if (!first) this.#resyncs += 1;
          first = false;
        }
        const events = await this.#stream.open(
          {
            resourceVersion: this.#store.resourceVersion,
            fields: WATCH_FIELDS,
          },
          signal,
        );
        if (step === 'resume') {
          // Argo CD does not replay what changed while we were away.
          try {
            await this.#fillGap();
          } catch (e) {
            await events.return(undefined); // closes the stream just opened
            throw e;
          }
          this.#reconnects += 1;
        }
        if (!this.#live && !this.#wasLive) {
          this.#logger?.info(
            `Application mirror of Argo CD instance '${
              this.instance
            }' is live: ${this.#store.size} applications (${
              this.#store.boundCount
            } bound), resourceVersion ${this.#store.resourceVersion ?? 'none'}`,
          );
        }
        this.#wasLive = true;
        this.#live = true;
        this.#lastError = undefined;
        const openedAt = Date.now();
        // A stream can go silent without closing (a proxy, a half-open
        // connection; Argo CD sends no heartbeat): a periodic list catches up.
        const every =
          this.#cfg.relistIntervalMs ?? DEFAULT_MIRROR_CONFIG.relistIntervalMs!;
        const relist =
          every > 0 ? setInterval(() => this.#relist(), every) : undefined;
        relist?.unref?.();
        try {
          for await (const line of events) {
            failures = 0;
            if (line.kind === 'error') {
              end = {
                kind: 'error-line',
                message: line.message,
                httpCode: line.httpCode,
              };
              break;
            }
            const change = this.#store.applyEvent(line.type, line.application);
            this.#lastEventAt = new Date().toISOString();
            if (change) this.#announce([change]);
          }
        } finally {
          if (relist) clearInterval(relist);
        }
        if (Date.now() - openedAt > HEALTHY_STREAM_MS) failures = 0;
        if (signal.aborted) end = { kind: 'aborted' };
      } catch (e) {
        end = signal.aborted
          ? { kind: 'aborted' }
          : {
              kind: 'failed',
              status: argoCdErrorInfo(e)?.status,
              message: (e as Error).message,
            };
      }
      this.#live = false;
      failures += 1;
      const next = nextStep({
        end,
        resourceVersion: this.#store.resourceVersion,
        failures,
        cfg: this.#cfg,
        random: this.#random,
      });
      if (next.kind === 'stop') break;
      this.#lastError = describeEnd(end);
      this.#logger?.info(
        `Application stream of Argo CD instance '${this.instance}' ended (${
          this.#lastError
        }); ${
          next.kind === 'resume'
            ? `resuming from resourceVersion ${next.resourceVersion}`
            : `full resync (${next.reason})`
        } in ${next.delayMs} ms; reads go to Argo CD meanwhile`,
      );
      await sleep(next.delayMs, signal);
      step = next.kind;
    }
    this.#live = false;
  }
}

/** Why a watch ended, in our words (an error line's text is the upstream's: not repeated). */
function describeEnd(end: StreamEnd): string {
  if (end.kind === 'failed') return end.message;
  if (end.kind === 'error-line') {
    return `Argo CD ended the stream with an error${
      end.httpCode ? ` (HTTP ${end.httpCode})` : ''
    }`;
  }
  return 'the stream was closed';
}
