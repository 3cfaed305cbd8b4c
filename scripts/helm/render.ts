/**
 * `helm template` for the chart subset scripts/helm implements:
 *   node --import tsx scripts/helm/render.ts deploy/helm/gatehouse [-f values.yaml ...] [--release name] [--namespace ns]
 * prints every rendered object; fails (exit 1) with the template's message, e.g. the connection check.
 */
import { renderChart } from './render-chart.ts'

const args = process.argv.slice(2)
const valuesFiles: string[] = []
let chartDir: string | undefined
let releaseName: string | undefined
let namespace: string | undefined
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  if (arg === '-f' || arg === '--values') valuesFiles.push(args[++i]!)
  else if (arg === '--release') releaseName = args[++i]
  else if (arg === '--namespace' || arg === '-n') namespace = args[++i]
  else chartDir = arg
}
if (!chartDir) {
  console.error('usage: render.ts <chart dir> [-f values.yaml ...] [--release name] [--namespace ns]')
  process.exit(2)
}
try {
  process.stdout.write(renderChart(chartDir, { valuesFiles, releaseName, namespace }).manifest)
} catch (err) {
  console.error(`render failed: ${(err as Error).message}`)
  process.exit(1)
}
