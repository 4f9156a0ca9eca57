export { readGitopsConfig } from './readGitopsConfig';
export { gitopsConfigServiceRef } from './gitopsConfigServiceRef';
export { GitopsConfigError, ConfigProblems } from './errors';
export type { ConfigProblem } from './errors';
export type { GitopsConfig } from './types';
export { readDurationMs, readOptionalDurationMs } from './duration';
export type {
  EnvironmentExecutionConfig,
  ExecutionSettings,
} from './readExecution';
export { environmentKey, readExecutionSettings } from './readExecution';
export { readPipelines, DEFAULT_APPLICATION_NAME } from './readPipelines';
export { readPolicies, OVERRIDE_BYPASSABLE } from './readPolicies';
