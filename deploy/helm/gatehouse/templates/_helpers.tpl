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

{{/* The version the services report (SERVICE_VERSION): the image tag, or the chart's appVersion without one (a digest alone). */}}
{{- define "gatehouse.version" -}}
{{- toString (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* "true" when SMS is on: both Twilio secrets are named (SMS_ENABLED, the Twilio egress rule); else empty. */}}
{{- define "gatehouse.smsEnabled" -}}
{{- if and .Values.secrets.NOTIFY_TWILIO_ACCOUNT_SID.name .Values.secrets.NOTIFY_TWILIO_AUTH_TOKEN.name -}}true{{- end -}}
{{- end -}}

{{/* The origin of publicUrl: scheme://host[:port]. */}}
{{- define "gatehouse.publicOrigin" -}}
{{- $url := urlParse (required "publicUrl is required" .Values.publicUrl) -}}
{{- printf "%s://%s" $url.scheme $url.host -}}
{{- end -}}

{{/*
AUTH_REDIRECT_ALLOWLIST: auth.redirectAllowlist joined with commas, or the origin of publicUrl when it is unset;
"" for an explicit []. Rendering fails on an entry the auth service would refuse at start-up.
*/}}
{{- define "gatehouse.redirectAllowlist" -}}
{{- $list := .Values.auth.redirectAllowlist -}}
{{- if not (kindIs "slice" $list) -}}
{{- if $list -}}
{{- fail (printf "auth.redirectAllowlist must be a list of URLs, not %v" $list) -}}
{{- end -}}
{{- $list = list (printf "%s/" (include "gatehouse.publicOrigin" .)) -}}
{{- end -}}
{{- range $list -}}
{{- if not (or (hasPrefix "https://" (toString .)) (hasPrefix "http://" (toString .))) -}}
{{- fail (printf "auth.redirectAllowlist: %v is not an absolute http(s) URL" .) -}}
{{- end -}}
{{- if or (contains "?" .) (contains "#" .) (contains "," .) -}}
{{- fail (printf "auth.redirectAllowlist: %v must have no query, fragment or comma" .) -}}
{{- end -}}
{{- end -}}
{{- join "," $list -}}
{{- end -}}

{{/* The port of tracing.endpoint for the egress rule: networkPolicy.otlp.port, else the URL's, else 443 or 80. */}}
{{- define "gatehouse.otlpPort" -}}
{{- if int .Values.networkPolicy.otlp.port -}}
{{- int .Values.networkPolicy.otlp.port -}}
{{- else -}}
{{- $url := urlParse .Values.tracing.endpoint -}}
{{- $port := trimPrefix ":" (trimPrefix $url.hostname $url.host) -}}
{{- if $port -}}
{{- int $port -}}
{{- else -}}
{{- ternary 443 80 (eq $url.scheme "https") -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Variables the chart sets itself in the ConfigMap, each with the value that sets it: config.<VARIABLE> may not
set them (a duplicate key, or a value the chart's own checks never saw).
*/}}
{{- define "gatehouse.ownedVariables" -}}
NODE_ENV: nodeEnv
LOG_LEVEL: logLevel
HOST: (the chart; services.<name>.env to override)
REQUIRE_EXTERNAL_BACKENDS: (the chart)
NOTIFY_DEV_INBOX: (the chart; always off)
SMS_ENABLED: secrets.NOTIFY_TWILIO_ACCOUNT_SID and secrets.NOTIFY_TWILIO_AUTH_TOKEN
SERVICE_VERSION: image.tag
PASSWORD_RESET_URL: passwordResetUrl
EMAIL_VERIFICATION_URL: emailVerificationUrl
USER_EMAIL_CHANGE_UNDO_URL: publicUrl
AUTH_MAGIC_LINK_URL: auth.magicLink.url
AUTH_MAGIC_LINK_SIGNUP: auth.magicLink.signup
AUTH_OIDC_CALLBACK_URL: publicUrl
AUTH_OIDC_PROVIDERS: auth.oidc.providers
AUTH_REDIRECT_ALLOWLIST: auth.redirectAllowlist
AUTH_WEBAUTHN_RP_ID: auth.webauthn.rpId
AUTH_WEBAUTHN_ORIGINS: auth.webauthn.origins
OTEL_EXPORTER_OTLP_ENDPOINT: tracing.endpoint
OTEL_TRACES_SAMPLER_ARG: tracing.sampleRatio
OTEL_EXPORTER_OTLP_HEADERS: secrets.OTEL_EXPORTER_OTLP_HEADERS
NOTIFY_SMTP_FROM: notification.smtpFrom
NOTIFY_TWILIO_FROM: notification.twilioFrom
NOTIFY_TWILIO_MESSAGING_SERVICE_SID: notification.twilioMessagingServiceSid
{{- end -}}
 serviceDefaults overridden by services.<name>, maps one level deep (autoscaling,
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
