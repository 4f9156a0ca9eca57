/**
 * The applications of one Argo CD instance as a mirror holds them, and how
 * list results and watch events change them. Pure (no I/O, no timers).
 *
 * - keyed by namespace and name (applications in any namespace);
 * - an event older than what is held (lower resourceVersion) is ignored, an
 *   equal one replaces (Argo CD sends versions >= the one resumed from);
 * - applications no binding maps are held as a skeleton (see retention.ts);
 * - `replaceAll` (full resync) makes the store equal to a list;
 *   `mergeList` (after a resume) only lets the list fill what the stream
 *   may have missed: newer objects replace, objects the list no longer has
 *   are removed unless the stream brought them after the list was taken.
 */
import { ArgoApplication } from '../argocd/types';
import { BindingConfig } from '../binding/types';
import { isBindable, skeletonOf } from './retention';
import { MirrorChange, MirrorEventType } from './types';

interface Entry {
  app: ArgoApplication;
  bound: boolean;
  rv?: number;
  bytes: number;
}

/** resourceVersion as Argo CD compares it (an integer), else undefined. */
export function parseResourceVersion(
  rv: string | undefined,
): number | undefined {
  if (!rv || !/^\d+$/.test(rv)) return undefined;
  const n = Number(rv);
  return Number.isSafeInteger(n) ? n : undefined;
}

function keyOf(app: ArgoApplication): string {
  return `${app.metadata.namespace ?? ''}/${app.metadata.name}`;
}

/** @public */
export class MirrorStore {
  readonly #instance: string;
  readonly #bindings: BindingConfig;
  readonly #entries = new Map<string, Entry>();
  readonly #byName = new Map<string, Set<string>>();
  #bytes = 0;
  #bound = 0;
  #rv?: number;

  constructor(instance: string, bindings: BindingConfig) {
    this.#instance = instance;
    this.#bindings = bindings;
  }

  get size(): number {
    return this.#entries.size;
  }

  get boundCount(): number {
    return this.#bound;
  }

  get approxBytes(): number {
    return this.#bytes;
  }

  /** Highest resourceVersion seen (list or event). */
  get resourceVersion(): string | undefined {
    return this.#rv === undefined ? undefined : String(this.#rv);
  }

  /**
   * The application named `name` (in `appNamespace` when given; without it
   * the only one of that name, else undefined so that the caller asks Argo CD).
   */
  get(name: string, appNamespace?: string): ArgoApplication | undefined {
    if (appNamespace) return this.#entries.get(`${appNamespace}/${name}`)?.app;
    const keys = this.#byName.get(name);
    if (!keys || keys.size !== 1) return undefined;
    return this.#entries.get([...keys][0])?.app;
  }

  /** Whether more than one application has this name (namespace needed to tell). */
  isAmbiguous(name: string): boolean {
    return (this.#byName.get(name)?.size ?? 0) > 1;
  }

  list(): ArgoApplication[] {
    return [...this.#entries.values()].map(e => e.app);
  }

  /** Applies one watch event; returns the change to announce (bound applications only). */
  applyEvent(
    type: MirrorEventType,
    app: ArgoApplication,
  ): MirrorChange | undefined {
    const key = keyOf(app);
    const rv = parseResourceVersion(app.metadata.resourceVersion);
    this.#seen(rv);
    const old = this.#entries.get(key);
    if (type === 'DELETED') {
      if (!old) return undefined;
      this.#remove(key);
      return old.bound ? this.#change('DELETED', old.app) : undefined;
    }
    if (old && old.rv !== undefined && rv !== undefined && rv < old.rv) {
      return undefined;
    }
    const entry = this.#put(key, app, rv);
    if (!entry.bound && !old?.bound) return undefined;
    return this.#change(old ? 'MODIFIED' : 'ADDED', entry.app);
  }

  /** Full resync: the store becomes the list. Returns the differences as changes. */
  replaceAll(items: ArgoApplication[], listRv?: string): MirrorChange[] {
    return this.#load(items, listRv, false);
  }

  /** After a resume: fills what the stream may have missed (see the file comment). */
  mergeList(items: ArgoApplication[], listRv?: string): MirrorChange[] {
    return this.#load(items, listRv, true);
  }

  #load(
    items: ArgoApplication[],
    listRvText: string | undefined,
    keepNewer: boolean,
  ): MirrorChange[] {
    const listRv = parseResourceVersion(listRvText);
    if (!keepNewer) this.#rv = undefined;
    this.#seen(listRv);
    const changes: MirrorChange[] = [];
    const inList = new Set<string>();
    for (const app of items) {
      const key = keyOf(app);
      inList.add(key);
      const rv = parseResourceVersion(app.metadata.resourceVersion);
      this.#seen(rv);
      const old = this.#entries.get(key);
      if (old && old.rv !== undefined && rv !== undefined) {
        if (keepNewer ? rv <= old.rv : rv === old.rv) continue;
      }
      const entry = this.#put(key, app, rv);
      if (entry.bound || old?.bound) {
        changes.push(this.#change(old ? 'MODIFIED' : 'ADDED', entry.app));
      }
    }
    for (const [key, e] of [...this.#entries]) {
      if (inList.has(key)) continue;
      const newerThanList =
        keepNewer &&
        e.rv !== undefined &&
        listRv !== undefined &&
        e.rv > listRv;
      if (newerThanList) continue;
      this.#remove(key);
      if (e.bound) changes.push(this.#change('DELETED', e.app));
    }
    return changes;
  }

  #seen(rv: number | undefined) {
    if (rv !== undefined && (this.#rv === undefined || rv > this.#rv)) {
      this.#rv = rv;
    }
  }

  #put(key: string, app: ArgoApplication, rv: number | undefined): Entry {
    const bound = isBindable(this.#bindings, this.#instance, app);
    const held = bound ? app : skeletonOf(this.#bindings, app);
    const entry: Entry = {
      app: held,
      bound,
      rv,
      bytes: JSON.stringify(held).length * 2,
    };
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.bytes;
      if (old.bound) this.#bound -= 1;
    }
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    if (bound) this.#bound += 1;
    const name = app.metadata.name;
    if (!this.#byName.has(name)) this.#byName.set(name, new Set());
    this.#byName.get(name)!.add(key);
    return entry;
  }

  #remove(key: string) {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#bytes -= old.bytes;
    if (old.bound) this.#bound -= 1;
    const names = this.#byName.get(old.app.metadata.name);
    names?.delete(key);
    if (names && names.size === 0) this.#byName.delete(old.app.metadata.name);
  }

  #change(type: MirrorEventType, app: ArgoApplication): MirrorChange {
    return {
      instance: this.#instance,
      appName: app.metadata.name,
      appNamespace: app.metadata.namespace,
      type,
      application: app,
    };
  }
}
