import { Entity } from '@backstage/catalog-model';
import { VersionIdentity } from '@internal/plugin-gitops-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ArgoApplication,
  ArgoApplicationSource,
  ArgoRevisionHistory,
} from '../argocd/types';
import { RevisionFileReader } from './GitRevisionReader';
import { Pipeline, PipelineEnvironment } from '../pipeline';
import { WriteBackSpec, valuesFilePath } from '../writeback/config';
import { readValuesKey } from '../writeback/valuesFile';
import { VersionEvidence, identifyVersion } from './versionIdentity';

/** Entity annotation naming the repository of the application's own image. @internal */
export const IMAGE_ANNOTATION = 'gitops/image';

/** Default Helm parameter of the image tag (the image updater's default too). */
const DEFAULT_TAG_PARAMETER = 'image.tag';

/** What one environment's version is read from. @internal */
export interface VersionContext {
  pipeline: Pipeline;
  environment: PipelineEnvironment;
  /** Base app name (`gitops/app`), when the entity has one. */
  baseApp?: string;
  entity?: Entity;
  app: ArgoApplication;
}

/** A deployed revision: the live one, or one history row. @internal */
export interface DeployedRevision {
  revision?: string;
  revisions?: string[];
  source?: ArgoApplicationSource;
  sources?: ArgoApplicationSource[];
}

/** The revision the app runs: its newest history row, else the synced revision. @internal */
export function liveRevision(app: ArgoApplication): DeployedRevision {
  let last: ArgoRevisionHistory | undefined;
  for (const h of app.status?.history ?? []) {
    if (!last || Number(h.id) > Number(last.id)) last = h;
  }
  if (last) return last;
  return {
    revision: app.status?.sync?.revision,
    revisions: app.status?.sync?.revisions,
    source: app.spec.source,
    sources: app.spec.sources,
  };
}

/**
 * Which source of a (multi-source) application holds the values file: the
 * one whose path contains it, else the `ref` source (`$values/…`), else the
 * first. Pure.
 *
 * @internal
 */
export function valuesSourceIndex(
  sources: ArgoApplicationSource[] | undefined,
  file: string,
): number {
  if (!sources?.length) return 0;
  const byPath = sources.findIndex(
    s => !!s.path && (file === s.path || file.startsWith(`${s.path}/`)),
  );
  if (byPath >= 0) return byPath;
  const byRef = sources.findIndex(s => !!s.ref);
  return byRef >= 0 ? byRef : 0;
}

/** An image repository (no tag, no digest), optionally with placeholders. */
export function isRepositoryTemplate(value: string): boolean {
  const v = value.trim();
  return (
    v.length > 0 &&
    v.length <= 255 &&
    /^[a-z0-9._:/{}-]+$/i.test(v) &&
    !v.includes('@') &&
    !/:[^/]*$/.test(v.replace(/^[^/]*\//, '')) &&
    (v.match(/\{[^}]*\}/g) ?? []).every(p =>
      ['{app}', '{env}', '{appName}'].includes(p),
    )
  );
}

function fill(
  template: string,
  vars: { app?: string; env: string; appName: string },
): string {
  return template
    .replace(/\{app\}/g, vars.app ?? vars.appName)
    .replace(/\{env\}/g, vars.env)
    .replace(/\{appName\}/g, vars.appName);
}

/**
 * Gathers the {@link VersionEvidence} of a deployed revision (I/O: reads the
 * values file with git) and decides with {@link identifyVersion}.
 *
 * The application's image repository comes from config first
 * (`environments[].image`, else the pipeline's `image`, templates with
 * `{app}`, `{env}`, `{appName}`), then from the entity's `gitops/image`
 * annotation, then from the values file (`image.repository` beside the
 * write-back key `image.tag`).
 *
 * @internal
 */
export class VersionEvidenceReader {
  readonly #git?: RevisionFileReader & { hasRepository(n: string): boolean };
  readonly #logger?: LoggerService;
  readonly #writeBackOf: (
    pipeline: string,
    environment: string,
  ) => WriteBackSpec | undefined;

  constructor(options: {
    git?: RevisionFileReader & { hasRepository(n: string): boolean };
    /** The environment's write-back (from the config model). */
    writeBackOf?: (
      pipeline: string,
      environment: string,
    ) => WriteBackSpec | undefined;
    logger?: LoggerService;
  }) {
    this.#git = options.git;
    this.#writeBackOf = options.writeBackOf ?? (() => undefined);
    this.#logger = options.logger;
  }

  /** The write-back of an environment, if any. */
  writeBackOf(ctx: VersionContext): WriteBackSpec | undefined {
    return this.#writeBackOf(ctx.pipeline.name, ctx.environment.name);
  }

  /** Configured image repository (config, then entity annotation). */
  imageRepository(
    ctx: VersionContext,
  ): { value: string; from: string } | undefined {
    const vars = {
      app: ctx.baseApp,
      env: ctx.environment.name,
      appName: ctx.app.metadata.name,
    };
    const configured =
      ctx.environment.config.getOptionalString('image') ??
      ctx.pipeline.config.getOptionalString('image');
    if (configured && isRepositoryTemplate(configured)) {
      return { value: fill(configured.trim(), vars), from: 'config' };
    }
    // A claim of the entity's author: it only picks among the images that
    // run, and Git at the synced revision must agree (else: ambiguous).
    const annotated = ctx.entity?.metadata.annotations?.[IMAGE_ANNOTATION];
    if (annotated && isRepositoryTemplate(annotated)) {
      return { value: fill(annotated.trim(), vars), from: 'entity' };
    }
    return undefined;
  }

  /** Evidence for a deployed revision; `images` only for the live state. */
  async evidence(
    ctx: VersionContext,
    deployed: DeployedRevision,
    extra: Pick<VersionEvidence, 'images' | 'recorded' | 'tags'> = {},
  ): Promise<VersionEvidence> {
    const wb = this.writeBackOf(ctx);
    const repo = this.imageRepository(ctx);
    const e: VersionEvidence = {
      ...extra,
      ...(repo
        ? { imageRepository: repo.value, imageRepositoryFrom: repo.from }
        : {}),
    };
    const sources =
      deployed.sources ?? (deployed.source ? [deployed.source] : []);
    const parameter =
      wb?.method === 'argocd' ? wb.parameter : DEFAULT_TAG_PARAMETER;
    for (const s of sources) {
      const p = s.helm?.parameters?.find(x => x.name === parameter);
      if (p?.value) {
        e.helmParameter = { name: parameter, value: p.value };
        break;
      }
    }
    const chart = sources.find(s => s.chart);
    if (chart && deployed.revision && sources.length === 1) {
      e.chartVersion = deployed.revision;
    }
    if (wb?.method === 'git' && this.#git?.hasRepository(wb.repository)) {
      const file = valuesFilePath(wb.path, {
        app: ctx.baseApp,
        env: ctx.environment.name,
        appName: ctx.app.metadata.name,
      });
      const i = valuesSourceIndex(deployed.sources, file);
      const rev = deployed.revisions?.[i] ?? deployed.revision;
      if (rev) {
        try {
          const text = await this.#git.readFile(wb.repository, rev, file);
          if (text !== undefined) {
            e.git = { file, key: wb.key, value: readValuesKey(text, wb.key) };
            if (!e.imageRepository && wb.key.endsWith('.tag')) {
              const sibling = `${wb.key.slice(0, -'.tag'.length)}.repository`;
              const r = readValuesKey(text, sibling);
              if (r) {
                e.imageRepository = r;
                e.imageRepositoryFrom = 'git';
              }
            }
          }
        } catch (err) {
          this.#logger?.warn(
            `version of ${
              ctx.app.metadata.name
            } at ${rev} could not be read from Git: ${(err as Error).message}`,
          );
        }
      }
    }
    return e;
  }

  /** The version identity of a deployed revision. */
  async identify(
    ctx: VersionContext,
    deployed: DeployedRevision,
    extra: Pick<VersionEvidence, 'images' | 'recorded' | 'tags'> = {},
  ): Promise<VersionIdentity> {
    return identifyVersion(await this.evidence(ctx, deployed, extra));
  }
}
