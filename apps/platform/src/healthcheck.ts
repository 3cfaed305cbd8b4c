// The container health check (Dockerfile HEALTHCHECK, deploy/docker-compose.yml): slim images
// have no curl, so plain node asks the service of this container.
//   node apps/platform/dist/healthcheck.js            GET /healthz: the process answers
//   node apps/platform/dist/healthcheck.js /readyz    its database, cache and bus too
// Exit status 0 when it answers 2xx within 4 s, else 1. It loads nothing but node:http(s):
// it runs every few seconds in every container.
import { probe, probeUrl } from './health-probe.ts'

const path = process.argv[2] ?? '/healthz'
process.exitCode = await probe(probeUrl(process.env, path), 4000) ? 0 : 1
