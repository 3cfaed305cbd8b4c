// Small line icons for the sign-in buttons (decorative: the button's text names it).
const common = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, 'aria-hidden': true, focusable: false }

export const KeyIcon = () => <svg {...common}><circle cx='7.5' cy='15.5' r='4.5' /><path d='m10.7 12.3 9.3-9.3M16 7l3 3M19 4l2 2' /></svg>
export const MailIcon = () => <svg {...common}><rect x='3' y='5' width='18' height='14' rx='2' /><path d='m3 7 9 6 9-6' /></svg>
export const PhoneIcon = () => <svg {...common}><rect x='6' y='2' width='12' height='20' rx='2' /><path d='M11 18h2' /></svg>
export const ProviderIcon = () => <svg {...common}><circle cx='12' cy='12' r='9' /><path d='M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18' /></svg>
