import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The sendfile(2) addon (native/sendfile.c, built by scripts/build-native.mjs into
 * dist/native/sendfile.node) and the choice between it and the read path.
 *
 * `samsa.fetch.zero.copy`: `auto` (default) sends fetched file regions with sendfile where the addon
 * loaded and the socket is plaintext TCP, and reads them otherwise; `sendfile` asks for it (a broker
 * without the addon warns and reads); `read` always reads (pooled reads, corked writes).
 */
export type ZeroCopyMode = 'auto' | 'sendfile' | 'read';
export const ZERO_COPY_MODES: readonly ZeroCopyMode[] = ['auto', 'sendfile', 'read'];

/**
 * Sends up to `length` bytes of `fileFd` from `position` to the nonblocking socket `socketFd` without
 * blocking; returns the count sent (short, even 0, when the socket's buffer is full). Throws an Error
 * with `code` EPIPE, ECONNRESET, ... or EOF (the file ends inside the region, nothing sent).
 */
export type SendFile = (socketFd: number, fileFd: number, position: number, length: number) => number;

const ADDON = 'dist/native/sendfile.node';
let loaded: { sendFile: SendFile | null; why: string } | null = null;

/** The addon's path: SAMSA_SENDFILE_ADDON, else dist/native/ of the first directory up that has it. */
function addonPath(): string | null {
  const forced = process.env.SAMSA_SENDFILE_ADDON;
  if (forced !== undefined && forced !== '') return forced;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, ADDON))) return join(dir, ADDON);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Loads the addon once; null (with the reason in `sendFileUnavailableReason`) where it cannot be used. */
export function loadSendFile(): SendFile | null {
  if (loaded === null) {
    if (process.platform !== 'linux') loaded = { sendFile: null, why: `sendfile is Linux-only (${process.platform})` };
    else {
      const path = addonPath();
      if (path === null) loaded = { sendFile: null, why: `${ADDON} was not built (node scripts/build-native.mjs)` };
      else {
        try {
          const addon = createRequire(import.meta.url)(path) as { sendFile?: unknown };
          loaded =
            typeof addon.sendFile === 'function'
              ? { sendFile: addon.sendFile as SendFile, why: '' }
              : { sendFile: null, why: `${path} has no sendFile` };
        } catch (err) {
          loaded = { sendFile: null, why: `loading ${path} failed: ${(err as Error).message}` };
        }
      }
    }
  }
  return loaded.sendFile;
}

export function sendFileUnavailableReason(): string {
  loadSendFile();
  return loaded!.why;
}

/** What a connection uses to send file regions: sendfile over this socket's fd, or null to read. */
export function sendFileFor(mode: ZeroCopyMode, socket: Socket): SendFile | null {
  if (mode === 'read' || isEncrypted(socket)) return null;
  return loadSendFile();
}

function isEncrypted(socket: Socket): boolean {
  return (socket as Socket & { encrypted?: boolean }).encrypted === true;
}

/** The OS fd under a TCP socket's libuv handle; -1 once closed (or for sockets without one). */
export function socketFd(socket: Socket): number {
  const handle = (socket as Socket & { _handle?: { fd?: unknown } | null })._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

/** The mode of a samsa.fetch.zero.copy value (validated by the config table; anything else is auto). */
export function zeroCopyMode(value: string): ZeroCopyMode {
  return (ZERO_COPY_MODES as readonly string[]).includes(value) ? (value as ZeroCopyMode) : 'auto';
}
