// better-auth 1.7.7, the reference side of `npm run bench`: email + password, the phoneNumber and
// emailOTP plugins, its rate limiter off, on PostgreSQL through pg (its Kysely adapter), behind
// node:http with its own toNodeHandler. Codes go to an in-memory sink, so sending one costs what
// better-auth's own work costs; the bench reads them back from GET /bench/codes.
//
// A child process of the bench (IPC): it creates its tables with getMigrations, then sends
// { url }, and exits on 'stop' or when the bench goes away.
// Environment: BENCH_DATABASE_URL, BENCH_SCHEMA (created if missing), BETTER_AUTH_SECRET.
import { createServer } from 'node:http'
import pg from 'pg'
import { betterAuth } from 'better-auth'
import { toNodeHandler } from 'better-auth/node'
import { emailOTP, phoneNumber } from 'better-auth/plugins'
import { getMigrations } from 'better-auth/db/migration'

const schema = process.env.BENCH_SCHEMA ?? 'public'
const setup = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
await setup.connect()
await setup.query(`create schema if not exists "${schema}"`)
await setup.end()
const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, options: `-c search_path=${schema}` })

/** phone number -> the last code sent to it (the no-op SMS provider). */
const sentCodes = new Map()
const server = createServer()
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}`

const options = {
  baseURL: url,
  secret: process.env.BETTER_AUTH_SECRET,
  database: pool,
  telemetry: { enabled: false },
  rateLimit: { enabled: false },
  emailAndPassword: { enabled: true },
  plugins: [
    phoneNumber({
      sendOTP: ({ phoneNumber, code }) => { sentCodes.set(phoneNumber, code) },
      // A new number's verify creates its user and a session, as Gatehouse's does.
      signUpOnVerification: { getTempEmail: phone => `${phone.replace(/\D/g, '')}@phone.example.com` }
    }),
    emailOTP({ sendVerificationOTP: async () => {} })
  ]
}
// Its own migrations (what `npx auth migrate` runs), before the instance that serves checks the schema.
await (await getMigrations(options)).runMigrations()
const auth = betterAuth(options)

const authHandler = toNodeHandler(auth)
server.on('request', (req, res) => {
  if (req.url?.startsWith('/bench/codes')) {
    // Hands over (and forgets) the codes sent so far.
    const codes = Object.fromEntries(sentCodes)
    sentCodes.clear()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(codes))
    return
  }
  authHandler(req, res)
})

process.send({ url })
const stop = () => server.close(() => pool.end().then(() => process.exit(0), () => process.exit(1)))
process.on('message', message => { if (message === 'stop') stop() })
process.on('disconnect', () => process.exit(0))
