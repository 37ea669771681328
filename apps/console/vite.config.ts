import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Where the api listens in development; the console is served by the api in production. */
const apiTarget = process.env.FRONTLINE_API_URL ?? 'http://localhost:3000';

const proxy = {
  '/api': { target: apiTarget },
  '/health': { target: apiTarget },
  '/socket.io': { target: apiTarget, ws: true },
};

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react(), precompress()],
  // The alias to the shared contracts comes from this folder's tsconfig.json (its paths).
  resolve: { tsconfigPaths: true },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // The shared contracts are plain declarations: a page that takes one constant from them
      // does not carry every zod schema (and zod) with it.
      treeshake: {
        moduleSideEffects: [{ test: /[\\/]libs[\\/]contracts[\\/]/, sideEffects: false }],
      },
    },
  },
});
