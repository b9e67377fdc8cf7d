import { relative } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Where the server mounts the console; every built URL starts with it. */
export const CONSOLE_BASE = '/admin/inhouse/';

/**
 * Writes `.vite/chunk-modules.json`: each chunk's source modules. Vite's manifest names a chunk by
 * its entry module only; the bundle test needs every module a page's first view loads, so that a
 * page's code hidden in a shared chunk is seen too.
 */
function chunkModules(): Plugin {
  return {
    name: 'runhub-chunk-modules',
    generateBundle(_options, bundle) {
      const chunks: Record<string, string[]> = {};
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') chunks[output.fileName] = output.moduleIds.map((id) => relative(import.meta.dirname, id));
      }
      this.emitFile({ type: 'asset', fileName: '.vite/chunk-modules.json', source: `${JSON.stringify(chunks, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  base: CONSOLE_BASE,
  plugins: [react(), chunkModules()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The bundle test reads it: which chunks each page loads.
    manifest: true,
    target: 'es2022',
    // A data: URI would need img-src data: for nothing: every asset is a file of this origin.
    assetsInlineLimit: 0,
  },
});
