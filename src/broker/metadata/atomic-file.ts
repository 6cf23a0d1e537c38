/**
 * Crash-safe replacement of a small file, as Kafka writes its checkpoints and meta.properties:
 * write `<file>.tmp`, fsync it, rename it over `<file>`, fsync the directory. After a crash at any
 * step the file is either the old one or the new one, never a mix; a leftover `.tmp` is a write that
 * never committed and is discarded by the next reader (removeStaleTmp).
 *
 * Synchronous on purpose: the metadata store changes state in one synchronous step (DESIGN.md §5),
 * and these files are small and rarely written.
 */
import fs from 'node:fs';
import path from 'node:path';

export const TMP_SUFFIX = '.tmp';

export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  const tmp = file + TMP_SUFFIX;
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirectory(path.dirname(file));
}

/** Make a rename or a new file in `dir` durable. Windows cannot open a directory for fsync; skip there. */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Delete the `.tmp` of an uncommitted write of `file`; true when there was one. */
export function removeStaleTmp(file: string): boolean {
  const tmp = file + TMP_SUFFIX;
  if (!fs.existsSync(tmp)) return false;
  fs.rmSync(tmp, { force: true });
  return true;
}
