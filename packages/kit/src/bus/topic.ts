/**
 * AMQP topic matching, as a RabbitMQ topic exchange does it: keys and patterns
 * are dot-separated words, `*` matches exactly one word and `#` zero or more.
 */
export function matchesTopic (pattern: string, routingKey: string): boolean {
  const p = words(pattern)
  const k = words(routingKey)
  // reachable[j]: the pattern prefix seen so far can consume exactly the first j words of the key.
  let reachable = Array.from({ length: k.length + 1 }, (_, j) => j === 0)
  for (const word of p) {
    const next = new Array<boolean>(k.length + 1).fill(false)
    for (let j = 0; j <= k.length; j++) {
      if (word === '#') next[j] = reachable[j]! || (j > 0 && next[j - 1]!)
      else if (j > 0) next[j] = reachable[j - 1]! && (word === '*' || word === k[j - 1])
    }
    reachable = next
  }
  return reachable[k.length]!
}

function words (s: string): string[] {
  return s === '' ? [] : s.split('.')
}
