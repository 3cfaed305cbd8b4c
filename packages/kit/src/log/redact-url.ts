/**
 * Links carry secrets in their query (`/api/v1/password/reset?token=...`), so
 * no log line keeps a query's values: each `name=value` parameter keeps its
 * name, when it looks like one, and its value becomes `[redacted]`; anything
 * else in the query becomes `[redacted]` whole. The path stays.
 */
const REDACTED = '[redacted]'
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.[\]-]{0,31}$/

// A part without `=` is a bare value (`?<token>`): nothing of it is kept.
function redactParameter (part: string): string {
  if (part === '') return part
  const equals = part.indexOf('=')
  const name = part.slice(0, equals)
  return equals > 0 && PARAMETER_NAME.test(name) ? `${name}=${REDACTED}` : REDACTED
}

/** `/reset?token=abc&x=1#f` -> `/reset?token=[redacted]&x=[redacted]`; a URL without a query is returned as is. */
export function redactUrl (url: string): string {
  const hash = url.indexOf('#')
  const withoutFragment = hash === -1 ? url : url.slice(0, hash)
  const query = withoutFragment.indexOf('?')
  if (query === -1) return withoutFragment
  return `${withoutFragment.slice(0, query)}?${withoutFragment.slice(query + 1).split('&').map(redactParameter).join('&')}`
}

// An absolute URL, or a path, followed by a query; up to the next white space or quote.
const URL_WITH_QUERY = /(?:[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*|\/[^\s"'<>?#]*)\?[^\s"'<>]*/gi

/** Every URL with a query inside free text (a log message) with its query redacted. */
export function redactUrlsIn (text: string): string {
  return text.includes('?') ? text.replace(URL_WITH_QUERY, redactUrl) : text
}
