export * from './Pipeline';
export * from './readPipelines';
export * from './entityMapping';
export * from './pipelinesServiceRef';
