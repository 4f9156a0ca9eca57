import { mockServices } from '@backstage/backend-test-utils';
import { GitOpsSignalPublisher } from './GitOpsSignalPublisher';
import { fakeSignals, manualTimers } from './__testUtils__/fakes';

const REF = 'component:default/python-api-base';
const OTHER = 'component:default/billing';

function setup(opts: { fail?: boolean } = {}) {
  const timers = manualTimers();
  const signals = fakeSignals({ ...opts, aside: ['gitops:fleet'] });
  const logger = mockServices.logger.mock();
  const publisher = new GitOpsSignalPublisher({
    signals: signals.service,
    logger,
    timers,
    now: timers.now,
  });
  // publish runs on a resolved promise
  const settle = () => new Promise(r => setImmediate(r));
  return {
    publisher,
    timers,
    published: signals.published,
    fleet: signals.asideMessages,
    logger,
    settle,
  };
}

describe('GitOpsSignalPublisher', () => {
  it('an environment change is broadcast at once on the entity channel, with names and times only', async () => {
    const { publisher, published, timers, settle } = setup();
    timers.advance(1000);
    publisher.environmentChanged(REF, ['dev'], 990);
    await settle();
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: `gitops:entity:${REF}`,
        message: {
          entityRef: REF,
          environments: ['dev'],
          changes: [],
          observedAt: 990,
          sentAt: 1000,
        },
      },
    ]);
  });

  it('a burst of one entity within 250 ms is one more message, merged, with the earliest observation', async () => {
    const { publisher, published, timers, settle } = setup();
    publisher.environmentChanged(REF, ['dev'], 0);
    timers.advance(50);
    publisher.environmentChanged(REF, ['staging'], 50);
    publisher.environmentChanged(REF, ['dev'], 60);
    publisher.environmentChanged(OTHER, ['prod'], 70);
    timers.advance(100);
    publisher.environmentChanged(REF, [], 150);
    await settle();
    expect(published.map(p => p.channel)).toEqual([
      `gitops:entity:${REF}`,
      `gitops:entity:${OTHER}`,
    ]);
    timers.advance(100); // t = 250: the window of REF ends
    await settle();
    expect(published).toHaveLength(3);
    expect(published[2].message).toEqual({
      entityRef: REF,
      environments: ['dev', 'staging'],
      changes: [],
      observedAt: 50,
      sentAt: 250,
    });
    timers.advance(1000);
    await settle();
    expect(published).toHaveLength(3);
  });

  it('a change request that moves goes to its entity (with the environment) and to the inbox channel (without the entity)', async () => {
    const { publisher, published, settle } = setup();
    publisher.changeMoved(
      { id: 'c1', entityRef: REF, environment: 'prod', state: 'approved' },
      5,
    );
    await settle();
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: `gitops:entity:${REF}`,
        message: {
          entityRef: REF,
          environments: [],
          changes: [{ id: 'c1', environment: 'prod', state: 'approved' }],
          observedAt: 5,
          sentAt: 0,
        },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'gitops:changes',
        message: {
          changes: [{ id: 'c1', state: 'approved' }],
          observedAt: 5,
          sentAt: 0,
        },
      },
    ]);
  });

  it('coalesced transitions keep the last state of each change, and environment changes of the same entity join them', async () => {
    const { publisher, published, timers, settle } = setup();
    const c1 = { id: 'c1', entityRef: REF, environment: 'prod' };
    publisher.changeMoved({ ...c1, state: 'approved' }, 0);
    publisher.changeMoved({ ...c1, state: 'executing' }, 10);
    publisher.environmentChanged(REF, ['prod'], 20);
    publisher.changeMoved(
      { id: 'c2', entityRef: OTHER, environment: 'dev', state: 'expired' },
      30,
    );
    publisher.changeMoved({ ...c1, state: 'succeeded' }, 40);
    timers.advance(250);
    await settle();
    const entity = published.filter(p => p.channel === `gitops:entity:${REF}`);
    expect(entity.map(p => p.message)).toEqual([
      expect.objectContaining({
        changes: [{ id: 'c1', environment: 'prod', state: 'approved' }],
      }),
      {
        entityRef: REF,
        environments: ['prod'],
        changes: [{ id: 'c1', environment: 'prod', state: 'succeeded' }],
        observedAt: 10,
        sentAt: 250,
      },
    ]);
    const inbox = published.filter(p => p.channel === 'gitops:changes');
    expect(inbox.map(p => p.message)).toEqual([
      { changes: [{ id: 'c1', state: 'approved' }], observedAt: 0, sentAt: 0 },
      {
        changes: [
          { id: 'c1', state: 'succeeded' },
          { id: 'c2', state: 'expired' },
        ],
        observedAt: 10,
        sentAt: 250,
      },
    ]);
  });

  it('a failing signals service is logged, never thrown', async () => {
    const { publisher, logger, settle } = setup({ fail: true });
    expect(() => publisher.environmentChanged(REF, ['dev'], 0)).not.toThrow();
    await settle();
    expect(logger.warn).toHaveBeenCalledWith(
      `could not publish the live update on gitops:entity:${REF}: Error: events bus down`,
    );
  });

  it('the fleet channel gets one timestamp-only message at once and at most one per second after, for any movement', async () => {
    const s = setup();
    s.publisher.environmentChanged(REF, ['dev'], 0);
    s.publisher.changeMoved(
      { id: 'c1', entityRef: OTHER, environment: 'prod', state: 'failed' },
      3,
    );
    for (let t = 0; t < 20; t++) {
      s.timers.advance(100);
      s.publisher.environmentChanged(
        `component:default/e${t}`,
        ['dev'],
        100 * (t + 1),
      );
    }
    s.timers.advance(1000);
    await s.settle();
    const fleet = s.fleet;
    expect(fleet.map(p => p.message)).toEqual([
      { observedAt: 0, sentAt: 0 },
      { observedAt: 3, sentAt: 1000 },
      { observedAt: 1000, sentAt: 2000 },
      { observedAt: 2000, sentAt: 3000 },
    ]);
    expect(fleet.every(p => p.recipients.type === 'broadcast')).toBe(true);
  });

  it('stop drops what is pending', async () => {
    const { publisher, published, timers, settle } = setup();
    publisher.environmentChanged(REF, ['dev'], 0);
    publisher.environmentChanged(REF, ['prod'], 1);
    publisher.stop();
    timers.advance(1000);
    await settle();
    expect(published).toHaveLength(1);
  });
});
