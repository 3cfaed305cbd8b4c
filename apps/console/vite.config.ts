import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Built into dist/ and served by the gateway: pages at /auth/*, /account, /admin, /dev/inbox,
// files under /console/. `npm run dev -w apps/console` proxies the API to a platform on :8080.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: Object.fromEntries(['/api', '/dev/inbox', '/.well-known'].map(path => [path, {
      target: process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080',
      // /dev/inbox opened in the browser is this app's page; its JSON (the page's own calls, curl) comes from the platform.
      bypass: (req: { headers: { accept?: string } }) => path === '/dev/inbox' && req.headers.accept?.includes('text/html') ? '/console/index.html' : undefined
    }]))
  }
})
