import { useEffect, useId, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import { useT } from '../i18n.tsx'
import { frameDocument, segments } from './extract.ts'

/** The text with its links as links (opened here, like any link of the console). */
export function LinkedText ({ text }: { text: string }) {
  return (
    <pre className='inbox-text'>
      {segments(text).map((s, i) => s.kind === 'link' ? <a key={i} href={s.href}>{s.href}</a> : <span key={i}>{s.text}</span>)}
    </pre>
  )
}

/**
 * The HTML part in a sandboxed frame: its own document, no script (the
 * sandbox has no allow-scripts), links open in a new tab, nothing loaded
 * from elsewhere (the page's policy allows images from this origin and data:
 * only). Same-origin without scripts lets this page size the frame to its
 * content; the mail still cannot run anything.
 */
function MailFrame ({ html, title }: { html: string, title: string }) {
  const frame = useRef<HTMLIFrameElement>(null)
  // The frame takes its content's height, again whenever that changes (a narrow screen wraps the mail).
  useEffect(() => {
    const element = frame.current
    if (!element) return
    // One observer, watching the body of the document the frame holds now (about:blank, then the mail).
    let watched: HTMLElement | undefined
    const size = () => {
      const doc = element.contentDocument
      if (doc?.documentElement) element.style.height = `${Math.min(Math.max(doc.documentElement.scrollHeight, 120), 4000)}px`
    }
    const observer = new ResizeObserver(size)
    const fit = () => {
      const body = element.contentDocument?.body ?? undefined
      if (body && body !== watched) {
        if (watched) observer.unobserve(watched)
        observer.observe(body)
        watched = body
      }
      size()
    }
    element.addEventListener('load', fit)
    fit()
    return () => {
      element.removeEventListener('load', fit)
      observer.disconnect()
    }
  }, [html])
  return (
    <iframe
      ref={frame}
      className='inbox-frame'
      title={title}
      sandbox='allow-same-origin allow-popups allow-popups-to-escape-sandbox'
      referrerPolicy='no-referrer'
      srcDoc={frameDocument(html)}
    />
  )
}

type View = 'html' | 'text'

/** An email's body: the formatted (HTML) part and the plain text, as tabs; just the text when there is no HTML part. */
export function MailBody ({ html, text, subject }: { html: string | null, text: string, subject: string }) {
  const t = useT()
  const id = useId()
  const [view, setView] = useState<View>(html ? 'html' : 'text')
  const tabs = useRef<Record<View, HTMLButtonElement | null>>({ html: null, text: null })
  if (!html) return <LinkedText text={text} />
  const views: View[] = ['html', 'text']
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
    const next = views[(views.indexOf(view) + 1) % views.length]!
    setView(next)
    tabs.current[next]?.focus()
  }
  return (
    <div className='inbox-body'>
      <div className='tabs' role='tablist' aria-label={t('inbox.body')} onKeyDown={onKey}>
        {views.map(v => (
          <button
            key={v}
            ref={el => { tabs.current[v] = el }}
            type='button'
            role='tab'
            id={`${id}-${v}-tab`}
            aria-selected={view === v}
            aria-controls={`${id}-${v}`}
            tabIndex={view === v ? 0 : -1}
            onClick={() => setView(v)}
          >
            {t(v === 'html' ? 'inbox.formatted' : 'inbox.plainText')}
          </button>
        ))}
      </div>
      <div role='tabpanel' id={`${id}-${view}`} aria-labelledby={`${id}-${view}-tab`}>
        {view === 'html'
          ? <><MailFrame html={html} title={t('inbox.frameTitle', { subject })} /><p className='muted small'>{t('inbox.frameNote')}</p></>
          : <LinkedText text={text} />}
      </div>
    </div>
  )
}
