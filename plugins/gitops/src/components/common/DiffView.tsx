import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { ResourceDiff } from '@internal/plugin-gitops-common';
import { ToneStatus, type Tone } from './StatusChip';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

const useStyles = makeStyles(theme => ({
  pre: {
    margin: 0,
    width: '100%',
    overflowX: 'auto',
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12.5,
    lineHeight: 1.5,
    borderRadius: 4,
    border: `1px solid ${theme.palette.divider}`,
  },
  line: { whiteSpace: 'pre', padding: '0 8px', display: 'block' },
  // Line colours from the theme's palette (light and dark themes alike).
  add: {
    backgroundColor: alpha(theme.palette.success.main, 0.15),
    color:
      theme.palette.type === 'dark'
        ? theme.palette.success.light
        : theme.palette.success.dark,
  },
  del: {
    backgroundColor: alpha(theme.palette.error.main, 0.15),
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
  },
  hunk: {
    backgroundColor: alpha(theme.palette.info.main, 0.15),
    color: theme.palette.text.secondary,
  },
  title: { fontFamily: 'ui-monospace, monospace', marginRight: 8 },
}));

/** A unified diff with coloured lines. */
export function UnifiedDiff({ diff, label }: { diff: string; label: string }) {
  const classes = useStyles();
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className={classes.pre} aria-label={label}>
      {lines.map((l, i) => {
        let cls = '';
        if (l.startsWith('+++') || l.startsWith('---')) cls = classes.hunk;
        else if (l.startsWith('+')) cls = classes.add;
        else if (l.startsWith('-')) cls = classes.del;
        else if (l.startsWith('@@')) cls = classes.hunk;
        return (
          <code key={i} className={`${classes.line} ${cls}`}>
            {l || ' '}
          </code>
        );
      })}
    </pre>
  );
}

/** The diff of a version change, as it is written into the environment's values. */
export function versionDiff(
  from: string | undefined,
  to: string | undefined,
): string {
  return [
    '@@ image.tag @@',
    `-  tag: ${from ?? '(none)'}`,
    `+  tag: ${to ?? '(none)'}`,
  ].join('\n');
}

const CHANGE_TONES: Record<ResourceDiff['change'], Tone> = {
  create: 'ok',
  update: 'warning',
  delete: 'error',
  none: 'aborted',
};

function resourceName(r: ResourceDiff): string {
  return `${r.kind}${r.namespace ? ` ${r.namespace}/` : ' '}${r.name}`;
}

/** Per-resource diffs, modified resources expanded. */
export function ResourceDiffList({ items }: { items: ResourceDiff[] }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const changed = items.filter(i => i.modified || i.change !== 'none');
  if (changed.length === 0) {
    return <Typography variant="body2">{t('dialog.diffNone')}</Typography>;
  }
  return (
    <div>
      {changed.map(r => (
        <Accordion
          key={`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`}
          defaultExpanded={changed.length <= 3}
        >
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-label={t('diff.of', { resource: resourceName(r) })}
          >
            <Typography className={classes.title}>{resourceName(r)}</Typography>
            <ToneStatus
              tone={CHANGE_TONES[r.change]}
              label={t(`diff.change.${r.change}`)}
            />
          </AccordionSummary>
          <AccordionDetails>
            <UnifiedDiff
              diff={r.diff}
              label={t('diff.of', { resource: resourceName(r) })}
            />
          </AccordionDetails>
        </Accordion>
      ))}
    </div>
  );
}
