// The entry of every worker thread Rapport starts; `workerData.task` names the module it runs
// (`analysis`, `parse-email`). Worker threads do not inherit the TypeScript loader of the main
// thread: a compiled build finds <task>-task.js beside this file; from the sources (development,
// tests) the loader is registered here first.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const name = `${workerData.task}-task`;
const compiled = new URL(`./${name}.js`, import.meta.url);
let task;
if (existsSync(compiled)) {
  task = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  task = await import(new URL(`./${name}.ts`, import.meta.url).href);
}

export default task.default;
