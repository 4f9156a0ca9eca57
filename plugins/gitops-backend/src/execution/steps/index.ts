export { writeStep } from './write';
export {
  refreshStep,
  diffStep,
  disableAutoSyncStep,
  recheckStep,
} from './prepare';
export { dryRunStep, syncStep, followStep } from './operate';
