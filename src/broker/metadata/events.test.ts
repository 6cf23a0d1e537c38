import { describe, expect, it } from 'vitest';
import { MetadataListeners, type MetadataEvent } from './events.js';
import { RecordingLogger } from './test-support.js';

const registered = (brokerId: number): MetadataEvent => ({
  type: 'brokerRegistered',
  broker: { brokerId, host: 'h', port: 1, rack: null, endpoints: [] },
});

describe('MetadataListeners', () => {
  it('delivers to every subscriber until it unsubscribes', () => {
    const listeners = new MetadataListeners(new RecordingLogger());
    const seen: number[] = [];
    const off = listeners.subscribe((_, v) => seen.push(v));
    listeners.emit(registered(1), 1);
    off();
    listeners.emit(registered(2), 2);
    expect(seen).toEqual([1]);
  });

  it('keeps order when a listener causes another event', () => {
    const listeners = new MetadataListeners(new RecordingLogger());
    const seen: string[] = [];
    listeners.subscribe((e, v) => {
      seen.push(`a${v}`);
      if (v === 1) listeners.emit({ type: 'brokerUnregistered', brokerId: 1 }, 2);
    });
    listeners.subscribe((_, v) => seen.push(`b${v}`));
    listeners.emit(registered(1), 1);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('logs a throwing listener and goes on with the others', () => {
    const logger = new RecordingLogger();
    const listeners = new MetadataListeners(logger);
    const seen: number[] = [];
    listeners.subscribe(() => {
      throw new Error('boom');
    });
    listeners.subscribe((_, v) => seen.push(v));
    listeners.emit(registered(1), 1);
    listeners.emit(registered(2), 2);
    expect(seen).toEqual([1, 2]);
    expect(logger.lines.filter((l) => l.startsWith('ERROR') && l.includes('boom'))).toHaveLength(2);
  });
});
