import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { argoCdClientServiceRef } from '../argocd/argoCdClientServiceRef';
import { helmReleaseReaderServiceRef } from '../helm/helmReleaseReaderServiceRef';
import { pipelinesServiceRef } from '../pipeline/pipelinesServiceRef';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { PolicyWindowStateProvider } from '../windows/PolicyWindowStateProvider';
import { deploymentServiceRef } from '../deployments/deploymentServiceRef';
import { applicationMirrorsServiceRef } from '../mirror/applicationMirrorsServiceRef';
import { GitOpsStateService } from './GitOpsStateService';
import { mirroredWindowClient } from './MirroredWindowClient';

/** The read side (what runs where). @public */
export const gitopsStateServiceRef = createServiceRef<GitOpsStateService>({
  id: 'gitops.state',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        gitopsConfig: gitopsConfigServiceRef,
        logger: coreServices.logger,
        client: argoCdClientServiceRef,
        helm: helmReleaseReaderServiceRef,
        pipelines: pipelinesServiceRef,
        deployments: deploymentServiceRef,
        mirrors: applicationMirrorsServiceRef,
      },
      factory({
        gitopsConfig,
        logger,
        client,
        helm,
        pipelines,
        deployments,
        mirrors,
      }) {
        return GitOpsStateService.create({
          client,
          helm,
          pipelines,
          logger,
          windowStateProvider: PolicyWindowStateProvider.create({
            policies: gitopsConfig.policies,
            // With mirrors, Argo CD's window state is computed from the held
            // AppProjects (no call); without, it is read from Argo CD.
            client: mirrors.enabled
              ? mirroredWindowClient({ client, mirrors, logger })
              : client,
            logger,
          }),
          // Window states are reused as long as the reads they go with.
          windowStateTtlMs: gitopsConfig.cacheTtlMs,
          bindings: gitopsConfig.bindings,
          deployments,
          mirrors,
        });
      },
    }),
});
