import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { environmentKey } from '../config/readExecution';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DeploymentService } from './DeploymentService';
import { GitRevisionReader } from './GitRevisionReader';
import { HealthObservationStore } from './HealthObservationStore';
import { VersionEvidenceReader } from './versionEvidence';

/** The deployment record and version identity. @internal */
export const deploymentServiceRef = createServiceRef<DeploymentService>({
  id: 'gitops.deployments',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        gitopsConfig: gitopsConfigServiceRef,
      },
      async factory({ config, database, logger, gitopsConfig }) {
        const store = await DatabaseDeploymentStore.create({ database });
        const observations = new HealthObservationStore(
          await database.getClient(),
        );
        const git = GitRevisionReader.create({
          repositories: gitopsConfig.git.repositories,
          workDir: gitopsConfig.git.workDir,
          integrations: ScmIntegrations.fromConfig(config),
          logger,
        });
        const evidence = new VersionEvidenceReader({
          git,
          writeBackOf: (pipeline, env) =>
            gitopsConfig.environments.get(environmentKey(pipeline, env))
              ?.writeBack,
          logger,
        });
        return new DeploymentService({ store, evidence, observations, logger });
      },
    }),
});
