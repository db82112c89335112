// A Map used as a bounded least-recently-used store: what is kept moves to the end, and the
// oldest entry goes once there are more than `max`. Maps iterate in insertion order, so the first
// key is the oldest.

/** Keeps `value` under `key` as the newest entry, drops the oldest past `max`; returns `value`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
  return value;
}
