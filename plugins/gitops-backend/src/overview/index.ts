export { OverviewService } from './OverviewService';
export type {
  OverviewCaller,
  OverviewSources,
  OverviewCacheStats,
} from './OverviewService';
export { ViewStamps } from './ViewStamps';
export { createOverviewRouter } from './createOverviewRouter';
export { OverviewRepresentations } from './representations';
export { readOverviewTtlMs, DEFAULT_OVERVIEW_TTL_MS } from './config';
