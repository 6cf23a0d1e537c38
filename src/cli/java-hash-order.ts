/**
 * The iteration order of a java.util.HashMap, for printing what Kafka's Java tools print. Kafka 3.9's
 * kafka-topics.sh lists topic descriptions and config entries in the order of a HashMap built from
 * them (`DescribeTopicsResult.allTopicNames()`, `admin.Config`), not sorted; scripts that diff its
 * output see that order.
 *
 * The model (OpenJDK 8+): a key's bucket is `(h ^ (h >>> 16)) & (capacity - 1)` with h =
 * String.hashCode; iteration walks buckets in index order, and a bucket's keys in insertion order (a
 * resize splits buckets keeping that order). `new HashMap<>(n)` starts at the power of two >= n (at
 * least 1) and doubles whenever its size passes 0.75 of the capacity. Buckets of 8 or more colliding
 * keys become trees in Java; names that collide that much do not occur in practice and are not modelled.
 */

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, as an int32. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The capacity of `new HashMap<>(initialCapacity)` after `size` puts of distinct keys. */
export function javaHashMapCapacity(initialCapacity: number, size: number): number {
  let capacity = 1;
  while (capacity < initialCapacity) capacity *= 2;
  while (size > Math.floor(capacity * 0.75)) capacity *= 2;
  return capacity;
}

/**
 * `items` in the order a HashMap keyed by `key` iterates them after they were put in the given order
 * into `new HashMap<>(initialCapacity)` (default: the number of items, as Kafka's code does).
 */
export function javaHashMapOrder<T>(
  items: readonly T[],
  key: (item: T) => string,
  initialCapacity: number = items.length,
): T[] {
  const mask = javaHashMapCapacity(initialCapacity, items.length) - 1;
  const bucket = (item: T): number => {
    const h = javaStringHash(key(item));
    return (h ^ (h >>> 16)) & mask;
  };
  // Array.prototype.sort is stable: equal buckets keep insertion order.
  return items
    .map((item) => ({ item, b: bucket(item) }))
    .sort((x, y) => x.b - y.b)
    .map((x) => x.item);
}
