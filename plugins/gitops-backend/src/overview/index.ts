export { OverviewService } from './OverviewService';
export type {
  OverviewCaller,
  OverviewSources,
  OverviewCacheStats,
} from './OverviewService';
export { ViewStamps } from './ViewStamps';
export { createOverviewRouter } from './createOverviewRouter';
export { readOverviewTtlMs, DEFAULT_OVERVIEW_TTL_MS } from './config';
