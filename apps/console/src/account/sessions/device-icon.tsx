/** A small picture of the kind of device: a phone, a computer, or a terminal for command-line clients. */
export function DeviceIcon ({ kind }: { kind: 'phone' | 'computer' | 'terminal' }) {
  const common = { width: 24, height: 24, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, 'aria-hidden': true }
  if (kind === 'phone') return <svg {...common}><rect x='6' y='2.5' width='12' height='19' rx='2.5' /><path d='M10.5 18.5h3' /></svg>
  if (kind === 'terminal') return <svg {...common}><rect x='2.5' y='4' width='19' height='16' rx='2' /><path d='M6.5 9l3 3-3 3M12 15h5' /></svg>
  return <svg {...common}><rect x='3' y='4' width='18' height='12' rx='1.5' /><path d='M8 20h8M12 16v4' /></svg>
}
