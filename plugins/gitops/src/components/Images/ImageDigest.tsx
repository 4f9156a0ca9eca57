import { Tooltip, Typography } from '@material-ui/core';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { ImageDigests } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { useImageDigests } from '../../hooks/useImageDigests';

/** `sha256:0123456789ab` (12 hex digits). */
export function shortDigest(digest: string): string {
  const [alg, hex] = digest.split(':');
  return hex && hex.length > 12 ? `${alg}:${hex.slice(0, 12)}` : digest;
}

/** A short image digest; the full one on hover and for screen readers. */
export function ImageDigest(props: { digest: string }) {
  const t = useGitOpsTranslation();
  return (
    <Tooltip title={props.digest}>
      <Typography
        variant="caption"
        style={{ fontFamily: 'ui-monospace, monospace' }}
        aria-label={t('images.digest', { digest: props.digest })}
        data-testid="image-digest"
      >
        {shortDigest(props.digest)}
      </Typography>
    </Tooltip>
  );
}

/**
 * The digest of the version an environment runs (nothing while unknown).
 * `initial` (the tab's overview) is used without a request when it is about
 * that version (or says the registry is unavailable); otherwise the digests
 * are fetched.
 */
export function EnvironmentDigest(props: {
  entity?: CompoundEntityRef;
  env: string;
  version?: string;
  initial?: ImageDigests;
}) {
  const { initial, version } = props;
  const given =
    initial &&
    (!version ||
      version in initial.digests ||
      initial.unavailable !== undefined)
      ? initial
      : undefined;
  const digests = useImageDigests(props.entity, props.env, version, given);
  const digest = version ? digests?.digests[version] : undefined;
  return digest ? <ImageDigest digest={digest} /> : null;
}
