import { ResourceDiff } from '@internal/plugin-gitops-common';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { ArgoResourceDiff } from '../argocd/types';

const REDACTED = '<redacted>';
const REDACTED_CHANGED = '<redacted: changed>';

function parseState(s: string | undefined): Record<string, any> | undefined {
  if (!s || s === 'null') return undefined;
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Removes noise and anything that may echo secret values. */
function clean(
  obj: Record<string, any> | undefined,
): Record<string, any> | undefined {
  if (!obj) return undefined;
  const copy = structuredClone(obj);
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    const ann = copy.metadata.annotations;
    if (ann) {
      // May contain a full copy of the object, Secret data included.
      delete ann['kubectl.kubernetes.io/last-applied-configuration'];
      if (Object.keys(ann).length === 0) delete copy.metadata.annotations;
    }
  }
  return copy;
}

function redactSecret(
  live: Record<string, any> | undefined,
  target: Record<string, any> | undefined,
): [Record<string, any> | undefined, Record<string, any> | undefined] {
  for (const field of ['data', 'stringData']) {
    const l = live?.[field] as Record<string, unknown> | undefined;
    const t = target?.[field] as Record<string, unknown> | undefined;
    const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(t ?? {})]);
    for (const k of keys) {
      const changed = l?.[k] !== t?.[k];
      if (l && k in l) l[k] = REDACTED;
      if (t && k in t)
        t[k] = changed && l && k in l ? REDACTED_CHANGED : REDACTED;
    }
  }
  return [live, target];
}

/**
 * Turns one Argo CD managed resource into a readable unified YAML diff of
 * live (normalised) vs target (predicted live). Secret values are replaced by
 * a marker that only says whether they change. Pure.
 *
 * @public
 */
export function toResourceDiff(r: ArgoResourceDiff): ResourceDiff {
  let live = clean(
    parseState(r.normalizedLiveState) ?? parseState(r.liveState),
  );
  let target = clean(
    parseState(r.predictedLiveState) ?? parseState(r.targetState),
  );
  if (r.kind === 'Secret') {
    [live, target] = redactSecret(live, target);
  }
  const liveText = live ? stringify(live, { sortMapEntries: false }) : '';
  const targetText = target ? stringify(target, { sortMapEntries: false }) : '';
  const id = [r.group, r.kind, r.namespace, r.name].filter(Boolean).join('/');
  let change: ResourceDiff['change'] = 'none';
  if (!live && target) change = 'create';
  else if (live && !target) change = 'delete';
  else if (r.modified || liveText !== targetText) change = 'update';
  const diff =
    change === 'none'
      ? ''
      : createTwoFilesPatch(
          `live/${id}`,
          `target/${id}`,
          liveText,
          targetText,
          undefined,
          undefined,
          {
            context: 3,
          },
        );
  return {
    group: r.group || undefined,
    kind: r.kind,
    namespace: r.namespace || undefined,
    name: r.name,
    modified: change !== 'none',
    diff,
    change,
  };
}
