import type { TopicMetadata } from './types.js';

/**
 * The read-side indexes both metadata stores keep beside their topics: by name order (what
 * `topics()` returns, frozen) and by topic id. Rebuilt whole after every change, never patched.
 */
export interface TopicIndex {
  readonly sorted: readonly TopicMetadata[];
  readonly byId: ReadonlyMap<string, TopicMetadata>;
}

export const EMPTY_TOPIC_INDEX: TopicIndex = Object.freeze({ sorted: Object.freeze([]), byId: new Map() });

export function indexTopics(topics: Iterable<TopicMetadata>): TopicIndex {
  const all = [...topics];
  return {
    byId: new Map(all.map((t) => [t.topicId, t])),
    sorted: Object.freeze(all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
  };
}
