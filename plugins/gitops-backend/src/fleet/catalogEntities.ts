import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { FleetCatalog } from './ports';

/**
 * Entities with one of the annotations that locate applications (as
 * `readEntitySpec` reads them: `GITOPS_ANNOTATIONS` app, argocdAppName,
 * argocdAppSelector, argocdProjectName).
 */
const LOCATING: Predicate = {
  $any: [
    { 'metadata.annotations.gitops/app': { $exists: true } },
    { 'metadata.annotations.argocd/app-name': { $exists: true } },
    { 'metadata.annotations.argocd/app-selector': { $exists: true } },
    { 'metadata.annotations.argocd/project-name': { $exists: true } },
  ],
};

/** The catalog's predicate query type (as `queryEntities` takes it). */
type Predicate = NonNullable<
  Exclude<
    NonNullable<Parameters<CatalogService['queryEntities']>[0]>,
    { cursor: string }
  >['query']
>;

/** Entities per catalog page (a fleet of 700 is one request). */
const PAGE = 1000;
/** At most this many pages (20,000 entities). */
const MAX_PAGES = 20;

/** What the read side and the fleet read of an entity. */
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'relations',
];

/**
 * The fleet's entities from the catalog, in ONE query (paged by 1,000) made with the caller's
 * credentials (so the catalog's permission rules decide what is listed, as
 * for the tab): entities with one of the annotations that locate
 * applications, narrowed by owner (`ownedBy` relation) and system (`partOf`
 * relation) in the catalog itself.
 *
 * @internal
 */
export function createFleetCatalog(
  catalog: Pick<CatalogService, 'queryEntities'>,
): FleetCatalog {
  return {
    async listEntities(filter, credentials) {
      const parts: Predicate[] = [LOCATING];
      if (filter.owner) parts.push({ 'relations.ownedBy': filter.owner });
      if (filter.system) parts.push({ 'relations.partOf': filter.system });
      const query: Predicate = { $all: parts };
      const items: Entity[] = [];
      let cursor: string | undefined;
      // One query; pages only beyond PAGE entities.
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await catalog.queryEntities(
          cursor
            ? { cursor, limit: PAGE, fields: FIELDS }
            : {
                query,
                limit: PAGE,
                fields: FIELDS,
                orderFields: { field: 'metadata.name', order: 'asc' },
              },
          { credentials },
        );
        items.push(...res.items);
        cursor = res.pageInfo.nextCursor;
        if (!cursor) break;
      }
      return items;
    },
  };
}
