/** The slice of the Kubernetes core API that Helm's Secrets storage driver uses. */
import crypto from 'node:crypto';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '../logic/labelSelector';
import { HelmRelease, releaseSecret } from '../helm/release';

/** A Kubernetes Status error. @public */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  toBody() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

type Secret = {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    [k: string]: unknown;
  };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
};

/** @public */
export class KubeSecrets {
  readonly #secrets = new Map<string, Secret>();
  #rv = 5000;
  readonly #now: () => Date;

  readonly #onChange?: () => void;

  constructor(now: () => Date, onChange?: () => void) {
    this.#now = now;
    this.#onChange = onChange;
  }

  exportState(): { rv: number; secrets: Secret[] } {
    return {
      rv: this.#rv,
      secrets: JSON.parse(JSON.stringify([...this.#secrets.values()])),
    };
  }

  importState(state: { rv: number; secrets: Secret[] }) {
    this.#rv = Math.max(this.#rv, state.rv);
    this.#secrets.clear();
    for (const s of state.secrets)
      this.#secrets.set(this.#key(s.metadata.namespace, s.metadata.name), s);
  }

  get size(): number {
    return this.#secrets.size;
  }

  #key(ns: string, name: string) {
    return `${ns}/${name}`;
  }

  #nextRv() {
    this.#rv += 1;
    return String(this.#rv);
  }

  addRelease(release: HelmRelease, createdAt: Date, modifiedAt?: Date) {
    const s = releaseSecret(release, {
      uid: crypto.randomUUID(),
      resourceVersion: this.#nextRv(),
      createdAt,
      modifiedAt,
    }) as Secret;
    this.#secrets.set(this.#key(release.namespace, s.metadata.name), s);
  }

  #selector(labelSelector: string | undefined) {
    try {
      return parseLabelSelector(labelSelector ?? '');
    } catch (e) {
      throw new KubeStatusError(
        400,
        'BadRequest',
        `unable to parse requirement: ${(e as Error).message}`,
      );
    }
  }

  list(namespace: string | undefined, labelSelector: string | undefined) {
    const reqs = this.#selector(labelSelector);
    const items = [...this.#secrets.values()]
      .filter(s => !namespace || s.metadata.namespace === namespace)
      .filter(s => matchesLabelSelector(reqs, s.metadata.labels))
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace}/${b.metadata.name}`,
        ),
      );
    return {
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.#rv) },
      items: JSON.parse(JSON.stringify(items)),
    };
  }

  get(namespace: string, name: string) {
    const s = this.#secrets.get(this.#key(namespace, name));
    if (!s) throw this.#notFound(name);
    return JSON.parse(JSON.stringify(s));
  }

  #notFound(name: string) {
    return new KubeStatusError(404, 'NotFound', `secrets "${name}" not found`, {
      name,
      kind: 'secrets',
    });
  }

  #validate(namespace: string, body: any, name?: string): Secret {
    if (!body || typeof body !== 'object')
      throw new KubeStatusError(
        400,
        'BadRequest',
        'the request body must be a Secret object',
      );
    if (body.kind !== undefined && body.kind !== 'Secret')
      throw new KubeStatusError(
        400,
        'BadRequest',
        `kind must be Secret, got ${body.kind}`,
      );
    const metaName = body.metadata?.name;
    if (!metaName)
      throw new KubeStatusError(
        422,
        'Invalid',
        'Secret "" is invalid: metadata.name: Required value: name or generateName is required',
      );
    if (name && metaName !== name) {
      throw new KubeStatusError(
        400,
        'BadRequest',
        `the name of the object (${metaName}) does not match the name on the URL (${name})`,
      );
    }
    if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
      throw new KubeStatusError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const data: Record<string, string> = { ...(body.data ?? {}) };
    for (const [k, v] of Object.entries(body.stringData ?? {}))
      data[k] = Buffer.from(String(v)).toString('base64');
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        throw new KubeStatusError(
          400,
          'BadRequest',
          `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at data.${k}`,
        );
      }
    }
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { ...body.metadata, namespace },
      data,
      type: body.type ?? 'Opaque',
    };
  }

  create(namespace: string, body: any) {
    const s = this.#validate(namespace, body);
    const key = this.#key(namespace, s.metadata.name);
    if (this.#secrets.has(key)) {
      throw new KubeStatusError(
        409,
        'AlreadyExists',
        `secrets "${s.metadata.name}" already exists`,
        { name: s.metadata.name, kind: 'secrets' },
      );
    }
    s.metadata.uid = crypto.randomUUID();
    s.metadata.resourceVersion = this.#nextRv();
    s.metadata.creationTimestamp = this.#now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    this.#secrets.set(key, s);
    this.#onChange?.();
    return JSON.parse(JSON.stringify(s));
  }

  replace(namespace: string, name: string, body: any) {
    const key = this.#key(namespace, name);
    const prev = this.#secrets.get(key);
    if (!prev) throw this.#notFound(name);
    const s = this.#validate(namespace, body, name);
    if (
      body.metadata?.resourceVersion &&
      body.metadata.resourceVersion !== prev.metadata.resourceVersion
    ) {
      throw new KubeStatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on secrets "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    s.metadata.uid = prev.metadata.uid;
    s.metadata.creationTimestamp = prev.metadata.creationTimestamp;
    s.metadata.resourceVersion = this.#nextRv();
    this.#secrets.set(key, s);
    this.#onChange?.();
    return JSON.parse(JSON.stringify(s));
  }

  delete(namespace: string, name: string) {
    const key = this.#key(namespace, name);
    const prev = this.#secrets.get(key);
    if (!prev) throw this.#notFound(name);
    this.#secrets.delete(key);
    this.#onChange?.();
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, kind: 'secrets', uid: prev.metadata.uid },
    };
  }
}
