/**
 * deploy/kubernetes/gatehouse.yaml: the Helm chart rendered with its defaults
 * and deploy/kubernetes/values.yaml, for `kubectl apply` without Helm.
 *   npm run deploy:render            rewrite the file
 *   npm run deploy:render -- --check exit 1 when the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderChart } from './render-chart.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const CHART_DIR = `${root}deploy/helm/gatehouse`
export const MANIFEST_PATH = `${root}deploy/kubernetes/gatehouse.yaml`

const HEADER = `# Generated from the Helm chart deploy/helm/gatehouse by \`npm run deploy:render\` (chart defaults plus
# deploy/kubernetes/values.yaml): edit the chart, not this file; a test fails when it is out of date.
# Prefer \`helm install\` (deploy/helm/gatehouse/README.md); without Helm:
#   kubectl create namespace gatehouse
#   kubectl -n gatehouse create secret generic gatehouse \\
#     --from-literal=DATABASE_URL=postgres://... --from-literal=REDIS_URL=redis://... --from-literal=AMQP_URL=amqp://... \\
#     --from-literal=INTERNAL_AUTH_KEYS=k1:$(openssl rand -hex 32) --from-literal=IDENTITY_KEYS=i1:$(openssl rand -hex 32) \\
#     --from-literal=OTP_HMAC_KEYS=o1:$(openssl rand -hex 32) --from-literal=EVENT_SEAL_KEYS=s1:$(openssl rand -hex 32) \\
#     --from-literal=AUTH_KEY_ENCRYPTION_KEY=$(openssl rand -base64 32) \\
#     --from-literal=NOTIFY_SMTP_URL='smtps://user:pass@smtp.example.com:465'
#   kubectl -n gatehouse apply -f deploy/kubernetes/gatehouse.yaml
# Email only (no Twilio Secret keys: SMS_ENABLED=false); the services migrate their schemas on start.
`

export function kubernetesManifest (): string {
  const { manifest } = renderChart(CHART_DIR, { valuesFiles: [`${root}deploy/kubernetes/values.yaml`], releaseName: 'gatehouse', namespace: 'gatehouse' })
  return HEADER + manifest
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = kubernetesManifest()
  if (process.argv.includes('--check')) {
    const current = readFileSync(MANIFEST_PATH, 'utf8')
    if (current !== manifest) {
      console.error('deploy/kubernetes/gatehouse.yaml is out of date: run npm run deploy:render')
      process.exit(1)
    }
  } else {
    writeFileSync(MANIFEST_PATH, manifest)
    console.log(`wrote ${MANIFEST_PATH}`)
  }
}
