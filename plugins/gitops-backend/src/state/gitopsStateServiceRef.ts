import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { argoCdClientServiceRef } from '../argocd/argoCdClientServiceRef';
import { helmReleaseReaderServiceRef } from '../helm/helmReleaseReaderServiceRef';
import { pipelinesServiceRef } from '../pipeline/pipelinesServiceRef';
import { readCacheTtlMs } from '../cache/config';
import { GitOpsStateService } from './GitOpsStateService';

/** The read side (what runs where). @public */
export const gitopsStateServiceRef = createServiceRef<GitOpsStateService>({
  id: 'gitops.state',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        client: argoCdClientServiceRef,
        helm: helmReleaseReaderServiceRef,
        pipelines: pipelinesServiceRef,
      },
      factory({ config, logger, client, helm, pipelines }) {
        return GitOpsStateService.create({
          client,
          helm,
          pipelines,
          logger,
          // Window states are reused as long as the reads they go with.
          windowStateTtlMs: readCacheTtlMs(config),
        });
      },
    }),
});
