import { LogViewer, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  type CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  FormControl,
  FormControlLabel,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  gitopsLogsReadPermission,
  type ResourceTreeNode,
} from '@internal/plugin-gitops-common';
import { useEffect, useState } from 'react';
import { gitopsApiRef } from '../../api';
import { errorMessage } from '../../utils/errors';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

/** Lines kept in the viewer (the backend bounds each request too). */
const MAX_LINES = 5000;

/**
 * A pod's logs in the core-components LogViewer: container choice, follow,
 * the last 500 lines. Needs `gitops.logs.read` on the entity.
 */
export function PodLogs(props: {
  entity: CompoundEntityRef;
  env: string;
  pod: ResourceTreeNode;
}) {
  const { entity, env, pod } = props;
  const api = useApi(gitopsApiRef);
  const t = useGitOpsTranslation();
  const { allowed, loading: checking } = usePermission({
    permission: gitopsLogsReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const containers = pod.containers ?? [];
  const [container, setContainer] = useState<string | undefined>(
    containers.find(c => !c.init)?.name ?? containers[0]?.name,
  );
  const [follow, setFollow] = useState(false);
  const [text, setText] = useState('');
  const [state, setState] = useState<'loading' | 'streaming' | 'ended'>(
    'loading',
  );
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (!allowed) return undefined;
    const abort = new AbortController();
    const lines: string[] = [];
    let pending = false;
    const flush = () => {
      pending = false;
      setText(lines.slice(-MAX_LINES).join('\n'));
    };
    setText('');
    setError(undefined);
    setState('loading');
    api
      .streamLogs(
        entity,
        env,
        { podName: pod.name, container, tailLines: 500, follow },
        line => {
          if (line.type === 'log') lines.push(line.content);
          else if (line.type === 'error') lines.push(`[error] ${line.message}`);
          else if (line.message) lines.push(`[${line.reason}] ${line.message}`);
          setState('streaming');
          if (!pending) {
            pending = true;
            setTimeout(flush, 100);
          }
        },
        abort.signal,
      )
      .then(() => {
        flush();
        setState('ended');
      })
      .catch(e => {
        if (!abort.signal.aborted) {
          setError(errorMessage(e));
          setState('ended');
        }
      });
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [
    api,
    entity.kind,
    entity.namespace,
    entity.name,
    env,
    pod.name,
    container,
    follow,
    allowed,
  ]);

  if (checking) return <Progress />;
  if (!allowed) {
    return (
      <Alert severity="info">{t('troubleshooting.logs.needsPermission')}</Alert>
    );
  }
  return (
    <Box
      role="region"
      aria-label={t('troubleshooting.logs.region', { pod: pod.name })}
    >
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <Typography variant="subtitle2">
          {t('troubleshooting.logs.title', { pod: pod.name })}
        </Typography>
        {containers.length > 0 && (
          <FormControl size="small">
            <InputLabel id={`container-${pod.name}`}>
              {t('troubleshooting.logs.container')}
            </InputLabel>
            <Select
              labelId={`container-${pod.name}`}
              value={container ?? ''}
              onChange={e => setContainer(String(e.target.value))}
              inputProps={{ 'aria-label': t('troubleshooting.logs.container') }}
            >
              {containers.map(c => (
                <MenuItem key={c.name} value={c.name}>
                  {c.name}
                  {c.init ? t('troubleshooting.logs.init') : ''}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        <FormControlLabel
          control={
            <Switch
              checked={follow}
              onChange={e => setFollow(e.target.checked)}
              inputProps={{ 'aria-label': t('troubleshooting.logs.follow') }}
            />
          }
          label={t('troubleshooting.logs.follow')}
        />
        {state === 'streaming' && follow && (
          <Typography variant="caption">
            {t('troubleshooting.logs.following')}
          </Typography>
        )}
      </Box>
      {error && <Alert severity="error">{error}</Alert>}
      {state === 'loading' && <Progress />}
      <div style={{ height: 320 }}>
        <LogViewer
          text={
            text || (state === 'ended' ? t('troubleshooting.logs.noLines') : '')
          }
        />
      </div>
    </Box>
  );
}
