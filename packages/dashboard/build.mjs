// Builds the dashboard into dist/: one bundled script (esbuild, with ECharts from npm), the page
// and its stylesheet. Run by `npm run build -w @cairn/dashboard` and by the root scripts' build.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await rm(here('dist'), { recursive: true, force: true });
await mkdir(here('dist'), { recursive: true });
await build({
  entryPoints: [here('src/main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  outfile: here('dist/app.js'),
  logLevel: 'warning',
});
await copyFile(here('src/index.html'), here('dist/index.html'));
await copyFile(here('src/styles.css'), here('dist/styles.css'));
