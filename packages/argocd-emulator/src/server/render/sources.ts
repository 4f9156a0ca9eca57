/**
 * Single- and multi-source applications. As Argo CD's
 * `ApplicationSpec.HasMultipleSources` (pkg/apis/application/v1alpha1/types.go):
 * a non-empty `spec.sources` wins over `spec.source`.
 */
import type { GitopsRepo } from '../../git/GitopsRepo';
import type { Application, ApplicationSource } from '../../logic/types';

export function isMultiSource(app: Application): boolean {
  return (app.spec.sources?.length ?? 0) > 0;
}

/** The app's sources in order (one for a single-source app). */
export function appSources(app: Application): ApplicationSource[] {
  if (isMultiSource(app)) return app.spec.sources!;
  return app.spec.source ? [app.spec.source] : [];
}

/** Resolves each source's targetRevision (memoised per revision within one pass). */
export async function resolveSources(
  repo: GitopsRepo,
  sources: ApplicationSource[],
  memo?: Map<string, Promise<string>>,
): Promise<string[]> {
  const out: string[] = [];
  for (const s of sources) {
    const rev = s.targetRevision ?? '';
    let pending = memo?.get(rev);
    if (!pending) {
      pending = repo.resolve(rev);
      memo?.set(rev, pending);
    }
    out.push(await pending);
  }
  return out;
}
