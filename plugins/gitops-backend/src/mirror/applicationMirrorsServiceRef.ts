import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { argoCdClientServiceRef } from '../argocd/argoCdClientServiceRef';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { MirrorUpstream } from './ApplicationMirror';
import { ApplicationMirrors } from './ApplicationMirrors';

/** The mirrors' Argo CD calls, through the plugin's client (credentials, budget, counters). */
export function clientUpstream(client: ArgoCdClient): MirrorUpstream {
  return {
    listApplications: (instance, query) =>
      client.listApplicationsWithVersion(instance, query),
    openApplicationStream: (instance, queryString, signal) =>
      client.openApplicationStream(instance, queryString, signal),
    listProjects: instance => client.listProjects(instance),
  };
}

/**
 * The application mirrors of this backend replica, one per configured Argo
 * CD instance (`gitops.mirror`); started when the backend has started,
 * stopped on shutdown. Consumers: the read side, and whoever publishes
 * changes (`subscribe`).
 *
 * @internal
 */
export const applicationMirrorsServiceRef =
  createServiceRef<ApplicationMirrors>({
    id: 'gitops.application-mirrors',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          gitopsConfig: gitopsConfigServiceRef,
          logger: coreServices.logger,
          lifecycle: coreServices.lifecycle,
          client: argoCdClientServiceRef,
        },
        factory({ gitopsConfig, logger, lifecycle, client }) {
          const mirrors = new ApplicationMirrors({
            instances: gitopsConfig.instances.map(i => i.name),
            upstream: clientUpstream(client),
            bindings: gitopsConfig.bindings,
            config: gitopsConfig.mirror,
            logger,
          });
          lifecycle.addStartupHook(() => mirrors.start());
          lifecycle.addShutdownHook(() => mirrors.stop());
          return mirrors;
        },
      }),
  });
