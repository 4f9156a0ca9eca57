/*
 * Backend instances (replicas) on one PostgreSQL database, each with the
 * events backend, as packages/backend/src/index.ts installs it: an event
 * published through the events service on one instance reaches a subscriber
 * on the other. The signals backend subscribes to its `signals` topic the
 * same way (with an id of its own per process), so this is what carries a
 * signal published on one replica to the browsers connected to another.
 *
 * How the bus does it (events backend on PostgreSQL): each instance delivers
 * an event to its own subscribers in memory, then posts it to its events
 * backend, which stores it in `event_bus_events` for every subscription (row
 * in `event_bus_subscriptions`) that was not notified yet and wakes the other
 * instances' long polls with NOTIFY. A subscription is identified by
 * `<pluginId>.<id>`: an id that every replica uses is ONE subscription, served
 * once per event (by the publishing replica when it has that subscriber), not
 * once per replica.
 *
 * While a backend starts, the events backend's routes are mounted only once
 * its plugin-scoped auth service is ready (on PostgreSQL that waits for its
 * database): a plugin that subscribes earlier gets a 404, and with the
 * default `events.useEventBus: auto` it then stays on its own replica's
 * events until the next restart. app-config.production.yaml sets `always`
 * (retry instead); the last test starts such a replica.
 *
 * PostgreSQL: the test helper of the GitOps backend starts a throwaway
 * PostgreSQL 15 (or reuses BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
 * under CI a missing PostgreSQL fails this file, outside CI it is skipped.
 */
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  EventParams,
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { randomBytes } from 'crypto';
// Test-only reuse of the one PostgreSQL test helper of this repository (the
// plugin exports no testUtils entry point).
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { ensurePostgres } from '@internal/plugin-gitops-backend/src/testUtils/postgres';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const TOPIC = 'gitops-test.replicas';

const pg = ensurePostgres();
jest.setTimeout(60_000);

interface Replica {
  name: string;
  events: EventsService;
  /** The events plugin's database (the bus tables), shared by the replicas. */
  eventsDb: Knex;
  /** What this replica's own subscriber (`probe.replica-<name>`) received. */
  own: EventParams[];
  /** What this replica's `probe.shared` subscriber (same id everywhere) received. */
  shared: EventParams[];
  stop(): Promise<void>;
}

async function startReplica(
  name: string,
  connectionString: string,
  prefix: string,
  options: { eventsRoutesDelayMs?: number } = {},
): Promise<Replica> {
  const own: EventParams[] = [];
  const shared: EventParams[] = [];
  let events: EventsService | undefined;
  let eventsDb: Knex | undefined;
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init(deps) {
          events = deps.events;
          await deps.events.subscribe({
            id: `replica-${name}`,
            topics: [TOPIC],
            onEvent: async e => {
              own.push(e);
            },
          });
          await deps.events.subscribe({
            id: 'shared',
            topics: [TOPIC],
            onEvent: async e => {
              shared.push(e);
            },
          });
        },
      });
    },
  });
  // A module of the events plugin gets the events plugin's database: the test
  // looks at the bus tables through it.
  const eventsDatabase = createBackendModule({
    pluginId: 'events',
    moduleId: 'test-database',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          eventsDb = await database.getClient();
        },
      });
    },
  });
  // The events plugin's auth service (a dependency of its HTTP router) is
  // ready only after the delay, as in a backend that creates the plugin's
  // database first: until then /api/events answers 404.
  const auth = createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      if (plugin.getId() === 'events' && options.eventsRoutesDelayMs) {
        await new Promise(r => setTimeout(r, options.eventsRoutesDelayMs));
      }
      return mockServices.auth({ pluginId: plugin.getId() });
    },
  });
  const backend = await startTestBackend({
    features: [
      // the real events service (startTestBackend's default is an in-memory mock)
      eventsServiceFactory,
      auth,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'pg', connection: connectionString, prefix },
          },
          events: {
            // as app-config.production.yaml sets it
            useEventBus: 'always',
            // long polls end within 2 s, so that stopping a replica is quick
            notifyTimeoutMs: 2000,
          },
        },
      }),
      eventsPlugin,
      eventsDatabase,
      probe,
    ],
  });
  return {
    name,
    events: events!,
    eventsDb: eventsDb!,
    own,
    shared,
    stop: () => backend.stop(),
  };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

const payloads = (received: EventParams[]) =>
  received.map(e => (e.eventPayload as { n: number }).n);

if (!pg.connectionString) {
  it.todo('events cross replicas on PostgreSQL (needs PostgreSQL 15)');
} else {
  const connectionString = pg.connectionString;
  describe('events backend: replicas on one PostgreSQL database', () => {
    // unique per run: a reused server (npm test's) may hold earlier runs' databases
    const prefix = `evbus_${randomBytes(4).toString('hex')}_`;
    let a: Replica;
    let b: Replica;

    const subscribed = (ids: string[]) =>
      waitFor(`the subscriptions ${ids.join(', ')}`, async () => {
        const rows: Array<{ id: string }> = await a
          .eventsDb('event_bus_subscriptions')
          .select('id');
        const have = rows.map(r => r.id);
        return ids.every(id => have.includes(id)) ? have : undefined;
      });

    beforeAll(async () => {
      a = await startReplica('a', connectionString, prefix);
      b = await startReplica('b', connectionString, prefix);
      // Every subscriber registers its subscription with its own replica's
      // events backend (asynchronously); an event published before that
      // reaches only the publishing replica.
      await subscribed(['probe.replica-a', 'probe.replica-b', 'probe.shared']);
    });

    let c: Replica | undefined;
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
      pg.stop();
    });

    it('an event published on replica A reaches the subscriber on replica B, and back', async () => {
      await a.events.publish({ topic: TOPIC, eventPayload: { n: 1 } });
      // A's own subscribers got it in memory, during publish
      expect(payloads(a.own)).toEqual([1]);

      await waitFor('event 1 on replica B', () =>
        b.own.length ? b.own : undefined,
      );
      expect(b.own).toEqual([
        expect.objectContaining({ topic: TOPIC, eventPayload: { n: 1 } }),
      ]);

      // it went through the shared database: stored once, marked as already
      // delivered to A's subscribers
      const rows: Array<{ topic: string; notified_subscribers: string[] }> =
        await b
          .eventsDb('event_bus_events')
          .where({ topic: TOPIC })
          .select('topic', 'notified_subscribers');
      expect(rows).toHaveLength(1);
      expect([...rows[0].notified_subscribers].sort()).toEqual([
        'probe.replica-a',
        'probe.shared',
      ]);

      await b.events.publish({ topic: TOPIC, eventPayload: { n: 2 } });
      await waitFor('event 2 on replica A', () =>
        a.own.length === 2 ? a.own : undefined,
      );
      expect(payloads(a.own)).toEqual([1, 2]);
      expect(payloads(b.own)).toEqual([1, 2]);
    });

    it('a subscription id every replica uses is served once per event, by the publishing replica', async () => {
      await a.events.publish({ topic: TOPIC, eventPayload: { n: 3 } });
      await waitFor('event 3 on replica B', () =>
        b.own.some(e => (e.eventPayload as { n: number }).n === 3)
          ? true
          : undefined,
      );
      // B's `probe.shared` poll woke up on the same notification; give it time
      await new Promise(r => setTimeout(r, 500));
      expect(payloads(a.shared)).toEqual([1, 3]);
      expect(payloads(b.shared)).toEqual([2]);
    });

    it("a replica whose events backend mounts late (404 at its first subscribe) still gets the other replicas' events", async () => {
      c = await startReplica('c', connectionString, prefix, {
        eventsRoutesDelayMs: 1500,
      });
      // its first subscribe gets a 404; the retry 1 s later registers it
      // (with `useEventBus: auto` it would stop at the 404 and this times out)
      await subscribed(['probe.replica-c']);
      await a.events.publish({ topic: TOPIC, eventPayload: { n: 4 } });
      const replicaC = c;
      await waitFor('event 4 on replica C', () =>
        replicaC.own.length ? true : undefined,
      );
      expect(payloads(replicaC.own)).toEqual([4]);
    });
  });
}
