import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The physical limits beside the workloads, measured in the same run: how fast bytes cross loopback
 * TCP, and how fast the disk under the brokers' data dirs takes sequential writes.
 */
const run = promisify(execFile);

/**
 * One TCP connection over 127.0.0.1, a client writing 1 MiB buffers as fast as the socket drains
 * and a server discarding them, for `ms`; bytes per second received. Both ends are in this Node
 * process, so this is a floor for loopback (a C tool would go higher), but it is what one Node event
 * loop can push through a socket: the relevant ceiling for a broker built the same way.
 */
export async function loopbackTcpBytesPerSec(ms = 3000): Promise<number> {
  let received = 0;
  const server = createServer((s) => s.on('data', (c: Buffer) => (received += c.length)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sock = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const t0 = performance.now();
  let start = 0;
  let startBytes = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = performance.now();
      if (start === 0 && now - t0 > 300) {
        start = now;
        startBytes = received;
      }
      if (start !== 0 && now - start > ms) return resolve();
      while (sock.write(chunk));
      sock.once('drain', pump);
    };
    pump();
  });
  const rate = (received - startBytes) / ((performance.now() - start) / 1000);
  sock.destroy();
  await new Promise((r) => server.close(r));
  return rate;
}

/** `dd if=/dev/zero bs=1M count=<mib> conv=fdatasync` into the temp dir; bytes per second, from dd's own report. */
export async function diskSequentialWriteBytesPerSec(mib = 1024): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'compare-dd-'));
  try {
    const { stderr } = await run('dd', [
      'if=/dev/zero',
      `of=${join(dir, 'f')}`,
      'bs=1M',
      `count=${mib}`,
      'conv=fdatasync',
    ]);
    // "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.1 s, 512 MB/s"
    const m = /(\d+) bytes .* copied, ([\d.]+) s/.exec(stderr);
    if (!m) throw new Error(`unexpected dd output: ${stderr}`);
    return Number(m[1]) / Number(m[2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
