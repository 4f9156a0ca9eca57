export { writeStep } from './write';
export {
  refreshStep,
  diffStep,
  disableAutoSyncStep,
  recheckStep,
} from './prepare';
export { dryRunStep } from './dryRun';
export { syncStep } from './sync';
export { followStep } from './follow';
