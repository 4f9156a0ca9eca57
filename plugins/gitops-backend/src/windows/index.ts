export {
  evaluateWindows,
  validateWindow,
  fromArgoSyncWindows,
  formatWhen,
} from './windows';
export type {
  SyncWindow,
  WindowProblem,
  EvaluateWindowsOptions,
  WindowEvaluation,
} from './windows';
export { parseDuration, formatDuration } from './duration';
