import { useEffect, useRef, useState } from 'react'
import { useT } from '../../i18n.tsx'
import { Button } from '../../ui/button.tsx'

/** Recovery codes, shown once: copy, download, then "I have saved them". Focus moves here so it is read first. */
export function RecoveryCodes ({ codes, onSaved }: { codes: string[], onSaved: () => void }) {
  const t = useT()
  const [copied, setCopied] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => { heading.current?.focus() }, [])
  const text = `${codes.join('\n')}\n`
  const download = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
  useEffect(() => () => URL.revokeObjectURL(download), [download])
  return (
    <div className='card security-recovery' role='region' aria-labelledby='recovery-title'>
      <h3 id='recovery-title' ref={heading} tabIndex={-1}>{t('account.security.recovery.title')}</h3>
      <p>{t('account.security.recovery.lead')}</p>
      <ul className='recovery-codes' aria-label={t('account.security.recovery.list')}>
        {codes.map(code => <li key={code}>{code}</li>)}
      </ul>
      <div className='row'>
        <Button tone='secondary' onClick={() => { navigator.clipboard.writeText(text).then(() => setCopied(true), () => {}) }}>
          {copied ? t('account.security.recovery.copied') : t('account.security.recovery.copy')}
        </Button>
        <a className='button button-secondary' href={download} download='gatehouse-recovery-codes.txt'>{t('account.security.recovery.download')}</a>
        <Button onClick={onSaved}>{t('account.security.recovery.saved')}</Button>
      </div>
    </div>
  )
}
