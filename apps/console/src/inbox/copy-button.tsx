import { useEffect, useState } from 'react'
import { useT } from '../i18n.tsx'
import { Button } from '../ui/button.tsx'

/** Writes `value` to the clipboard; without the Clipboard API (an insecure origin), through a selected text area. */
async function copyText (value: string): Promise<boolean> {
  try {
    await globalThis.navigator.clipboard.writeText(value)
    return true
  } catch {
    const area = globalThis.document.createElement('textarea')
    area.value = value
    area.setAttribute('readonly', '')
    area.className = 'visually-hidden'
    globalThis.document.body.append(area)
    area.select()
    const done = globalThis.document.execCommand('copy')
    area.remove()
    return done
  }
}

/** A button that copies a code or a link, then says so (to screen readers too) for a moment. */
/** `label` names what is copied (`code 123456`), read after the visible word. */
export function CopyButton ({ value, label }: { value: string, label: string }) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])
  return (
    <span className='copy'>
      {/* The visible word first, then what it copies for a screen reader: the name contains what is seen. */}
      <Button tone='secondary' className='button-small' onClick={() => { copyText(value).then(ok => setState(ok ? 'copied' : 'failed'), () => setState('failed')) }}>
        {state === 'copied' ? t('inbox.copied') : t('inbox.copy')}<span className='visually-hidden'> {label}</span>
      </Button>
      <span className='visually-hidden' role='status'>{state === 'copied' ? t('inbox.copiedValue', { value }) : state === 'failed' ? t('inbox.copyFailed') : ''}</span>
    </span>
  )
}
