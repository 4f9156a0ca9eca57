import { useEffect, useState } from 'react';
import {
  Box,
  Chip,
  List,
  ListItem,
  ListItemText,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { ImageTagList } from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { ImageDigest } from './ImageDigest';

const useStyles = makeStyles(theme => ({
  list: { maxHeight: 220, overflowY: 'auto' },
  mono: { fontFamily: 'ui-monospace, monospace' },
  line: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
}));

/**
 * The registry's tags a promotion into `environment` may take (its policy's
 * tag rules), newest first, with digest and whether each ran (or was
 * verified) in the previous environment. Picking one sets the version; the
 * policy preview still judges it.
 */
export function ImageTagPicker(props: {
  entity: CompoundEntityRef;
  environment: string;
  value: string;
  onPick: (tag: string) => void;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const { entity, environment } = props;
  const [tags, setTags] = useState<ImageTagList>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    if (!api.getImageTags) return undefined;
    let cancelled = false;
    api.getImageTags(entity, environment).then(
      l => !cancelled && setTags(l),
      e => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, entity, environment]);

  if (!api.getImageTags) return null;
  if (error || tags?.unavailable) {
    return (
      <Typography variant="caption" color="textSecondary" role="status">
        {t('images.tagsUnavailable', {
          reason: tags?.unavailable ?? error?.message ?? '',
        })}
      </Typography>
    );
  }
  if (!tags) {
    return (
      <Skeleton
        variant="rect"
        height={48}
        aria-label={t('images.tagsLoading')}
      />
    );
  }
  const prev = tags.previousEnvironment ?? '';
  return (
    <Box mt={1}>
      <Typography variant="caption" color="textSecondary" component="h5">
        {t('images.tagsTitle', { repository: tags.repository ?? '' })}
      </Typography>
      {tags.items.length === 0 ? (
        <Typography variant="body2">
          {t('images.noTags', { env: environment })}
        </Typography>
      ) : (
        <List
          dense
          className={classes.list}
          aria-label={t('images.tagsTitle', {
            repository: tags.repository ?? '',
          })}
        >
          {tags.items.map(item => {
            let ran: string = t('images.notRan', { env: prev });
            if (item.ranAs && item.ranAs !== item.tag)
              ran = t('images.ranAs', { env: prev, tag: item.ranAs });
            else if (item.ranInPrevious) ran = t('images.ranIn', { env: prev });
            return (
              <ListItem
                key={item.tag}
                button
                selected={item.tag === props.value}
                onClick={() => props.onPick(item.tag)}
                aria-label={t('images.useTag', { tag: item.tag })}
              >
                <ListItemText
                  primary={
                    <span className={classes.line}>
                      <span className={classes.mono}>{item.tag}</span>
                      {item.digest && <ImageDigest digest={item.digest} />}
                      {item.verified && (
                        <Chip size="small" label={t('images.verified')} />
                      )}
                    </span>
                  }
                  secondary={prev ? ran : undefined}
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
}
