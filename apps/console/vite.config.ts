import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Built into dist/ and served by the gateway: pages at /auth/*, /account, /admin, /dev/inbox,
// files under /console/. `npm run dev -w apps/console` proxies the API to a platform on :8080.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: Object.fromEntries(['/api', '/dev/inbox', '/.well-known'].map(path => [path, process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080']))
  }
})
