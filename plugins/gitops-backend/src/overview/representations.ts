import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** One serialized answer: the JSON, its gzip encoding, its entity tag. */
export interface Representation {
  json: string;
  gzip: Buffer;
  etag: string;
}

const DEFAULT_MAX = 2_000;

/**
 * Serialized overview answers by `OverviewService.describe`'s variant, so that
 * an answer whose parts did not change is neither serialized nor compressed
 * again (the compression middleware leaves a body that is already encoded
 * alone). Most recently used kept; at most `max` answers.
 *
 * @internal
 */
export class OverviewRepresentations {
  readonly #max: number;
  readonly #byVariant = new Map<string, Representation>();

  constructor(options: { max?: number } = {}) {
    this.#max = options.max ?? DEFAULT_MAX;
  }

  get size(): number {
    return this.#byVariant.size;
  }

  get(variant: string, build: () => unknown): Representation {
    const hit = this.#byVariant.get(variant);
    if (hit) {
      this.#byVariant.delete(variant);
      this.#byVariant.set(variant, hit);
      return hit;
    }
    const json = JSON.stringify(build());
    const rep: Representation = {
      json,
      gzip: zlib.gzipSync(json),
      etag: `W/"${Buffer.byteLength(json).toString(16)}-${crypto
        .createHash('sha1')
        .update(json)
        .digest('base64')
        .slice(0, 27)}"`,
    };
    this.#byVariant.set(variant, rep);
    if (this.#byVariant.size > this.#max) {
      this.#byVariant.delete(this.#byVariant.keys().next().value!);
    }
    return rep;
  }
}
