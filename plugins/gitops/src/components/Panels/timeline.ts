import type {
  ChangeRequest,
  EnvironmentHistory,
  HistoryEntry,
} from '@internal/plugin-gitops-common';
import { kindLabel, versionChange } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { shortSha, userName } from '../../utils/time';

/** One row of the history timeline. */
export interface TimelineRow {
  key: string;
  at?: string;
  source: 'argocd' | 'helm' | 'change';
  title: string;
  subtitle?: string;
  body?: string;
  url?: string;
  change?: ChangeRequest;
}

/** The version a row deployed, or why it is not known. */
export function historyVersion(t: GitOpsT, h: HistoryEntry): string {
  if (h.version) return h.version;
  const identity = h.versionIdentity;
  if (identity?.status === 'ambiguous') {
    return t('history.versionAmbiguous', {
      candidates: identity.candidates
        .map(c => `${c.version} (${c.source})`)
        .join(', '),
    });
  }
  return t('history.versionUnknown');
}

/** Who deployed a row: the requester of our change, else Argo CD's initiator. */
export function historyDeployer(t: GitOpsT, h: HistoryEntry): string {
  const who = h.deployedBy ?? h.initiatedBy;
  return who
    ? t('history.deployedBy', { user: userName(who) ?? who })
    : t('history.deployerUnknown');
}

function historyRow(t: GitOpsT, h: HistoryEntry): TimelineRow {
  if (h.source === 'helm' && h.helm) {
    return {
      key: `${h.source}:${h.id}`,
      at: h.deployedAt ?? h.deployStartedAt,
      source: h.source,
      title: t('history.helmTitle', {
        release: h.helm.release,
        id: h.id,
        chart: h.helm.chart,
        chartVersion: h.helm.chartVersion,
        status: h.helm.status,
      }),
      body: h.helm.description,
    };
  }
  return {
    key: `${h.source}:${h.id}`,
    at: h.deployedAt ?? h.deployStartedAt,
    source: h.source,
    title: `${historyVersion(t, h)} · #${h.id}`,
    subtitle: [
      h.revision ? `@${shortSha(h.revision)}` : undefined,
      historyDeployer(t, h),
      h.approvedBy?.length
        ? t('history.approvedBy', {
            users: h.approvedBy.map(a => userName(a) ?? a).join(', '),
          })
        : undefined,
      h.commit?.author
        ? t('history.commitBy', { author: h.commit.author })
        : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    body: h.commit?.message,
    url: h.url,
  };
}

/** Merges Argo CD history, Helm releases and our change requests into one timeline, newest first. */
export function mergeTimeline(
  t: GitOpsT,
  history: EnvironmentHistory | undefined,
  changes: ChangeRequest[],
): TimelineRow[] {
  const rows = (history?.items ?? []).map(h => historyRow(t, h));
  for (const c of changes) {
    rows.push({
      key: `change:${c.id}`,
      at: c.updatedAt ?? c.createdAt,
      source: 'change',
      title: `${kindLabel(t, c.kind)} ${versionChange(
        t,
        c.fromVersion,
        c.version ?? c.rollbackTo?.version,
      )}`,
      subtitle: t('history.requestedBy', {
        user: userName(c.requestedBy) ?? '',
      }),
      body: c.reason,
      change: c,
    });
  }
  return rows.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
}
