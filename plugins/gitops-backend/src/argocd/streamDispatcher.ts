import { Agent } from 'undici';

/**
 * The HTTP dispatcher of Argo CD's long-lived streams (application watch, pod
 * logs). Node's fetch ends a body that sends nothing for 300 s
 * (UND_ERR_BODY_TIMEOUT), and Argo CD's watch sends no heartbeat: a quiet
 * instance would cut the mirror's stream every five minutes and send its reads
 * to Argo CD while it re-lists. Streams are ended by their abort signal and by
 * the mirror's periodic list instead; connecting and the headers keep the
 * instance timeout (the caller's own timer).
 */
let agent: Agent | undefined;

/** @internal */
export function streamDispatcher(): Agent {
  agent ??= new Agent({ bodyTimeout: 0 });
  return agent;
}
