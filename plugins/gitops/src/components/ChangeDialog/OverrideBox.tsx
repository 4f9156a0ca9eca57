import {
  Box,
  Checkbox,
  FormControlLabel,
  Typography,
  makeStyles,
} from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

const useStyles = makeStyles(theme => ({
  danger: {
    border: `2px solid ${theme.palette.error.main}`,
    borderRadius: 4,
    padding: theme.spacing(1, 2),
    marginTop: theme.spacing(2),
  },
  icon: { color: theme.palette.error.main },
}));

/** The emergency override switch, with its warning. */
export function OverrideBox(props: {
  override: boolean;
  onChange: (override: boolean) => void;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  return (
    <Box className={classes.danger}>
      <FormControlLabel
        control={
          <Checkbox
            checked={props.override}
            onChange={e => props.onChange(e.target.checked)}
            inputProps={{ 'aria-label': t('dialog.overrideLabel') }}
            className={classes.icon}
          />
        }
        label={
          <Box display="flex" alignItems="center" gridGap={4}>
            <WarningIcon className={classes.icon} />
            <strong>{t('dialog.overrideLabel')}</strong>
          </Box>
        }
      />
      <Typography variant="body2">{t('dialog.overrideWarning')}</Typography>
    </Box>
  );
}
