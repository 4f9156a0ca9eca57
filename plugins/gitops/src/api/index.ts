export { gitopsApiRef } from './GitopsApi';
export type { GitopsApi, ListChangesQuery } from './GitopsApi';
export { GitopsClient } from './GitopsClient';
