import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoSyncWindowsResponse } from '../argocd/types';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { syncWindowsAnswer } from '../windows/projectWindows';
import type { ArgoWindowClient } from '../windows/PolicyWindowStateProvider';

/** How the sync-window reads of a {@link mirroredWindowClient} were answered. @internal */
export interface WindowReadCounts {
  /** Computed from the held AppProject and the mirrored application. */
  local: number;
  /** Asked Argo CD (`…/syncwindows`): no live mirror, no held project, or an invalid window. */
  direct: number;
}

/**
 * The window reads of the read side (`getSyncWindows`, `getProject`) served
 * without Argo CD while the instance's mirror is live and its AppProjects
 * are held: the syncwindows answer is computed from the project's
 * `spec.syncWindows` and the mirrored application (Argo CD's rules,
 * `windows/projectWindows.ts`). Otherwise each read is today's call to
 * Argo CD (through the read cache).
 *
 * @internal
 */
export function mirroredWindowClient(options: {
  client: Pick<ArgoCdClient, 'getSyncWindows' | 'getProject'>;
  mirrors: ApplicationMirrors;
  now?: () => number;
  logger?: LoggerService;
  counts?: WindowReadCounts;
}): ArgoWindowClient {
  const { client, mirrors } = options;
  const now = options.now ?? Date.now;
  const counts = options.counts ?? { local: 0, direct: 0 };
  const local = (
    instance: string,
    name: string,
    appNamespace?: string,
  ): ArgoSyncWindowsResponse | undefined => {
    const app = mirrors.getApplication(instance, name, appNamespace);
    if (!app?.spec?.project) return undefined;
    const dst = app.spec.destination ?? {};
    // A skeleton (unbound application) carries no destination to match.
    if (!dst.name && !dst.server && !dst.namespace) return undefined;
    const project = mirrors.getProject(instance, app.spec.project);
    if (!project) return undefined;
    return syncWindowsAnswer(
      project.spec?.syncWindows,
      { name: app.metadata.name, destination: dst },
      now(),
    );
  };
  return {
    async getSyncWindows(instance, name, readOptions = {}) {
      const answer = local(instance, name, readOptions.appNamespace);
      if (answer) {
        counts.local++;
        return answer;
      }
      counts.direct++;
      return client.getSyncWindows(instance, name, readOptions);
    },
    async getProject(instance, name, readOptions = {}) {
      const project = mirrors.getProject(instance, name);
      if (project) return project;
      return client.getProject(instance, name, readOptions);
    },
  };
}
