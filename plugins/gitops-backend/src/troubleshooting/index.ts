export { TroubleshootingService } from './TroubleshootingService';
export type { TroubleshootingClient } from './TroubleshootingService';
export { createTroubleshootingRouter } from './createTroubleshootingRouter';
export { DEFAULT_LOG_LIMITS } from './logStream';
export type { LogLimits } from './logStream';
export { createTroubleshooting } from './createTroubleshooting';
