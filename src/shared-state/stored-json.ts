// Values Rapport keeps in Redis are JSON; one it cannot read (written by another version, or by hand)
// is a miss, never an error for the request that found it.

export function parsed<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
