import { Box, Tooltip, Typography } from '@material-ui/core';
import { Link, type TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  FleetEntity,
  FleetEnvironment,
} from '@internal/plugin-gitops-common';
import { changeStateLabel, kindLabel } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { formatDual } from '../../utils/time';
import {
  HealthChip,
  SyncChip,
  ToneStatus,
  changeTone,
} from '../common/StatusChip';

/** `group:default/team-a` → `team-a` (the namespace only when not default). */
export function refName(ref: string): string {
  try {
    const r = parseEntityRef(ref);
    return r.namespace === 'default' ? r.name : `${r.namespace}/${r.name}`;
  } catch {
    return ref;
  }
}

/** The GitOps tab of an entity, built from the entity route. */
export type TabLink = (entityRef: string) => string;

function EnvironmentCell(props: {
  t: GitOpsT;
  entity: FleetEntity;
  env?: FleetEnvironment;
  name: string;
}) {
  const { t, entity, env, name } = props;
  const id = `fleet-${refName(entity.entityRef)}-${name}`;
  if (!env) return null;
  if (env.error) {
    // a short status, then the backend's sentence (why it is refused or
    // unreadable) wrapped below it, so a long one does not push the columns away
    return (
      <Box maxWidth={260}>
        <ToneStatus
          tone="error"
          label={t('fleet.environmentNotShown')}
          title={env.error.name}
          ariaLabel={t('fleet.environmentError', {
            env: name,
            message: env.error.message,
          })}
        />
        {/* three lines at most; the whole sentence on hover and on the tab */}
        <Typography
          variant="caption"
          color="textSecondary"
          title={env.error.message}
          style={{
            display: '-webkit-box',
            WebkitLineClamp: 3,
            WebkitBoxOrient: 'vertical',
            overflow: 'hidden',
          }}
        >
          {env.error.message}
        </Typography>
      </Box>
    );
  }
  const w = env.window;
  const at = w && !w.open ? formatDual(w.nextOpen) : undefined;
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      <Typography
        variant="body2"
        style={{ fontFamily: 'monospace' }}
        data-testid={`${id}-version`}
        aria-label={t('fleet.versionLabel', {
          env: name,
          version: env.version ?? t('fleet.noVersion'),
        })}
      >
        {env.version ??
          (env.application ? t('fleet.noVersion') : t('fleet.noApp'))}
      </Typography>
      {env.application && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          <SyncChip status={env.syncStatus} />
          <HealthChip status={env.health} />
        </Box>
      )}
      {env.operation && (
        <ToneStatus
          tone="running"
          label={t('fleet.operation', { phase: env.operation.phase })}
        />
      )}
      {env.pendingChange && (
        <ToneStatus
          tone={changeTone(env.pendingChange.state)}
          label={t('fleet.change', {
            kind: kindLabel(t, env.pendingChange.kind),
            state: changeStateLabel(t, env.pendingChange.state),
          })}
          ariaLabel={t('fleet.changeLabel', {
            env: name,
            kind: kindLabel(t, env.pendingChange.kind),
            state: changeStateLabel(t, env.pendingChange.state),
          })}
        />
      )}
      {w && !w.open && (
        <ToneStatus
          tone="pending"
          label={
            at
              ? t('fleet.windowClosedOpens', { at: at.both })
              : t('fleet.windowClosed')
          }
          title={w.message}
        />
      )}
    </Box>
  );
}

function Waiting({ t, entity }: { t: GitOpsT; entity: FleetEntity }) {
  if (!entity.waiting.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('fleet.nothingWaiting')}
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      {entity.waiting.map(w => {
        const label = t('fleet.waitingLabel', {
          version: w.version,
          from: w.from,
          to: w.to,
          current: w.current,
        });
        return (
          <Tooltip
            key={`${w.from}-${w.to}`}
            title={w.unordered ? t('fleet.waitingUnordered') : label}
          >
            <span>
              <ToneStatus
                tone="warning"
                label={t('fleet.waiting', { version: w.version, to: w.to })}
                ariaLabel={label}
              />
            </span>
          </Tooltip>
        );
      })}
    </Box>
  );
}

/** Columns: entity (links to its GitOps tab), owner, system, one per environment, and what is waiting. */
export function fleetColumns(
  t: GitOpsT,
  environments: string[],
  tabLink: TabLink,
): TableColumn<FleetEntity>[] {
  return [
    {
      title: t('fleet.columnEntity'),
      field: 'entityRef',
      highlight: true,
      render: e => (
        <Box>
          <Link
            to={tabLink(e.entityRef)}
            aria-label={t('fleet.openTab', { entity: e.entityRef })}
          >
            {e.title ?? refName(e.entityRef)}
          </Link>
          {e.error && (
            <Typography variant="caption" color="error" display="block">
              {t('fleet.entityError', { message: e.error.message })}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: t('fleet.columnOwner'),
      render: e => e.owners.map(refName).join(', '),
    },
    {
      title: t('fleet.columnSystem'),
      render: e => (e.system ? refName(e.system) : ''),
    },
    ...environments.map(
      (name): TableColumn<FleetEntity> => ({
        title: name,
        render: e => (
          <EnvironmentCell
            t={t}
            entity={e}
            name={name}
            env={e.environments.find(x => x.name === name)}
          />
        ),
      }),
    ),
    {
      title: t('fleet.columnWaiting'),
      render: e => <Waiting t={t} entity={e} />,
    },
  ];
}
