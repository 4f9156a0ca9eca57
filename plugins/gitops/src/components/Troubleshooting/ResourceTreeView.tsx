import { Box, Typography, makeStyles } from '@material-ui/core';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import TreeItem from '@material-ui/lab/TreeItem';
import TreeView from '@material-ui/lab/TreeView';
import type { ResourceTreeNode } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { NodeHealth } from './NodeHealth';

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
    flexWrap: 'wrap',
  },
  kind: { color: theme.palette.text.secondary, minWidth: 80 },
  name: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  },
  message: {
    color: theme.palette.text.secondary,
    width: '100%',
    paddingLeft: 88,
  },
  outOfSync: { color: theme.palette.warning.main, fontSize: 12 },
}));

/** Stable id of a tree node (uid when Argo CD gives one). */
export function nodeId(n: ResourceTreeNode): string {
  return n.uid ?? `${n.group ?? ''}/${n.kind}/${n.namespace ?? ''}/${n.name}`;
}

/** Ids of the nodes on an unhealthy path (opened by default). */
export function unhealthyIds(nodes: ResourceTreeNode[]): string[] {
  return nodes.flatMap(n =>
    n.unhealthyPath ? [nodeId(n), ...unhealthyIds(n.children)] : [],
  );
}

/** Finds the first unhealthy leaf (e.g. the failing pod) to select first. */
export function firstUnhealthyLeaf(
  nodes: ResourceTreeNode[],
): ResourceTreeNode | undefined {
  for (const n of nodes) {
    if (!n.unhealthyPath) continue;
    return firstUnhealthyLeaf(n.children) ?? n;
  }
  return undefined;
}

function Node({ node }: { node: ResourceTreeNode }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const reason = node.info.find(i => i.name === 'Status Reason')?.value;
  return (
    <TreeItem
      nodeId={nodeId(node)}
      label={
        <Box className={classes.label} aria-label={`${node.kind} ${node.name}`}>
          <Typography variant="body2" className={classes.kind}>
            {node.kind}
          </Typography>
          <Typography variant="body2" className={classes.name}>
            {node.name}
          </Typography>
          {node.health && <NodeHealth status={node.health.status} />}
          {reason && reason !== 'Running' && (
            <Typography variant="body2">{reason}</Typography>
          )}
          {node.syncStatus === 'OutOfSync' && (
            <span className={classes.outOfSync}>
              {t('troubleshooting.outOfSync')}
            </span>
          )}
          {node.health?.message && (
            <Typography variant="caption" className={classes.message}>
              {node.health.message}
            </Typography>
          )}
        </Box>
      }
    >
      {node.children.map(c => (
        <Node key={nodeId(c)} node={c} />
      ))}
    </TreeItem>
  );
}

/**
 * The resource tree (parent → children) with the unhealthy path opened;
 * selecting a resource shows its events (and a pod's logs) beside it.
 */
export function ResourceTreeView(props: {
  roots: ResourceTreeNode[];
  selected?: string;
  onSelect: (node: ResourceTreeNode) => void;
}) {
  const { roots, selected, onSelect } = props;
  const t = useGitOpsTranslation();
  const byId = new Map<string, ResourceTreeNode>();
  const index = (ns: ResourceTreeNode[]) =>
    ns.forEach(n => {
      byId.set(nodeId(n), n);
      index(n.children);
    });
  index(roots);
  return (
    <TreeView
      aria-label={t('troubleshooting.resourceTree')}
      defaultCollapseIcon={<ExpandMoreIcon />}
      defaultExpandIcon={<ChevronRightIcon />}
      defaultExpanded={unhealthyIds(roots)}
      selected={selected ?? ''}
      onNodeSelect={(_e: unknown, id: string) => {
        const n = byId.get(id);
        if (n) onSelect(n);
      }}
    >
      {roots.map(n => (
        <Node key={nodeId(n)} node={n} />
      ))}
    </TreeView>
  );
}
