export { createChangeExecution } from './createChangeExecution';
export type { ChangeExecutionOptions } from './createChangeExecution';
export { ChangeExecutor } from './ChangeExecutor';
export { ExecutionRunner, EXECUTION_TASK_ID } from './ExecutionRunner';
export { systemClock } from './types';
export type {
  ExecutionClock,
  ExecutionPolicy,
  ExecutionTarget,
  ExecutionTargetResolver,
  RecheckResult,
} from './types';
