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
export {
  argoWindowsWithZones,
  decideWindows,
  formatWhenWithUtc,
  toWindowState,
} from './argoWindows';
export type {
  ArgoWindowFacts,
  ArgoWindowInput,
  DecideWindowsOptions,
} from './argoWindows';
