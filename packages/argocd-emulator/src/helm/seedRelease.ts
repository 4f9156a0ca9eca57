/** Builds realistic Helm release records for the seed's Helm-CLI releases. */
import type { HelmRelease } from './release';
import type { SeedHelmRelease, SeedHelmRevision } from '../seed';

const JOB_TEMPLATE = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-{{ .Release.Revision }}
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          args: ["alembic", "upgrade", "head"]
`;

function iso(d: Date): string {
  return d.toISOString();
}

/** Release record of revision `version` of a seeded release. @public */
export function buildHelmRelease(
  rel: SeedHelmRelease,
  version: number,
  rev: SeedHelmRevision,
  firstDeployed: Date,
  deployedAt: Date,
): HelmRelease {
  const config = { image: { tag: rev.tag } };
  const manifest = `---
# Source: ${rel.chartName}/templates/job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: ${rel.name}-${version}
  labels:
    app.kubernetes.io/instance: ${rel.name}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "${rel.imageRepository}:${rev.tag}"
          args: ["alembic", "upgrade", "head"]
`;
  return {
    name: rel.name,
    namespace: rel.namespace,
    version,
    info: {
      first_deployed: iso(firstDeployed),
      last_deployed: iso(deployedAt),
      deleted: '',
      description: rev.description,
      status: rev.status,
      notes: `Database migrations for ${rel.name} ran with image tag ${rev.tag}.`,
    },
    chart: {
      metadata: {
        name: rel.chartName,
        version: rel.chartVersion,
        description: 'Database migrations job',
        apiVersion: 'v2',
        appVersion: rev.tag,
        type: 'application',
      },
      lock: null,
      templates: [
        {
          name: 'templates/job.yaml',
          data: Buffer.from(JOB_TEMPLATE).toString('base64'),
        },
      ],
      values: { image: { repository: rel.imageRepository, tag: 'latest' } },
      schema: null,
      files: [],
    },
    config,
    manifest,
    hooks: [],
  };
}
