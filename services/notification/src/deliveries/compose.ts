import { openSecrets } from '@app/contracts/delivery'
import type { SealKeys } from '@app/contracts/delivery'
import type { Channel, OutgoingMessage } from '../providers/provider.ts'
import type { Templates } from '../templates/catalogue.ts'
import { CUSTOM_TEMPLATE, TEMPLATE_DEFINITIONS } from '../templates/definitions.ts'
import type { Delivery } from './delivery-store.ts'

export interface ComposerDeps {
  templates: Templates
  appName: string
  sealKeys: SealKeys
}

/** Variables a template needs that `vars` lacks (on `channel`, when named). */
export function missingVariables (template: string, vars: Record<string, unknown>, channel?: Channel): string[] {
  const definition = TEMPLATE_DEFINITIONS[template]
  const required = [...definition?.requires ?? [], ...(channel ? definition?.requiresOn?.[channel] ?? [] : [])]
  return required.filter(name => vars[name] === undefined || vars[name] === null)
}

/**
 * The message of a delivery row, rendered at send time: the secrets are
 * opened only now, so the row never holds a code or a token in clear. Throws
 * when the row cannot become a message (its secrets do not open, a variable
 * is missing): sending it again would fail the same way.
 */
export function createComposer ({ templates, appName, sealKeys }: ComposerDeps) {
  return (d: Delivery): OutgoingMessage => {
    const secrets = d.sealed ? openSecrets(d.sealed, sealKeys) : {}
    if (d.template === CUSTOM_TEMPLATE) {
      if (!secrets.text) throw new Error('a custom message without text')
      return { channel: d.channel, to: d.to, subject: secrets.subject, text: secrets.text, html: secrets.html }
    }
    const vars = { ...d.variables, ...secrets }
    const missing = missingVariables(d.template, vars, d.channel)
    if (missing.length > 0) throw new Error(`template ${d.template} needs ${missing.join(', ')}`)
    return { channel: d.channel, to: d.to, ...templates.render(d.template, d.channel, d.locale, vars, appName) }
  }
}

export type Composer = ReturnType<typeof createComposer>
