/** The Helm chart rendered for the tests, and what they ask of the objects in it. */
import { fileURLToPath } from 'node:url'
import { Deployment } from 'kubernetes-models/apps/v1'
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1'
import { Job } from 'kubernetes-models/batch/v1'
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { renderChart } from '../../scripts/helm/render-chart.ts'
import type { RenderOptions, RenderedChart, RenderedObject } from '../../scripts/helm/render-chart.ts'

export const CHART_DIR = fileURLToPath(new URL('../../deploy/helm/gatehouse', import.meta.url))
export const PRODUCTION_VALUES = `${CHART_DIR}/values-production.yaml`

export const render = (options: RenderOptions = {}): RenderedChart => renderChart(CHART_DIR, options)

export const VARIANTS: Array<{ name: string, options: RenderOptions }> = [
  { name: 'default values', options: {} },
  { name: 'values-production.yaml', options: { valuesFiles: [PRODUCTION_VALUES] } }
]

interface Validating { validate(): void }
type ModelClass = new (data: never) => Validating

/** The kubernetes-models class of every apiVersion/kind the chart renders. */
export const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'batch/v1/Job': Job,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule
}

export type K8sObject = RenderedObject['object']
export type Labels = Record<string, string>

// Deliberately loose: the schema validation has checked the shapes.
export type Any = any

export const ofKind = (chart: RenderedChart, kind: string): Any[] => chart.objects.map(o => o.object).filter(o => o.kind === kind)

/** Every pod template of the chart: Deployments and Jobs, with the workload's name. */
export function podTemplates (chart: RenderedChart): Array<{ workload: string, kind: string, labels: Labels, spec: Any }> {
  return [...ofKind(chart, 'Deployment'), ...ofKind(chart, 'Job')].map(w => ({
    workload: w.metadata.name as string,
    kind: w.kind as string,
    labels: w.spec.template.metadata.labels as Labels,
    spec: w.spec.template.spec
  }))
}

export const matches = (selector: Labels | undefined, labels: Labels): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value)

/** The component (service name) of a Gatehouse workload. */
export const component = (labels: Labels): string => labels['app.kubernetes.io/component']!
