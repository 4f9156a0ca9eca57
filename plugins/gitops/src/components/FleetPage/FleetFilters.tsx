import { Box, Button, Chip, TextField, makeStyles } from '@material-ui/core';
import {
  FLEET_STATES,
  type FleetQuery,
  type FleetState,
} from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { refName } from './fleetColumns';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 200 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

/** The label of a fleet state ("Out of sync", …). */
export function stateLabel(t: GitOpsT, s: FleetState): string {
  switch (s) {
    case 'out-of-sync':
      return t('fleet.states.outOfSync');
    case 'degraded':
      return t('fleet.states.degraded');
    case 'pending-change':
      return t('fleet.states.pendingChange');
    case 'blocked-by-window':
      return t('fleet.states.blockedByWindow');
    default:
      return t('fleet.states.promotable');
  }
}

/** Owner and system pickers (from what the fleet has shown) and state toggles. */
export function FleetFilters(props: {
  query: FleetQuery;
  owners: string[];
  systems: string[];
  onChange: (q: FleetQuery) => void;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const { query, onChange } = props;
  const states = query.state ?? [];
  const toggle = (s: FleetState) =>
    onChange({
      ...query,
      state: states.includes(s)
        ? states.filter(x => x !== s)
        : FLEET_STATES.filter(x => x === s || states.includes(x)),
    });
  const picker = (
    field: 'owner' | 'system',
    label: string,
    options: string[],
  ) => (
    <TextField
      select
      id={`gitops-fleet-${field}`}
      className={classes.select}
      label={label}
      value={query[field] ?? ''}
      onChange={e =>
        onChange({ ...query, [field]: e.target.value || undefined })
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
    >
      <option value="">{t('fleet.any')}</option>
      {options.map(o => (
        <option key={o} value={o}>
          {refName(o)}
        </option>
      ))}
    </TextField>
  );
  return (
    <Box className={classes.row}>
      {picker('owner', t('fleet.filterOwner'), props.owners)}
      {picker('system', t('fleet.filterSystem'), props.systems)}
      <div
        className={classes.chips}
        role="group"
        aria-label={t('fleet.filterState')}
      >
        {FLEET_STATES.map(s => (
          <Chip
            key={s}
            label={stateLabel(t, s)}
            clickable
            color={states.includes(s) ? 'primary' : 'default'}
            variant={states.includes(s) ? 'default' : 'outlined'}
            onClick={() => toggle(s)}
            aria-pressed={states.includes(s)}
          />
        ))}
      </div>
      {(query.owner || query.system || states.length > 0) && (
        <Button size="small" onClick={() => onChange({})}>
          {t('fleet.clear')}
        </Button>
      )}
    </Box>
  );
}
