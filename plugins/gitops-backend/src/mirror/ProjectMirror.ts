import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoAppProject } from '../argocd/projectCalls';

/** Lists an instance's AppProjects (`GET /api/v1/projects`). @public */
export type ProjectLister = (instance: string) => Promise<ArgoAppProject[]>;

/** Failed refreshes in a row after which the held list is no longer served. */
const STALE_AFTER_REFRESHES = 3;

/** What a project mirror knows about itself. @public */
export interface ProjectMirrorStatus {
  /** Projects held (0 before the first list). */
  count: number;
  /** When the held list was read (ISO); absent before the first list. */
  listedAt?: string;
  /** Why the last list failed (our message, never an upstream body). */
  lastError?: string;
}

/**
 * The AppProjects of one Argo CD instance, listed at start and re-listed
 * every `refreshMs` (projects are configuration: they change rarely, and
 * Argo CD's watch stream does not carry them). A list that fails keeps the
 * last one for a few refreshes, then nothing is served (readers ask Argo CD).
 */
export class ProjectMirror {
  readonly instance: string;
  readonly #list: ProjectLister;
  readonly #refreshMs: number;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  #projects?: Map<string, ArgoAppProject>;
  #listedAt?: number;
  #lastError?: string;
  #timer?: ReturnType<typeof setInterval>;
  #inFlight?: Promise<void>;

  constructor(options: {
    instance: string;
    list: ProjectLister;
    refreshMs: number;
    logger?: LoggerService;
    now?: () => number;
  }) {
    this.instance = options.instance;
    this.#list = options.list;
    this.#refreshMs = options.refreshMs;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    if (this.#timer) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#refreshMs);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  /** Lists the projects now (one list at a time). */
  refresh(): Promise<void> {
    this.#inFlight ??= (async () => {
      try {
        const items = await this.#list(this.instance);
        this.#projects = new Map(items.map(p => [p.metadata.name, p]));
        this.#listedAt = this.#now();
        this.#lastError = undefined;
      } catch (e) {
        this.#lastError = (e as Error).message;
        this.#logger?.warn(
          `AppProjects of Argo CD instance '${
            this.instance
          }' could not be listed: ${this.#lastError}`,
        );
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }

  /**
   * The project from the held list; `undefined` when no recent list is held
   * (ask Argo CD), `null` when the list has no such project (e.g. not
   * visible to our account).
   */
  get(name: string): ArgoAppProject | null | undefined {
    if (!this.#projects || this.#listedAt === undefined) return undefined;
    if (
      this.#now() - this.#listedAt >
      STALE_AFTER_REFRESHES * this.#refreshMs
    ) {
      return undefined;
    }
    return this.#projects.get(name) ?? null;
  }

  status(): ProjectMirrorStatus {
    return {
      count: this.#projects?.size ?? 0,
      ...(this.#listedAt !== undefined
        ? { listedAt: new Date(this.#listedAt).toISOString() }
        : {}),
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
    };
  }
}
