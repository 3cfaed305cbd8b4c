import type { CapturedMessage } from '../dev-inbox-store.ts'

const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function renderMessage (m: CapturedMessage): string {
  return `<article>
  <header><strong>${m.channel === 'sms' ? 'SMS' : 'Email'}</strong> to <code>${escape(m.to)}</code>
  <time>${escape(m.createdAt)}</time></header>
  ${m.subject ? `<h2>${escape(m.subject)}</h2>` : ''}
  <pre>${escape(m.text)}</pre>
</article>`
}

/** A plain page; HTML bodies are shown as their text form so a captured message can never run script here. */
export function renderInboxPage (items: CapturedMessage[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dev inbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font:15px system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
article{border:1px solid #ddd;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}
header{color:#555;display:flex;gap:.5rem;flex-wrap:wrap}time{margin-left:auto}
h2{font-size:1.05rem;margin:.5rem 0}pre{white-space:pre-wrap;margin:0}</style></head>
<body><h1>Dev inbox</h1>
<p>Email and SMS the platform would have sent. Refreshes every 5 seconds. JSON: <code>GET /dev/inbox</code>; empty it: <code>DELETE /dev/inbox</code>.</p>
${items.length === 0 ? '<p><em>Nothing yet. Register a user to see a welcome message.</em></p>' : items.map(renderMessage).join('\n')}
</body></html>`
}
