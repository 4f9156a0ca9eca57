import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { Button } from '@material-ui/core';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import type { EnvironmentState } from '@internal/plugin-gitops-common';
import { useState } from 'react';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { TroubleshootingDialog, troubleOf } from './TroubleshootingDialog';

/** "Why?" on a Degraded, OutOfSync or failed environment card: opens the troubleshooting view. */
export function WhyButton({ env }: { env: EnvironmentState }) {
  const { entity } = useEntity();
  const t = useGitOpsTranslation();
  const [open, setOpen] = useState(false);
  const trouble = troubleOf(t, env);
  if (!trouble || !env.application) return null;
  return (
    <>
      <Button
        size="small"
        color="secondary"
        variant="outlined"
        startIcon={<HelpOutlineIcon />}
        onClick={() => setOpen(true)}
        aria-label={t('troubleshooting.whyLabel', { env: env.name, trouble })}
      >
        {t('troubleshooting.why')}
      </Button>
      {open && (
        <TroubleshootingDialog
          entity={getCompoundEntityRef(entity)}
          env={env}
          open={open}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
