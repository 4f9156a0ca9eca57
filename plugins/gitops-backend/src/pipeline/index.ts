export * from './Pipeline';
// config reading lives in src/config (re-exported for existing callers)
export {
  readPipelines,
  DEFAULT_APPLICATION_NAME,
} from '../config/readPipelines';
export * from './entityMapping';
export * from './pipelinesServiceRef';
