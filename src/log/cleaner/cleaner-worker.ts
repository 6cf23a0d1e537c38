/**
 * The cleaner's worker thread: receives CleanTasks, runs them (clean-task.ts) and posts a
 * CleanerReply for each. It keeps one offset map between tasks (log.cleaner.dedupe.buffer.size is
 * allocated once, as Kafka's cleaner thread does) and shares no state with the main thread.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { type CleanTask, runCleanTask } from './clean-task.js';
import type { CleanerReply } from './cleaner-thread.js';
import { SkimpyOffsetMap } from './offset-map.js';

let map: SkimpyOffsetMap | null = null;
let mapMemory = -1;

const port = parentPort;
if (port === null) throw new Error('cleaner-worker must run in a worker thread');
port.on('message', (task: CleanTask) => {
  let reply: CleanerReply;
  try {
    if (map === null || mapMemory !== task.dedupeBufferSize) {
      map = null;
      map = new SkimpyOffsetMap(task.dedupeBufferSize);
      mapMemory = task.dedupeBufferSize;
    }
    reply = { id: task.id, result: runCleanTask(task, map, threadId), error: null };
  } catch (err) {
    reply = { id: task.id, result: null, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port.postMessage(reply);
});
