/**
 * The Go template subset scripts/helm renders the chart with behaves as
 * Helm's engine does for every construct the chart uses: trimming, blocks,
 * scoping, Go truth, map order, Helm's nil printing and Sprig's functions.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from '../../scripts/helm/template-parser.ts'
import { createExecutor } from '../../scripts/helm/template-exec.ts'
import { renderChart } from '../../scripts/helm/render-chart.ts'

function render (source: string, data: unknown = {}): string {
  const { nodes, defines } = parse(source)
  const execute = createExecutor({ defines, include: (name, dot) => execute(defines.get(name)!, dot) })
  return execute(nodes, data)
}

describe('Go template subset', () => {
  it('trims whitespace on the side of a dash, newlines included', () => {
    assert.equal(render('a  \n  {{- "b" -}}  \n  c'), 'abc')
    assert.equal(render('a {{ "b" }} c'), 'a b c')
  })

  it('drops comments, also with trim markers', () => {
    assert.equal(render('a\n{{- /* note */}}\nb'), 'a\nb')
    assert.equal(render('{{/* only */}}x'), 'x')
  })

  it('chooses if / else if / else branches by Go truth', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}'
    assert.equal(render(t, { a: 1, b: 1 }), 'A')
    assert.equal(render(t, { a: 0, b: 'x' }), 'B')
    for (const falsy of [false, 0, '', [], {}, null, undefined]) assert.equal(render(t, { a: falsy, b: falsy }), 'C')
  })

  it('ranges over maps in key order and over lists with index and element', () => {
    assert.equal(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } }), 'a=1;b=2;')
    assert.equal(render('{{ range $i, $v := .l }}{{ $i }}:{{ . }} {{ end }}', { l: ['x', 'y'] }), '0:x 1:y ')
    assert.equal(render('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty')
  })

  it('keeps $ as the root inside with and range, and scopes variables to their block', () => {
    assert.equal(render('{{ with .a }}{{ .b }}-{{ $.c }}{{ end }}', { a: { b: 1 }, c: 2 }), '1-2')
    assert.equal(render('{{ $t := 0 }}{{ range .l }}{{ $t = add $t . }}{{ end }}{{ $t }}', { l: [1, 2, 3] }), '6')
    assert.throws(() => render('{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}'), /undefined variable \$x/)
  })

  it('prints a missing key as nothing and fails on a field of nil, as Helm does', () => {
    assert.equal(render('[{{ .missing }}]', {}), '[]')
    assert.throws(() => render('{{ .missing.deeper }}', {}), /nil pointer evaluating \.missing\.deeper/)
  })

  it('stops and / or at the operand that decides, so a guarded nil field is never read', () => {
    assert.equal(render('{{ if and .a .a.b }}yes{{ else }}no{{ end }}', {}), 'no')
    assert.equal(render('{{ or .x "fallback" }}', {}), 'fallback')
  })

  it('includes defined templates with their own dot and pipes the result', () => {
    const t = '{{- define "n" }}name: {{ .x }}{{ end -}}\nmeta:\n  {{- include "n" (dict "x" "y") | nindent 2 }}'
    assert.equal(render(t), 'meta:\n  name: y')
  })

  it('implements the Sprig functions the chart uses with Sprig argument order', () => {
    assert.equal(render('{{ default "d" .v }}|{{ default "d" "set" }}', {}), 'd|set')
    assert.equal(render('{{ .n | quote }} {{ printf "%s-%d" "a" 7 }}', { n: 5 }), '"5" a-7')
    assert.equal(render('{{ div 7 2 }} {{ mul 3 4 }} {{ max 1 9 3 }} {{ sub 5 2 }}'), '3 12 9 3')
    assert.equal(render('{{ trimSuffix "%" "25%" }} {{ upper (replace "-" "_" "a-b") }} {{ has "x" .l }}', { l: ['x'] }), '25 A_B true')
    assert.equal(render('{{ toYaml .m }}', { m: { b: [1, 2], a: 'x' } }), 'a: x\nb:\n- 1\n- 2')
    assert.equal(render('{{ toJson .m }}', { m: { b: 1, a: 2 } }), '{"a":2,"b":1}')
    assert.equal(render('{{ $m := mergeOverwrite (deepCopy .d) .o }}{{ $m.a.x }}{{ $m.a.y }}{{ .d.a.y }}', { d: { a: { x: 1, y: 2 } }, o: { a: { y: 3 } } }), '132')
    // mergo's WithOverride, under Sprig: an empty value (false, 0, "") never overrides.
    assert.equal(render('{{ get (mergeOverwrite (dict "on" true "n" 5) (dict "on" false "n" 0)) "on" }}'), 'true')
    assert.equal(render('{{ $m := dict "a" 1 }}{{ $_ := set $m "b" false }}{{ $m.b }}'), 'false')
    assert.equal(render('{{ get (fromYaml "a: 1") "a" }}'), '1')
  })

  it('fails rendering with the message of required and fail', () => {
    assert.throws(() => render('{{ required "x is required" .x }}', {}), /x is required/)
    assert.throws(() => render('{{ fail "too many connections" }}'), /too many connections/)
  })

  it('refuses to print a map or list unformatted, and reports unknown functions', () => {
    assert.throws(() => render('{{ .m }}', { m: { a: 1 } }), /toYaml/)
    assert.throws(() => render('{{ lookup "v1" }}'), /function "lookup" not defined/)
  })
})

describe('renderChart', () => {
  it('merges values files (null removes a key), names file templates, reads .Files and splits documents', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'chart-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    mkdirSync(join(dir, 'templates'))
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "9"\n')
    writeFileSync(join(dir, 'values.yaml'), 'a: { b: 1, c: 2 }\nkeep: yes\n')
    writeFileSync(join(dir, 'override.yaml'), 'a: { c: null, d: 4 }\n')
    writeFileSync(join(dir, 'files', 'note.txt'), 'from a file')
    writeFileSync(join(dir, 'templates', '_helpers.tpl'), '{{- define "demo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}')
    writeFileSync(join(dir, 'templates', 'cm.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: {{ include "demo.name" . }} }',
      'data:', '  values: {{ toJson .Values | quote }}', '  file: {{ .Files.Get "files/note.txt" | quote }}',
      '  version: {{ .Chart.AppVersion | quote }}', '---', '# nothing here', '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: second }',
      'data: { sum: {{ include (print $.Template.BasePath "/cm-part.tpl") . | quote }} }'
    ].join('\n'))
    writeFileSync(join(dir, 'templates', 'cm-part.tpl'), '{{ .Values.a.b }}')
    const rendered = renderChart(dir, { valuesFiles: [join(dir, 'override.yaml')], releaseName: 'rel' })
    assert.deepEqual(rendered.objects.map(o => o.object.metadata.name), ['rel-demo', 'second'])
    const data = rendered.objects[0]!.object.data as Record<string, string>
    assert.deepEqual(JSON.parse(data.values!), { a: { b: 1, d: 4 }, keep: true })
    assert.equal(data.file, 'from a file')
    assert.equal(data.version, '9')
    assert.equal((rendered.objects[1]!.object.data as Record<string, string>).sum, '1')
    assert.match(rendered.manifest, /^---\n# Source: [^\n]*templates\/cm\.yaml\n/)
  })
})
