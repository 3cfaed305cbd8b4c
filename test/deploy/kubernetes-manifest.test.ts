/** deploy/kubernetes/gatehouse.yaml stays what the chart renders: edit the chart, then `npm run deploy:render`. */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { MANIFEST_PATH, kubernetesManifest } from '../../scripts/helm/kubernetes-manifest.ts'

it('deploy/kubernetes/gatehouse.yaml is the chart rendered with its defaults (npm run deploy:render)', () => {
  assert.ok(readFileSync(MANIFEST_PATH, 'utf8') === kubernetesManifest(), 'deploy/kubernetes/gatehouse.yaml is out of date: run npm run deploy:render')
})
