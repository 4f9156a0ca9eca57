import { DateTime } from 'luxon';

/** A moment shown in the viewer's zone and in UTC. */
export interface DualTime {
  local: string;
  utc: string;
  relative: string;
  /** Both, for labels and tooltips: "Mon 30 Nov 07:00 CET (06:00 UTC)". */
  both: string;
}

export function formatDual(
  iso: string | undefined,
  zone?: string,
): DualTime | undefined {
  if (!iso) return undefined;
  const dt = DateTime.fromISO(iso);
  if (!dt.isValid) return undefined;
  const local = zone ? dt.setZone(zone) : dt.toLocal();
  const utc = dt.toUTC();
  const sameDay = local.toISODate() === utc.toISODate();
  const localText = local.toFormat('ccc d LLL HH:mm ZZZZ');
  const utcText = sameDay
    ? `${utc.toFormat('HH:mm')} UTC`
    : `${utc.toFormat('ccc d LLL HH:mm')} UTC`;
  return {
    local: localText,
    utc: utcText,
    relative: dt.toRelative() ?? localText,
    both:
      local.offset === 0
        ? `${utc.toFormat('ccc d LLL HH:mm')} UTC`
        : `${localText} (${utcText})`,
  };
}

export function shortSha(rev?: string): string | undefined {
  if (!rev) return undefined;
  return /^[0-9a-f]{12,}$/i.test(rev) ? rev.slice(0, 7) : rev;
}

export function userName(ref?: string): string | undefined {
  if (!ref) return undefined;
  const m = /^(?:user:)?(?:[^/]+\/)?(.+)$/.exec(ref);
  return m ? m[1] : ref;
}
