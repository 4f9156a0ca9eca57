export { startBackend } from './startBackend';
export {
  startupGuardServiceFactory,
  createStartupGuardServiceFactory,
} from './startupService';
export { acquireStartupLock, lockConnectionConfig } from './startupLock';
export type { StartupLock } from './startupLock';
