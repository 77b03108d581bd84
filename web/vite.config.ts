import { defineConfig } from 'vite';

// Root is web/; examples/ lives one level up and is bundled with import.meta.glob.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
