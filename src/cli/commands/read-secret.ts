// Reads a password without it appearing in argv or on screen: all of stdin (`--password-stdin`),
// or a prompt with echo off when stdin is a terminal.
import { createInterface } from 'node:readline';

export async function readSecret(opts: { stdin: boolean; prompt: string }): Promise<string> {
  if (opts.stdin || !process.stdin.isTTY) {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput?: (s: string) => void };
  process.stderr.write(opts.prompt);
  // Swallow the echo of what is typed.
  output._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
