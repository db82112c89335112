// Values shared between requests (a kept customer card, the reply rendered from it) are frozen, so a
// caller that tried to change one would fail loudly instead of changing it for everyone after it.

/** `value` and every object and array inside it, made read-only; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value as object)) deepFreeze(inner);
  return value;
}
