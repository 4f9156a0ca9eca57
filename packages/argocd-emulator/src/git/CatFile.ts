/** A long-lived `git cat-file --batch` process for cheap reads of immutable objects. */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

interface Pending {
  resolve: (v: { type: string; content: Buffer } | undefined) => void;
  reject: (e: Error) => void;
}

/** @public */
export class CatFile {
  readonly #dir: string;
  #proc?: ChildProcessWithoutNullStreams;
  #buf = Buffer.alloc(0);
  #queue: Pending[] = [];
  #closed = false;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#proc) return this.#proc;
    const proc = spawn('git', ['cat-file', '--batch'], {
      cwd: this.#dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#drain();
    });
    const fail = (e: Error) => {
      const q = this.#queue;
      this.#queue = [];
      this.#proc = undefined;
      this.#buf = Buffer.alloc(0);
      q.forEach(p => p.reject(e));
    };
    proc.on('error', fail);
    proc.on('exit', () => fail(new Error('git cat-file exited')));
    proc.stdin.on('error', () => undefined);
    this.#proc = proc;
    return proc;
  }

  #drain() {
    for (;;) {
      const p = this.#queue[0];
      if (!p) return;
      const nl = this.#buf.indexOf(0x0a);
      if (nl < 0) return;
      const header = this.#buf.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.#buf = this.#buf.subarray(nl + 1);
        this.#queue.shift();
        p.resolve(undefined);
        continue;
      }
      const [, type, sizeStr] = header.split(' ');
      const size = Number(sizeStr);
      if (this.#buf.length < nl + 1 + size + 1) return;
      const content = Buffer.from(this.#buf.subarray(nl + 1, nl + 1 + size));
      this.#buf = this.#buf.subarray(nl + 1 + size + 1);
      this.#queue.shift();
      p.resolve({ type, content });
    }
  }

  /** Reads an object by name (`<sha>:<path>`, `<sha>`); undefined when missing. */
  read(name: string): Promise<{ type: string; content: Buffer } | undefined> {
    if (this.#closed) return Promise.reject(new Error('cat-file closed'));
    if (/[\r\n]/.test(name)) return Promise.resolve(undefined);
    const proc = this.#start();
    return new Promise((resolve, reject) => {
      this.#queue.push({ resolve, reject });
      proc.stdin.write(`${name}\n`);
    });
  }

  close() {
    this.#closed = true;
    if (this.#proc) {
      this.#proc.removeAllListeners('exit');
      this.#proc.stdin.end();
      this.#proc.kill();
      this.#proc = undefined;
    }
  }
}
