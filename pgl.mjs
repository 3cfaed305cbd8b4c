import { PGlite } from '@electric-sql/pglite'
import fs from 'node:fs'
fs.mkdirSync('/tmp/pgl-test', { recursive: true })
const t0 = Date.now()
const opts = process.argv[2] === 'small' ? { startParams: undefined, postgresqlconf: ['shared_buffers=16MB', 'work_mem=2MB', 'maintenance_work_mem=16MB'] } : {}
const db = new PGlite('/tmp/pgl-test/x', opts); await db.waitReady
console.log('ready', Date.now() - t0, 'ms')
const r = await db.query('show shared_buffers'); console.log(r.rows)
await db.exec('create table if not exists t(id serial primary key, v text)')
for (let i = 0; i < 2000; i++) await db.query('insert into t(v) values ($1)', ['x'.repeat(200)])
console.log('rss MB', Math.round(process.memoryUsage().rss / 1e6), 'heap', Math.round(process.memoryUsage().heapUsed / 1e6), 'ext', Math.round(process.memoryUsage().external / 1e6), 'ab', Math.round(process.memoryUsage().arrayBuffers / 1e6), Date.now() - t0)
await db.close()
