import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui'

// The product's mark on /docs instead of the framework's: a gate in a rounded square.
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48" width="200" height="48" role="img" aria-label="Gatehouse">
<rect x="2" y="4" width="40" height="40" rx="9" fill="#1f4e79"/>
<path d="M12 36V20l10-7 10 7v16h-6v-9h-8v9z" fill="#fff"/>
<text x="52" y="32" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="22" font-weight="600" fill="#fff">Gatehouse API</text>
</svg>`

const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="9" fill="#1f4e79"/><path d="M10 32V16l10-7 10 7v16h-6v-9h-8v9z" fill="#fff"/></svg>'

// swagger-ui's top bar in the product's colour; nothing else is restyled.
const CSS = '.swagger-ui .topbar { background-color: #1f4e79 } .swagger-ui .topbar .download-url-wrapper { display: none }'

/** @fastify/swagger-ui options that brand the page. */
export const DOCS_BRANDING: Pick<FastifySwaggerUiOptions, 'logo' | 'theme'> = {
  logo: { type: 'image/svg+xml', content: Buffer.from(LOGO_SVG), href: '/docs', target: '_self' },
  theme: {
    title: 'Gatehouse API reference',
    favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(FAVICON_SVG) }],
    css: [{ filename: 'gatehouse.css', content: CSS }]
  }
}
