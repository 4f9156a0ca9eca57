import type { Entity } from '@backstage/catalog-model';
import { GITOPS_ANNOTATIONS } from '@internal/plugin-gitops-common';

/**
 * Whether the entity is configured for GitOps: it has `gitops/app`,
 * `argocd/app-name` or `argocd/app-selector`.
 *
 * @public
 */
export function isGitOpsAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[GITOPS_ANNOTATIONS.app]?.trim() ||
      a[GITOPS_ANNOTATIONS.argocdAppName]?.trim() ||
      a[GITOPS_ANNOTATIONS.argocdAppSelector]?.trim(),
  );
}
