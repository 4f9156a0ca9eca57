import { EmptyState } from '@backstage/core-components';
import { strings } from '../../strings';

/** Explains the annotations when the entity is not configured. */
export function GitOpsNotConfigured() {
  return (
    <EmptyState
      missing="field"
      title={strings.notConfiguredTitle}
      description={strings.notConfiguredDescription}
      action={
        <pre style={{ margin: 0 }}>
          {`metadata:\n  annotations:\n    gitops/app: my-service\n    gitops/pipeline: standard`}
        </pre>
      }
    />
  );
}
