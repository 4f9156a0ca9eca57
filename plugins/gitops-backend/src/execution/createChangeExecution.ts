import {
  AuditorService,
  AuthService,
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import { ScmIntegrations } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ChangeStore } from '../store/ChangeStore';
import { GitopsConfig } from '../config/types';
import { ApplicationLocator } from '../state/ApplicationLocator';
import { GitWriteBack } from '../writeback/GitWriteBack';
import { ChangeExecutor } from './ChangeExecutor';
import { ConfigTargetResolver } from './ConfigTargetResolver';
import { ExecutionRunner } from './ExecutionRunner';
import { ExecutionClock, ExecutionPolicy, systemClock } from './types';
import { ExecutionServices } from './StepContext';
import { userProfileOf } from '../writeback/commitMessage';

/** Options of {@link createChangeExecution}. @internal */
export interface ChangeExecutionOptions {
  /** The plugin's config model (execution, git, environments, pipelines). */
  gitopsConfig: GitopsConfig;
  /** For SCM integrations (git credentials). */
  integrations: ScmIntegrations;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  auth: AuthService;
  catalog: CatalogService;
  store: ChangeStore;
  argo: ArgoCdClient;
  /** The policy re-check (the plugin's ChangeService). */
  policy: ExecutionPolicy;
  auditor?: AuditorService;
  clock?: ExecutionClock;
  /** The deployment record (every deployment a change makes is recorded). */
  deployments?: ExecutionServices['deployments'];
}

/**
 * Builds the execution side from the config model, schedules the pick-up task and stops running changes on
 * shutdown. Call `runner.kick(id)` when a change gets approved.
 *
 * @internal
 */
export async function createChangeExecution(
  options: ChangeExecutionOptions,
): Promise<{ runner: ExecutionRunner; executor: ChangeExecutor }> {
  const { gitopsConfig, logger } = options;
  const settings = gitopsConfig.execution;
  const git = gitopsConfig.git;
  const writeBack = git.repositories.length
    ? GitWriteBack.create({
        repositories: git.repositories,
        workDir: git.workDir,
        committer: git.committer,
        integrations: options.integrations,
        logger: logger.child({ component: 'gitops-writeback' }),
        maxPushAttempts: git.maxPushAttempts,
      })
    : undefined;
  const clock = options.clock ?? systemClock;
  const executor = ChangeExecutor.create({
    services: {
      store: options.store,
      argo: options.argo,
      git: writeBack,
      policy: options.policy,
      settings,
      clock,
      logger: logger.child({ component: 'gitops-execution' }),
      auditor: options.auditor,
      deployments: options.deployments,
      userProfile: async userRef =>
        userProfileOf(
          await options.catalog.getEntityByRef(userRef, {
            credentials: await options.auth.getOwnServiceCredentials(),
          }),
        ),
    },
    targets: ConfigTargetResolver.create({
      pipelines: gitopsConfig.pipelines,
      environments: gitopsConfig.environments,
      locator: new ApplicationLocator(
        options.argo,
        options.gitopsConfig.bindings,
      ),
      catalog: options.catalog,
      auth: options.auth,
    }),
  });
  const runner = ExecutionRunner.create({
    store: options.store,
    executor,
    settings,
    logger: logger.child({ component: 'gitops-execution' }),
    clock,
  });
  await runner.schedule(options.scheduler);
  options.lifecycle.addShutdownHook(async () => {
    await runner.stop();
    // the default per-process clones are caches: do not leave them behind
    if (git.temporaryWorkDir)
      await fs.rm(git.workDir, { recursive: true, force: true });
  });
  return { runner, executor };
}
