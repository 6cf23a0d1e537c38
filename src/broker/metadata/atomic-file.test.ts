import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { removeStaleTmp, writeFileAtomicSync } from './atomic-file.js';
import { scratchDirs } from './test-support.js';

const scratch = scratchDirs();

describe('writeFileAtomicSync', () => {
  it('writes a new file and replaces an old one, leaving no .tmp', () => {
    const file = `${scratch()}/f`;
    writeFileAtomicSync(file, 'one');
    writeFileAtomicSync(file, Buffer.from('two'));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('fsyncs the data before the rename and the directory after it', () => {
    const file = `${scratch()}/f`;
    const order: string[] = [];
    const fsync = vi.spyOn(fs, 'fsyncSync').mockImplementation(() => void order.push('fsync'));
    const rename = vi.spyOn(fs, 'renameSync');
    rename.mockImplementation((from, to) => {
      order.push('rename');
      rename.mockRestore();
      fs.renameSync(from, to);
    });
    try {
      writeFileAtomicSync(file, 'x');
    } finally {
      fsync.mockRestore();
      rename.mockRestore();
    }
    expect(order).toEqual(process.platform === 'win32' ? ['fsync', 'rename'] : ['fsync', 'rename', 'fsync']);
  });

  it.each([
    ['fsyncSync', 'the data fsync'],
    ['renameSync', 'the rename'],
  ] as const)('leaves the old file whole when %s fails (%s)', (step, _what) => {
    const file = `${scratch()}/f`;
    writeFileAtomicSync(file, 'old');
    const spy = vi.spyOn(fs, step).mockImplementationOnce(() => {
      throw new Error('EIO: simulated crash');
    });
    try {
      expect(() => writeFileAtomicSync(file, 'new')).toThrow('EIO: simulated crash');
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('removes the .tmp of a write that a crash interrupted', () => {
    const file = `${scratch()}/f`;
    fs.writeFileSync(file, 'committed');
    fs.writeFileSync(`${file}.tmp`, 'half');
    expect(removeStaleTmp(file)).toBe(true);
    expect(removeStaleTmp(file)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('committed');
  });
});
