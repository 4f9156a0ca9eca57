import { ConfigReader } from '@backstage/config';
import { EmulatorHandle } from '@internal/argocd-emulator';
import { ArgoCdClient } from '../../argocd/ArgoCdClient';
import { readArgoCdInstances } from '../../argocd/config';
import { DEFAULT_BINDINGS } from '../../binding/types';
import { ReadCache } from '../../cache/ReadCache';
import { ApplicationMirrors } from '../ApplicationMirrors';
import { clientUpstream } from '../applicationMirrorsServiceRef';
import { MirrorConfig } from '../types';

/**
 * One backend replica against an emulator's instance 'local': its own Argo CD
 * client, read cache and mirrors (not started), with quick reconnects.
 */
export function emulatorReplica(
  emu: EmulatorHandle,
  config: Partial<MirrorConfig> = {},
): { client: ArgoCdClient; mirrors: ApplicationMirrors } {
  const client = ArgoCdClient.create({
    instances: readArgoCdInstances(
      new ConfigReader({
        gitops: {
          argocd: {
            instances: [
              { name: 'local', url: emu.url, token: emu.token, timeout: '5s' },
            ],
          },
        },
      }),
    ),
    cache: ReadCache.create({ defaultTtlMs: 5_000 }),
  });
  const mirrors = new ApplicationMirrors({
    instances: ['local'],
    upstream: clientUpstream(client),
    bindings: DEFAULT_BINDINGS,
    config: {
      enabled: true,
      initialBackoffMs: 20,
      maxBackoffMs: 200,
      resyncAfterFailures: 1000,
      ...config,
    },
  });
  return { client, mirrors };
}
