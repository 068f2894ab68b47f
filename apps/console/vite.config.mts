import path from 'node:path';
import { defineConfig } from 'vite';

/** The console, served by the API under /console/ (same origin): built into dist/console. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  // JSX as React 17+ compiles it, by Vite's own transform: the build needs no plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      // Ant Design marks its modules "use client" for server rendering, which a browser bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '^/(auth|tasks|users|health)': 'http://127.0.0.1:3000' } },
});
