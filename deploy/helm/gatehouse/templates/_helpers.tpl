{{/*
Written in the template subset scripts/helm renders (tested without the helm binary): if / else if / range /
with / define / include, variables, and the functions listed in README.md. Numbers from values are compared
only after `int` (Helm reads them as float64).
*/}}

{{- define "gatehouse.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* The Kubernetes name of one service: (dict "root" $ "name" "user"). */}}
{{- define "gatehouse.serviceName" -}}
{{- printf "%s-%s" (include "gatehouse.fullname" .root) .name -}}
{{- end -}}

{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: gatehouse
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "gatehouse.labels" -}}
{{ include "gatehouse.selectorLabels" . }}
app.kubernetes.io/part-of: gatehouse
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Every pod of the release (the default-deny policy selects them). */}}
{{- define "gatehouse.releaseSelector" -}}
app.kubernetes.io/name: gatehouse
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gatehouse.image" -}}
{{- $image := .image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
One service's settings: serviceDefaults overridden by services.<name>, maps one level deep (autoscaling,
probes, ...). Not mergeOverwrite: it never lets false or 0 override a default. (dict "root" $ "name" "user")
*/}}
{{- define "gatehouse.service" -}}
{{- $merged := deepCopy .root.Values.serviceDefaults -}}
{{- range $key, $value := get .root.Values.services .name -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $merged $key)) -}}
{{- $inner := deepCopy (get $merged $key) -}}
{{- range $k, $v := $value }}{{ $_ := set $inner $k $v }}{{ end -}}
{{- $_ := set $merged $key $inner -}}
{{- else -}}
{{- $_ := set $merged $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* Pods of one service at most: the autoscaler's maximum (or replicas) plus the rolling-update surge. */}}
{{- define "gatehouse.maxPods" -}}
{{- $s := .service -}}
{{- $max := int $s.replicas -}}
{{- if $s.autoscaling.enabled -}}{{- $max = max $max (int $s.autoscaling.maxReplicas) -}}{{- end -}}
{{- $surge := int (trimSuffix "%" (toString $s.maxSurge)) -}}
{{- if hasSuffix "%" (toString $s.maxSurge) -}}
{{- $surge = div (add (mul $max $surge) 99) 100 -}}
{{- end -}}
{{- add $max $surge -}}
{{- end -}}

{{- define "gatehouse.secretRef" -}}
- name: {{ .variable }}
  valueFrom:
    secretKeyRef: { name: {{ .ref.name }}, key: {{ .ref.key }} }
{{- end -}}

{{- define "gatehouse.podSecurity" -}}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "gatehouse.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  privileged: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities: { drop: [ALL] }
  seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{/* Which services receive each secret variable: all, stateful (all but the gateway) or one service. */}}
{{- define "gatehouse.secretScopes" -}}
DATABASE_URL: stateful
REDIS_URL: all
AMQP_URL: stateful
INTERNAL_AUTH_KEYS: all
IDENTITY_KEYS: all
OTP_HMAC_KEYS: all
EVENT_SEAL_KEYS: all
AUTH_KEY_ENCRYPTION_KEY: auth
NOTIFY_SMTP_URL: notification
NOTIFY_TWILIO_ACCOUNT_SID: notification
NOTIFY_TWILIO_AUTH_TOKEN: notification
ADMIN_PASSWORD: user
{{- end -}}

{{/* An egress rule: (dict "to" <peers> "ports" <list of dict port protocol>). Without peers: any address. */}}
{{- define "gatehouse.egressRule" -}}
- {{- if .to }}
  to:
    {{- toYaml .to | nindent 4 }}
  {{- end }}
  ports:
    {{- range .ports }}
    - { port: {{ int .port }}, protocol: {{ default "TCP" .protocol }} }
    {{- end }}
{{- end -}}

{{- define "gatehouse.dnsEgress" -}}
{{ include "gatehouse.egressRule" (dict "to" .Values.networkPolicy.dns.to "ports" (list (dict "port" 53 "protocol" "UDP") (dict "port" 53 "protocol" "TCP"))) }}
{{- end -}}

{{/* Egress to PostgreSQL, or to the release's PgBouncer when it is on: (dict "root" $ "direct" <bool>). */}}
{{- define "gatehouse.databaseEgress" -}}
{{- $v := .root.Values -}}
{{- if and $v.pgbouncer.enabled (not .direct) -}}
- to:
    - podSelector:
        matchLabels:
          {{- include "gatehouse.selectorLabels" (dict "root" .root "name" "pgbouncer") | nindent 10 }}
  ports:
    - { port: {{ int $v.pgbouncer.port }}, protocol: TCP }
{{- else -}}
{{ include "gatehouse.egressRule" (dict "to" $v.networkPolicy.postgres.to "ports" (list (dict "port" $v.postgres.port))) }}
{{- end -}}
{{- end -}}
