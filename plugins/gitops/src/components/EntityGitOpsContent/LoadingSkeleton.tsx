import { Box, Card, CardContent, Grid } from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

/** Placeholder cards while the first state loads. */
export function LoadingSkeleton({ count }: { count: number }) {
  const t = useGitOpsTranslation();
  return (
    <Box aria-busy="true" aria-label={t('loadingLabel')} role="progressbar">
      <Grid container spacing={2}>
        {Array.from({ length: count }, (_, i) => (
          <Grid item xs={12} md={4} key={i}>
            <Card>
              <CardContent>
                <Skeleton width="40%" height={32} />
                <Skeleton width="60%" height={40} />
                <Skeleton width="80%" />
                <Skeleton width="70%" />
                <Skeleton width="50%" />
              </CardContent>
            </Card>
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}
