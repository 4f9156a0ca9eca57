export * from './Pipeline';
export * from './entityMapping';
export * from './pipelinesServiceRef';
