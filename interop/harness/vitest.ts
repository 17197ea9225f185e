// The vitest glue: a scenario whose teardown runs in afterAll and keeps the state dir when any
// test of the suite did not pass (including when beforeAll failed and nothing ran).

import { afterAll } from 'vitest';
import { idFromFile } from './addresses.js';
import { createScenario, type Scenario } from './scenario.js';

interface TaskLike {
  mode?: string;
  result?: { state?: string };
  tasks?: readonly TaskLike[];
}

/** Call inside the describe block; `idOrFile` may be `import.meta.url`. */
export function useScenario(idOrFile: string): Scenario {
  const sc = createScenario(idOrFile.includes('/') ? idFromFile(idOrFile) : idOrFile);
  afterAll(async (suite) => {
    if (!allPassed(suite as TaskLike)) sc.markFailed();
    await sc.finish();
  });
  return sc;
}

function allPassed(task: TaskLike): boolean {
  if (task.result?.state === 'fail') return false;
  if (task.tasks !== undefined) return task.tasks.every(allPassed);
  if (task.mode === 'skip' || task.mode === 'todo') return true;
  return task.result?.state === 'pass';
}
