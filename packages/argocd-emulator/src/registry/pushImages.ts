/**
 * Pushes images through a registry's HTTP API v2 (the OCI distribution
 * API): each blob (`HEAD` to skip existing ones, then a monolithic upload:
 * `POST /v2/<name>/blobs/uploads/` → `PUT <location>?digest=`), then the
 * manifest under every tag (`PUT /v2/<name>/manifests/<tag>`).
 */
import type { SeedBlob, SeedImage } from './seedImages';

/** Options of {@link pushImage}. @public */
export interface PushOptions {
  /** Base URL of the registry, e.g. `http://127.0.0.1:5000`. */
  url: string;
  /** `Authorization` header value, e.g. `Basic …` or `Bearer …`. */
  authorization?: string;
  fetch?: typeof fetch;
}

function fail(what: string, res: Response): never {
  throw new Error(`${what} answered ${res.status} ${res.statusText}`);
}

async function pushBlob(
  o: PushOptions,
  repository: string,
  b: SeedBlob,
  headers: Record<string, string>,
) {
  const f = o.fetch ?? fetch;
  const base = o.url.replace(/\/+$/, '');
  const head = await f(`${base}/v2/${repository}/blobs/${b.digest}`, {
    method: 'HEAD',
    headers,
  });
  if (head.ok) return;
  const start = await f(`${base}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers,
  });
  if (start.status !== 202) fail(`starting an upload to ${repository}`, start);
  const location = start.headers.get('location');
  if (!location) throw new Error('the registry gave no upload location');
  const target = new URL(location, `${base}/`);
  target.searchParams.set('digest', b.digest);
  const put = await f(target.toString(), {
    method: 'PUT',
    headers: {
      ...headers,
      'content-type': 'application/octet-stream',
      'content-length': String(b.bytes.length),
    },
    body: new Uint8Array(b.bytes),
  });
  if (put.status !== 201) fail(`uploading ${b.digest} to ${repository}`, put);
}

/** Pushes one image (its blobs once, the manifest under each tag). @public */
export async function pushImage(o: PushOptions, image: SeedImage) {
  const f = o.fetch ?? fetch;
  const base = o.url.replace(/\/+$/, '');
  const headers: Record<string, string> = o.authorization
    ? { authorization: o.authorization }
    : {};
  await pushBlob(o, image.repository, image.config, headers);
  await pushBlob(o, image.repository, image.layer, headers);
  for (const tag of image.tags) {
    const res = await f(`${base}/v2/${image.repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': image.manifestMediaType },
      body: new Uint8Array(image.manifest.bytes),
    });
    if (res.status !== 201) fail(`putting ${image.repository}:${tag}`, res);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== image.manifest.digest) {
      throw new Error(
        `${image.repository}:${tag}: the registry stored digest ${digest}, expected ${image.manifest.digest}`,
      );
    }
  }
}

/** Pushes every image; returns how many tags were pushed. @public */
export async function pushImages(
  o: PushOptions,
  images: SeedImage[],
): Promise<number> {
  let tags = 0;
  for (const image of images) {
    await pushImage(o, image);
    tags += image.tags.length;
  }
  return tags;
}
