/**
 * Keys outside the broker table are ignored with a warning, which points to the key that was probably
 * meant: the broker-wide synonym of a topic config, or a known key a small typo away.
 */
import { BROKER_CONFIG_KEYS } from './broker-defs.js';
import { topicKeyDef } from './topic-defs.js';

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function unknownKeyWarning(key: string, origin?: string): string {
  const where = origin === undefined ? '' : `${origin}: `;
  const topic = topicKeyDef(key);
  const brokerSynonym = topic?.synonyms[0];
  if (topic !== undefined) {
    const hint =
      brokerSynonym === undefined
        ? 'set it per topic'
        : `set it per topic, or ${brokerSynonym} for the broker-wide default`;
    return `${where}${key} is a topic config and is ignored here; ${hint}`;
  }
  let best: { key: string; distance: number } | undefined;
  for (const known of BROKER_CONFIG_KEYS) {
    const distance = editDistance(key, known);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: known, distance };
  }
  const suggestion = best === undefined ? '' : ` (did you mean ${best.key}?)`;
  return `${where}unknown config ${key} is ignored${suggestion}`;
}
