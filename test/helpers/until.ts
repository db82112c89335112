// Waiting for what a test asserts, with a deadline, instead of sleeping and racing it.

/** Resolves once `ok()` is true (checked every 20 ms); fails naming `what` after `timeoutMs`. */
export async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
