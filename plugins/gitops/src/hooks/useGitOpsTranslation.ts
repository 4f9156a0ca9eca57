import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ChangeKind, ChangeState } from '@internal/plugin-gitops-common';
import { gitopsTranslationRef, type GitOpsT } from '../translation';

/** The plugin's translation function. */
export function useGitOpsTranslation(): GitOpsT {
  return useTranslationRef(gitopsTranslationRef).t;
}

/** "Promotion", "Sync", "Rollback". */
export function kindLabel(t: GitOpsT, kind: ChangeKind): string {
  return t(`kind.${kind}`);
}

/** "awaiting approval", "blocked by policy", … (the raw state when unknown). */
export function changeStateLabel(t: GitOpsT, state: ChangeState): string {
  const label = t(`state.${state}`);
  return label === `state.${state}` ? state : label;
}

/** "v1.1.0 → v1.2.0", with "(none)" for a missing side. */
export function versionChange(t: GitOpsT, from?: string, to?: string): string {
  return t('dialog.versionChange', {
    from: from ?? t('dialog.noneVersion'),
    to: to ?? t('dialog.noneVersion'),
  });
}
