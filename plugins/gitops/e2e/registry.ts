/**
 * The browser tests' image registry: Debian's docker-registry started by
 * scripts/lib/registry.sh on a free port with its own storage, seeded with
 * the example images through the registry's API v2 (the emulator package's
 * seed: rc and release of one version share a digest; the unbuilt tags,
 * e.g. v1.3.0-rc.9, are missing).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pushImages, seedImages } from '@internal/argocd-emulator';

export interface E2eRegistry {
  url: string;
  tags: number;
  stop(): void;
}

export async function startRegistry(repoRoot: string): Promise<E2eRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-registry-'));
  let out: string;
  try {
    out = execFileSync(
      'bash',
      [
        '-c',
        'source "$0" && registry_start "$1" >&2 && echo "$GITOPS_REGISTRY_URL $GITOPS_REGISTRY_PID"',
        path.join(repoRoot, 'scripts/lib/registry.sh'),
        dir,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message?: string };
    throw new Error(
      `the image registry did not start (scripts/lib/registry.sh; \`yarn test:e2e\` installs docker-registry): ${String(
        err.stderr || err.message,
      ).trim()}`,
    );
  }
  const [url, pid] = out.split(' ');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      // gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    const tags = await pushImages({ url }, seedImages());
    return { url, tags, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
