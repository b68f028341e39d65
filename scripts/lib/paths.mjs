// Where things are, relative to the repository root. Node's standard library only.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
