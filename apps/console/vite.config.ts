import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'

// Built into dist/ and served by the gateway: pages at /auth/*, /account, /admin, /dev/inbox,
// files under /console/. `npm run dev -w apps/console` proxies the API to a platform on :8080.
// The dev server serves the app at /console/ only; the page paths the gateway serves get it too.
const PAGE = /^\/($|auth\/|account($|\/|\?)|admin($|\/|\?))/
const pagesFallback: Plugin = {
  name: 'gatehouse-pages',
  configureServer (server) {
    server.middlewares.use((req, _res, next) => {
      if (req.method === 'GET' && req.url && PAGE.test(req.url) && req.headers.accept?.includes('text/html')) req.url = '/console/index.html'
      next()
    })
  }
}

export default defineConfig({
  base: '/console/',
  plugins: [react(), pagesFallback],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: Object.fromEntries(['/api', '/dev/inbox', '/.well-known'].map(path => [path, {
      target: process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080',
      // /dev/inbox opened in the browser is this app's page; its JSON (the page's own calls, curl) comes from the platform.
      bypass: (req: { headers: { accept?: string } }) => path === '/dev/inbox' && req.headers.accept?.includes('text/html') ? '/console/index.html' : undefined
    }]))
  }
})
