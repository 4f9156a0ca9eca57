import net from 'node:net';
import os from 'node:os';
import { startEmulator, EmulatorHandle } from './startEmulator';

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect({ host, port });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/** This machine's first non-loopback IPv4 address (127.0.0.2 when it has none: loopback, but not the bound one). */
function otherAddress(): string {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? [])
      if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.2';
}

describe('listen address', () => {
  let emu: EmulatorHandle | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('binds 127.0.0.1 by default: reachable on loopback, refused on another address', async () => {
    emu = await startEmulator({ instance: 'none' });
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(await connects('127.0.0.1', emu.port)).toBe(true);
    expect(await connects(otherAddress(), emu.port)).toBe(false);
  });

  it('listens on every interface only when asked to', async () => {
    emu = await startEmulator({ instance: 'none', host: '0.0.0.0' });
    expect(emu.url).toBe(`http://localhost:${emu.port}`);
    expect(await connects(otherAddress(), emu.port)).toBe(true);
  });
});
