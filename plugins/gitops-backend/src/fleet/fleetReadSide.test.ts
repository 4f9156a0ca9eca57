import { DeploymentService } from '../deployments/DeploymentService';
import { fleetDeployments } from './fleetReadSide';

/** A deployment service double: only what the proxy touches. */
class FakeDeployments {
  queries = 0;
  #instances: string[];
  constructor(instances: string[]) {
    this.#instances = instances;
  }
  async changedInstances() {
    this.queries += 1;
    await new Promise(r => setTimeout(r, 5));
    return this.#instances;
  }
  list(entityRef: string) {
    // uses a private field: called with the real instance as `this`
    return Promise.resolve([`${entityRef}:${this.#instances.length}`]);
  }
}

describe('fleetDeployments', () => {
  it('one query for the calls of one view; the first caller gets the changed instances', async () => {
    let now = 1_000;
    const fake = new FakeDeployments(['local']);
    const d = fleetDeployments(fake as unknown as DeploymentService, () => now);
    const results = await Promise.all(
      Array.from({ length: 700 }, () => d.changedInstances()),
    );
    expect(fake.queries).toBe(1);
    expect(results[0]).toEqual(['local']);
    expect(results.slice(1).every(r => r.length === 0)).toBe(true);
    now += 999;
    await d.changedInstances();
    expect(fake.queries).toBe(1);
    now += 1;
    expect(await d.changedInstances()).toEqual(['local']);
    expect(fake.queries).toBe(2);
  });

  it('a failed look is shared too, and the next view asks again', async () => {
    let now = 0;
    const fake = {
      calls: 0,
      changedInstances() {
        this.calls += 1;
        return Promise.reject(new Error('db down'));
      },
    };
    const d = fleetDeployments(fake as unknown as DeploymentService, () => now);
    await expect(d.changedInstances()).rejects.toThrow('db down');
    await expect(d.changedInstances()).resolves.toEqual([]);
    now = 5_000;
    await expect(d.changedInstances()).rejects.toThrow('db down');
    expect(fake.calls).toBe(2);
  });

  it('writes no health observation; every other method is the service own, bound to it', async () => {
    const fake = new FakeDeployments(['a', 'b']);
    const observe = jest.fn();
    Object.assign(fake, { observe });
    const d = fleetDeployments(fake as unknown as DeploymentService);
    await d.observe({} as any, 'v1');
    expect(observe).not.toHaveBeenCalled();
    expect(await d.list('component:default/x', 'prod')).toEqual([
      'component:default/x:2',
    ]);
  });
});
