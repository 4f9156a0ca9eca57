import { useCallback, useMemo, useState } from 'react';
import { Button, Typography } from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { FleetEntity, FleetQuery } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { FleetFilters } from './FleetFilters';
import { fleetColumns } from './fleetColumns';
import { useFleet } from './useFleet';

/** Accumulates the owners and systems seen, so that a filtered view still offers the others. */
function useOptions(items: FleetEntity[] | undefined) {
  const [seen] = useState(() => ({
    owners: new Set<string>(),
    systems: new Set<string>(),
  }));
  return useMemo(() => {
    for (const i of items ?? []) {
      i.owners.forEach(o => seen.owners.add(o));
      if (i.system) seen.systems.add(i.system);
    }
    return {
      owners: [...seen.owners].sort(),
      systems: [...seen.systems].sort(),
    };
  }, [items, seen]);
}

/**
 * The fleet: one row per entity the user can see, one column per
 * environment (version, sync, health, running operation, open change,
 * closed window) and what is waiting to be promoted; filtered by owner,
 * system and state in the backend.
 */
export function FleetView() {
  const t = useGitOpsTranslation();
  const [query, setQuery] = useState<FleetQuery>({});
  const { data, error, refresh } = useFleet(query);
  const entityRoute = useRouteRef(entityRouteRef);
  const tabLink = useCallback(
    (ref: string) => {
      const r = parseEntityRef(ref);
      return `${entityRoute({
        kind: r.kind.toLocaleLowerCase('en-US'),
        namespace: r.namespace.toLocaleLowerCase('en-US'),
        name: r.name,
      })}/gitops`;
    },
    [entityRoute],
  );
  const columns = useMemo(
    () => fleetColumns(t, data?.environments ?? [], tabLink),
    [t, data?.environments, tabLink],
  );
  const options = useOptions(data?.items);

  return (
    <>
      <ContentHeader title={t('fleet.title')} description={t('fleet.subtitle')}>
        {data && (
          <Typography variant="body2" color="textSecondary">
            {t('fleet.count', { count: data.items.length })}
          </Typography>
        )}
        <Button onClick={refresh}>{t('refresh')}</Button>
      </ContentHeader>
      <FleetFilters
        query={query}
        owners={options.owners}
        systems={options.systems}
        onChange={setQuery}
      />
      {error && (
        <ResponseErrorPanel error={error} title={t('fleet.loadError')} />
      )}
      {!data && !error && (
        <Skeleton
          variant="rect"
          height={240}
          aria-label={t('fleet.loadingLabel')}
        />
      )}
      {data && data.items.length === 0 && (
        <Alert severity="info">{t('fleet.empty')}</Alert>
      )}
      {data && data.items.length > 0 && (
        <div role="region" aria-label={t('fleet.region')}>
          <Table<FleetEntity>
            options={{
              paging: data.items.length > 100,
              pageSize: 100,
              pageSizeOptions: [50, 100, 500],
              search: true,
              padding: 'dense',
            }}
            columns={columns}
            data={data.items}
          />
        </div>
      )}
    </>
  );
}

/**
 * The fleet as a full page (legacy apps).
 *
 * @public
 */
export function GitOpsFleetPage() {
  const t = useGitOpsTranslation();
  return (
    <Page themeId="tool">
      <Header title={t('pluginTitle')} subtitle={t('fleet.subtitle')} />
      <Content>
        <FleetView />
      </Content>
    </Page>
  );
}

/** The fleet inside the new frontend system's page layout (which draws the header). */
export function FleetPageContent() {
  return (
    <Content>
      <FleetView />
    </Content>
  );
}
