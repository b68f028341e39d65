import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDirectory, directoryCsv } from './directory.js';
import { statementLines, summarise, type World } from './generate.js';
import { Tally, type Summary } from './summary.js';

/** The files a run writes. */
export const OUTPUT_FILES = {
  statements: 'statements.ndjson',
  truth: 'truth.json',
  directory: 'directory.json',
  directoryCsv: 'directory.csv',
  framework: 'framework.json',
  summary: 'summary.json',
} as const;

/** Writes of about this size keep the number of system calls low on million-line runs. */
const CHUNK_CHARS = 1 << 20;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes `lines` to `path`, one per line, in chunks, waiting when the stream asks for it. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(stream, 'close');
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await closed;
}

/** Generates a run into `directory` (created if missing) and returns its summary. */
export async function writeSimulation(world: World, directory: string): Promise<Summary> {
  await mkdir(directory, { recursive: true });
  const tally = new Tally();
  await writeLines(join(directory, OUTPUT_FILES.statements), statementLines(world, tally));
  const summary = summarise(world, tally);
  const { organisation, options } = world;
  await Promise.all([
    writeFile(join(directory, OUTPUT_FILES.truth), json(world.truth)),
    writeFile(join(directory, OUTPUT_FILES.directory), json(buildDirectory(organisation, options))),
    writeFile(join(directory, OUTPUT_FILES.directoryCsv), directoryCsv(organisation, options)),
    writeFile(join(directory, OUTPUT_FILES.framework), json(world.framework)),
    writeFile(join(directory, OUTPUT_FILES.summary), json(summary)),
  ]);
  return summary;
}
