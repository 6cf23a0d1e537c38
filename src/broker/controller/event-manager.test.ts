import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '../logger.js';
import { ControllerEventManager } from './event-manager.js';

const silent = new Logger('test');

describe('ControllerEventManager', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs events one at a time, in order, and a failure does not stop the queue', async () => {
    const events = new ControllerEventManager(silent);
    const seen: string[] = [];
    const slow = events.put('a', async () => {
      await new Promise((r) => setTimeout(r, 20));
      seen.push('a');
    });
    const failing = events.put('b', () => Promise.reject(new Error('boom')));
    const last = events.put('c', () => Promise.resolve(seen.push('c')));
    await slow;
    await expect(failing).rejects.toThrow('boom');
    await last;
    expect(seen).toEqual(['a', 'c']);
  });

  it('queues a failed posted event again until it succeeds (a watch lost to a connection loss)', async () => {
    vi.useFakeTimers();
    const events = new ControllerEventManager(silent);
    let runs = 0;
    events.post('IsrChangeNotification', () =>
      ++runs < 3 ? Promise.reject(new Error('CONNECTION_LOSS')) : Promise.resolve(),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
  });

  it('stops retrying once closed', async () => {
    vi.useFakeTimers();
    const events = new ControllerEventManager(silent);
    let runs = 0;
    events.post('BrokerChange', () => (++runs, Promise.reject(new Error('CONNECTION_LOSS'))));
    await vi.advanceTimersByTimeAsync(0);
    await events.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(1);
    await expect(events.put('late', () => Promise.resolve())).rejects.toThrow('closed');
  });
});
