import type { ChangeTarget } from '../store/ChangeStore';
import type { WriteBackSpec } from '../writeback/config';

/** The execution stops as `blocked`: what it would run against is not what was approved. @internal */
export class TargetMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetMovedError';
  }
}

/** A write-back as one line, e.g. `git gitops:apps/{appName}/values.yaml image.tag`. Pure. */
export function describeWriteBack(w: WriteBackSpec | undefined): string {
  if (!w) return 'none';
  return w.method === 'git'
    ? `git ${w.repository}:${w.path} ${w.key}`
    : `argocd parameter ${w.parameter}`;
}

/** The target of a change as stored when it is created. Pure. */
export function changeTargetOf(target: {
  instance: string;
  application: string;
  appNamespace?: string;
  project?: string;
  writeBack?: WriteBackSpec;
  binding?: string[];
}): ChangeTarget {
  return {
    instance: target.instance,
    application: target.application,
    appNamespace: target.appNamespace || undefined,
    project: target.project || undefined,
    writeBack: describeWriteBack(target.writeBack),
    binding: target.binding,
  };
}

/**
 * Why the target found now differs from the one fixed when the change was
 * created (and shown to approvers), or undefined when it is the same. Pure.
 */
export function targetMoved(
  pinned: ChangeTarget,
  now: ChangeTarget,
  pipelines: { pinned: string; now?: string },
): string | undefined {
  const moved: string[] = [];
  const cmp = (what: string, a?: string, b?: string) => {
    if ((a ?? '') !== (b ?? ''))
      moved.push(`${what} '${a ?? ''}' → '${b ?? ''}'`);
  };
  cmp('instance', pinned.instance, now.instance);
  cmp('application', pinned.application, now.application);
  cmp('application namespace', pinned.appNamespace, now.appNamespace);
  cmp('project', pinned.project, now.project);
  if (pinned.writeBack !== undefined) {
    cmp('write-back', pinned.writeBack, now.writeBack);
  }
  if (pipelines.now !== undefined)
    cmp('pipeline', pipelines.pinned, pipelines.now);
  return moved.length
    ? `what this change runs against changed since it was created and approved (${moved.join(
        ', ',
      )}); request it again`
    : undefined;
}
