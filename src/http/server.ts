// Listening is separate from building, so tests can inject into build() without a port.
import type { App } from './app.js';

export async function listen(app: App, host: string, port: number): Promise<string> {
  return app.listen({ host, port });
}
