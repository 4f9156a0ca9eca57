import { Tooltip, Typography } from '@material-ui/core';
import { formatDual } from '../../utils/time';

/** A time as "3 hours ago" with the viewer's zone and UTC on hover and for screen readers. */
export function RelativeTime({ iso }: { iso?: string }) {
  const t = formatDual(iso);
  if (!t) return null;
  return (
    <Tooltip title={t.both}>
      <time dateTime={iso} aria-label={`${t.relative}, ${t.both}`}>
        {t.relative}
      </time>
    </Tooltip>
  );
}

/** A time written out in the viewer's zone and UTC. */
export function DualTimeText({
  iso,
  variant,
}: {
  iso?: string;
  variant?: 'body2' | 'caption';
}) {
  const t = formatDual(iso);
  if (!t) return null;
  return (
    <Typography component="span" variant={variant ?? 'body2'}>
      <time dateTime={iso}>{t.both}</time>
    </Typography>
  );
}
