import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigProblems } from '../config/errors';
import { checkNamespace } from '../pipeline/names';
import {
  BindingConfig,
  BindingRule,
  DEFAULT_ENTITY_ANNOTATION,
  DEFAULT_PIPELINE_ANNOTATION,
} from './types';

function refs(
  c: Config,
  key: string,
  path: string,
  defaultKind: string,
  problems: ConfigProblems,
): string[] {
  return (c.getOptionalStringArray(key) ?? []).flatMap((r, i) => {
    try {
      return [stringifyEntityRef(parseEntityRef(r, { defaultKind }))];
    } catch {
      problems.add(`${path}.${key}[${i}]`, `'${r}' is not an entity ref`);
      return [];
    }
  });
}

/**
 * Reads `gitops.bindings` (see config.d.ts). Without it: the safe default,
 * the Argo CD Application must name the entity in its
 * `gitops.backstage.io/entity-ref` annotation.
 *
 * @internal
 */
export function readBindings(
  config: Config,
  pipelineNames: string[],
  defaultPipeline: string | undefined,
  problems: ConfigProblems,
): BindingConfig {
  const b = config.getOptionalConfig('gitops.bindings');
  const rules: BindingRule[] = [];
  (b?.getOptionalConfigArray('rules') ?? []).forEach((r, i) => {
    const path = `gitops.bindings.rules[${i}]`;
    problems.attempt(path, () => {
      const m = r.getOptionalConfig('match');
      const labels = m?.getOptionalConfig('labels');
      const match = {
        instances: m?.getOptionalStringArray('instances'),
        projects: m?.getOptionalStringArray('projects'),
        names: m?.getOptionalStringArray('names'),
        labels: labels
          ? Object.fromEntries(labels.keys().map(k => [k, labels.getString(k)]))
          : undefined,
      };
      if (!match.instances && !match.projects && !match.names && !labels) {
        problems.add(
          `${path}.match`,
          'name at least one of instances, projects, names or labels (a rule that matches every application is refused)',
        );
        return;
      }
      const entities = refs(r, 'entities', path, 'component', problems);
      const owners = refs(r, 'owners', path, 'group', problems);
      if (!entities.length && !owners.length) {
        problems.add(
          path,
          "name 'entities' or 'owners' that may steer the matched applications",
        );
        return;
      }
      const pipelines = r.getOptionalStringArray('pipelines');
      pipelines?.forEach((p, pi) => {
        if (!pipelineNames.includes(p)) {
          problems.add(
            `${path}.pipelines[${pi}]`,
            `pipeline '${p}' is not configured in gitops.pipelines`,
          );
        }
      });
      const helmNamespaces = r.getOptionalStringArray('helmNamespaces');
      helmNamespaces?.forEach((n, ni) => {
        const problem = checkNamespace(n);
        if (problem) {
          problems.add(`${path}.helmNamespaces[${ni}]`, problem);
        }
      });
      rules.push({ path, match, entities, owners, pipelines, helmNamespaces });
    });
  });
  return {
    applicationAnnotations:
      b?.getOptionalBoolean('applicationAnnotations') ?? true,
    entityAnnotation:
      b?.getOptionalString('entityAnnotation') ?? DEFAULT_ENTITY_ANNOTATION,
    pipelineAnnotation:
      b?.getOptionalString('pipelineAnnotation') ?? DEFAULT_PIPELINE_ANNOTATION,
    rules,
    defaultPipeline,
  };
}
