import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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
  plugins: [react()],
  // The alias to the shared contracts comes from this folder's tsconfig.json (its paths).
  resolve: { tsconfigPaths: true },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
  },
});
