import { useI18n } from '../i18n.tsx'
import { CopyButton } from './copy-button.tsx'
import { codesIn, linksIn } from './extract.ts'
import { LinkedText, MailBody } from './mail-body.tsx'
import type { InboxMessage } from './use-inbox.ts'

function Codes ({ codes }: { codes: string[] }) {
  const { t } = useI18n()
  return (
    <section className='inbox-extract' aria-labelledby='inbox-codes'>
      <h3 id='inbox-codes'>{t(codes.length === 1 ? 'inbox.code' : 'inbox.codes')}</h3>
      <ul className='inbox-codes'>
        {codes.map(code => (
          <li key={code}>
            <span className='inbox-code' data-testid='code'>{code}</span>
            <CopyButton value={code} label={t('inbox.copyCode', { code })} />
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The host a link goes to, or the link itself when it does not parse (a template's placeholder, say). */
function hostOf (href: string): string {
  try {
    return new URL(href).host
  } catch {
    return href
  }
}

function Links ({ links }: { links: string[] }) {
  const { t } = useI18n()
  return (
    <section className='inbox-extract' aria-labelledby='inbox-links'>
      <h3 id='inbox-links'>{t(links.length === 1 ? 'inbox.link' : 'inbox.links')}</h3>
      <ul className='inbox-links'>
        {links.map((href, i) => (
          <li key={href}>
            <a href={href}>{t('inbox.openLink', { n: i + 1, host: hostOf(href) })}</a>
            <code className='inbox-href'>{href}</code>
            <CopyButton value={href} label={t('inbox.copyLink', { n: i + 1 })} />
          </li>
        ))}
      </ul>
    </section>
  )
}

/** One captured message: who it was for and when, its codes and links up front, then its body. */
export function MessageDetail ({ message }: { message: InboxMessage }) {
  const { t, formatDate } = useI18n()
  const codes = codesIn(message.text)
  const links = linksIn(message.text)
  const isSms = message.channel === 'sms'
  const title = message.subject ?? t(isSms ? 'inbox.smsTo' : 'inbox.noSubject', { to: message.to })
  return (
    <article className='card inbox-detail' aria-labelledby='inbox-detail-title'>
      <h2 id='inbox-detail-title' tabIndex={-1}>{title}</h2>
      <dl className='details'>
        <dt>{t('inbox.to')}</dt><dd>{message.to}</dd>
        <dt>{t('inbox.channel')}</dt><dd>{t(isSms ? 'inbox.sms' : 'inbox.email')}</dd>
        <dt>{t('inbox.received')}</dt><dd><time dateTime={message.createdAt}>{formatDate(message.createdAt)}</time></dd>
      </dl>
      {codes.length > 0 ? <Codes codes={codes} /> : null}
      {links.length > 0 ? <Links links={links} /> : null}
      <section className='inbox-extract' aria-labelledby='inbox-message'>
        <h3 id='inbox-message'>{t('inbox.message')}</h3>
        {isSms
          ? <div className='inbox-sms'><LinkedText text={message.text} /></div>
          : <MailBody html={message.html} text={message.text} subject={title} />}
      </section>
    </article>
  )
}
